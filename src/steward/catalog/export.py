"""Exporting the standard: JSON, Markdown and an OSCAL 1.1 catalog.

Exports are deterministic: the same catalog version gives byte-identical output (OSCAL UUIDs
are UUIDv5 of the catalog and requirement ids; timestamps come from the catalog's release
date), so exports can be committed and diffed.

OSCAL mapping: one group per family (id = family id in lower case), one control per
requirement (id = :func:`oscal_control_id`, e.g. ``stw-vul-03``), parts ``statement``
(the normative text), ``guidance`` (the rationale), and Steward-namespaced ``verification`` and
``fix`` parts; level, applicability and every mapping are props in the Steward namespace; the
sources of a requirement (foundation process sections, OSPS and ORC items) are ``reference``
links.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson

from steward.catalog.loader import load_source_sections
from steward.catalog.model import Catalog, Requirement
from steward.catalog.sources import sources_of
from steward.markdown import table_cell

OSCAL_VERSION = "1.1.3"
NS = "https://steward.dev/ns/oscal"
_UUID_NS = uuid.UUID("8f0e5f7a-4f3b-5c1e-9a51-3f1d2b6c7e90")


def oscal_control_id(requirement_id: str) -> str:
    """The OSCAL control id of a requirement: ``STW-VUL-03`` → ``stw-vul-03``."""
    return requirement_id.lower()


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(_UUID_NS, "/".join(parts)))


def to_dict(catalog: Catalog) -> dict[str, Any]:
    """The catalog as plain data (the JSON export)."""
    return {
        "version": catalog.version,
        "released": catalog.released,
        "title": catalog.title,
        "licence": catalog.licence,
        "frameworks": [f.model_dump(mode="json") for f in catalog.frameworks],
        "families": [f.model_dump(mode="json") for f in catalog.families],
        "foundations": [f.model_dump(mode="json") for f in catalog.foundations],
        "requirements": [r.model_dump(mode="json") for r in catalog.requirements],
        "source_sections": {
            key: load_source_sections()[key]
            for key in sorted({s for r in catalog.requirements for s in r.sources})
        },
    }


def to_json(catalog: Catalog) -> bytes:
    return orjson.dumps(to_dict(catalog), option=orjson.OPT_INDENT_2) + b"\n"


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": NS, "value": value}


def _control(requirement: Requirement, catalog: Catalog) -> dict[str, Any]:
    cid = oscal_control_id(requirement.id)
    props: list[dict[str, str]] = [{"name": "label", "value": requirement.id}]
    props.append(_prop("level", str(requirement.level)))
    props += [_prop("applicability", a.value) for a in requirement.applicability]
    mappings = requirement.mappings
    for name, values in (
        ("cra", mappings.cra),
        ("osps-baseline", mappings.osps),
        ("scorecard", mappings.scorecard),
        ("nist-ssdf", mappings.ssdf),
        ("foundation", mappings.foundations),
    ):
        props += [_prop(name, v) for v in values]
    verification = requirement.verification
    ver_props = [_prop("probe", p) for p in verification.probes]
    prose = (
        "Automated probes: " + ", ".join(verification.probes) + "."
        if verification.probes
        else "No automated probe."
    )
    if verification.attestation:
        prose += f" Attestation: {verification.attestation}"
    ver_part: dict[str, Any] = {
        "id": f"{cid}_ver",
        "name": "verification",
        "ns": NS,
        "prose": prose,
    }
    if ver_props:
        ver_part["props"] = ver_props
    links = [
        {"href": source.url, "rel": "reference", "text": source.title}
        for source in sources_of(requirement, catalog)
    ]
    return {
        "id": cid,
        "class": "requirement",
        "title": requirement.title,
        "props": props,
        "links": links,
        "parts": [
            {"id": f"{cid}_smt", "name": "statement", "prose": requirement.text},
            {"id": f"{cid}_gdn", "name": "guidance", "prose": requirement.rationale},
            ver_part,
            {"id": f"{cid}_fix", "name": "fix", "ns": NS, "prose": requirement.fix},
        ],
    }


def _framework_resources(catalog: Catalog) -> list[dict[str, Any]]:
    """One back-matter resource per mapped framework edition (title, version, date, link)."""
    resources = []
    for f in catalog.frameworks:
        props = [_prop("framework-id", f.id), _prop("framework-version", f.version)]
        if f.date:
            props.append(_prop("framework-date", f.date))
        props.append(_prop("licence", f.licence))
        if f.draft:
            props.append(_prop("draft", "true"))
        resource: dict[str, Any] = {
            "uuid": _uuid("framework", catalog.version, f.id),
            "title": f"{f.title} {f.version}",
            "props": props,
            "rlinks": [{"href": f.url}],
        }
        if f.note:
            resource["description"] = f.note
        resources.append(resource)
    return resources


def to_oscal(catalog: Catalog) -> dict[str, Any]:
    """An OSCAL 1.1 catalog document (``{"catalog": {...}}``); the edition of every mapped
    framework is a ``back-matter`` resource and a ``framework-version`` metadata prop."""
    groups = []
    for family in catalog.families:
        controls = [_control(r, catalog) for r in catalog.requirements if r.family == family.id]
        if not controls:
            continue
        gid = family.id.lower()
        groups.append(
            {
                "id": gid,
                "class": "family",
                "title": family.title,
                "parts": [{"id": f"{gid}_ovw", "name": "overview", "prose": family.description}],
                "controls": controls,
            }
        )
    return {
        "catalog": {
            "uuid": _uuid("catalog", catalog.version),
            "metadata": {
                "title": catalog.title,
                "last-modified": f"{catalog.released}T00:00:00+00:00",
                "version": catalog.version,
                "oscal-version": OSCAL_VERSION,
                "props": [
                    _prop("foundation-count", str(len(catalog.foundations))),
                    *(
                        _prop("framework-version", f"{f.id} {f.version}")
                        for f in catalog.frameworks
                    ),
                ],
            },
            "groups": groups,
            "back-matter": {"resources": _framework_resources(catalog)},
        }
    }


def framework_table(catalog: Catalog) -> list[str]:
    """Markdown lines: the framework editions the mappings refer to."""
    lines = [
        "Mappings refer to these editions:",
        "",
        "| framework | version | date | licence |",
        "|---|---|---|---|",
    ]
    for f in catalog.frameworks:
        draft = " (draft)" if f.draft else ""
        lines.append(
            f"| [{table_cell(f.title)}]({f.url}) | {table_cell(f.version)}{draft} "
            f"| {f.date or '—'} | {table_cell(f.licence)} |"
        )
    return lines


def to_markdown(catalog: Catalog) -> str:
    """The standard as one Markdown document, family by family."""
    lines = [
        f"# {catalog.title}",
        "",
        f"Version {catalog.version}, released {catalog.released}"
        + (f", licence {catalog.licence}." if catalog.licence else "."),
        "",
        *framework_table(catalog),
        "",
    ]
    by_id = {f.id: f.name for f in catalog.foundations}
    for family in catalog.families:
        requirements = [r for r in catalog.requirements if r.family == family.id]
        lines += [f"## {family.id} — {family.title}", "", family.description, ""]
        for r in requirements:
            m = r.mappings
            lines += [
                f"### {r.id}: {r.title}",
                "",
                f"*Level {r.level} · applies to {', '.join(a.value for a in r.applicability)}*",
                "",
                r.text,
                "",
                f"**Why.** {r.rationale}",
                "",
                "**Verified by.** "
                + (", ".join(f"`{p}`" for p in r.verification.probes) or "attestation")
                + (
                    f" — attest: {r.verification.attestation}" if r.verification.attestation else ""
                ),
                "",
                f"**Fix.** {r.fix}",
                "",
            ]
            rows = [
                ("CRA", m.cra),
                ("OSPS Baseline", m.osps),
                ("Scorecard", m.scorecard),
                ("NIST SSDF", m.ssdf),
                ("Foundations", tuple(by_id.get(f, f) for f in m.foundations)),
            ]
            lines += [f"- {label}: {', '.join(values)}" for label, values in rows if values]
            lines += [
                "- From: " + "; ".join(f"[{s.title}]({s.url})" for s in sources_of(r, catalog)),
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"
