"""Loading the catalog and its reference lists from the package data, validated on load.

Besides the schema (the pydantic models, unknown keys refused), loading checks every cross
reference: requirement ids unique and in their file's family, probe names in the vocabulary,
CRA items in ``cra_items.yaml``, SSDF tasks in ``ssdf.yaml``, foundations in the catalog's
table. A broken catalog is an InputError naming the file and the requirement.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from pydantic import ValidationError

from steward.catalog.model import Catalog, ProbeSpec, Requirement
from steward.errors import InputError
from steward.safeio import loads_yaml

DATA = files("steward.catalog") / "data"


def _read(name: str) -> Any:
    return loads_yaml((DATA / name).read_bytes(), source=f"catalog/data/{name}")


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


@cache
def load_probe_vocabulary() -> dict[str, ProbeSpec]:
    """Every probe name a requirement may use, with what it checks and what facts it needs."""
    raw = _read("probes.yaml")
    try:
        return {
            name: ProbeSpec(name=name, **spec) for name, spec in (raw.get("probes") or {}).items()
        }
    except (ValidationError, TypeError, AttributeError) as exc:
        raise InputError(
            f"invalid probe vocabulary: {exc}", source="catalog/data/probes.yaml"
        ) from None


@cache
def load_cra_items() -> dict[str, str]:
    """The CRA items the standard covers: identifier → short title."""
    return {str(k): str(v) for k, v in _read("cra_items.yaml")["items"].items()}


@cache
def load_ssdf_tasks() -> tuple[str, ...]:
    return tuple(str(t) for t in _read("ssdf.yaml")["tasks"])


@cache
def load_osps_requirements() -> dict[str, int]:
    """OSPS Baseline assessment requirement id → lowest maturity level it applies at."""
    raw = _read("osps.yaml")["requirements"]
    return {str(k): int(v["level"]) for k, v in raw.items()}


@cache
def load_orc_items(framework: str) -> dict[str, str]:
    """Items of an ORC specification (``orc-vhs`` or ``orc-vsa``): id → short title."""
    name = f"{framework.replace('-', '_')}.yaml"
    return {str(k): str(v["title"]) for k, v in _read(name)["items"].items()}


@cache
def load_orc_out_of_scope(framework: str) -> dict[str, str]:
    """ORC items deliberately not mapped, with the reason."""
    raw = _read(f"{framework.replace('-', '_')}.yaml")["items"]
    return {
        str(k): " ".join(str(v["out_of_scope"]).split())
        for k, v in raw.items()
        if v.get("out_of_scope")
    }


@cache
def load_source_sections() -> dict[str, dict[str, str]]:
    """Published process sections a requirement can cite: id → {"by", "title", "url"}."""
    raw = _read("sources.yaml")["sections"]
    return {str(k): {f: str(v[f]) for f in ("by", "title", "url")} for k, v in raw.items()}


@cache
def load_scorecard_checks() -> tuple[str, ...]:
    return tuple(str(c) for c in _read("scorecard_scope.yaml")["checks"])


@cache
def load_scorecard_out_of_scope() -> dict[str, str]:
    """Scorecard checks deliberately not mapped, with the reason."""
    raw = _read("scorecard_scope.yaml")["out_of_scope"]
    return {str(k): " ".join(str(v).split()) for k, v in raw.items()}


def _check_references(
    requirement: Requirement, family: str, known: dict[str, set[str]], source: str
) -> None:
    def fail(message: str) -> None:
        raise InputError(f"{requirement.id}: {message}", source=source)

    if requirement.family != family:
        fail(f"family {requirement.family!r} does not match the file's family {family!r}")
    if requirement.id.split("-")[1] != family:
        fail(f"id does not carry the family {family!r}")
    for probe in requirement.verification.probes:
        if probe not in known["probes"]:
            fail(f"unknown probe {probe!r} (see catalog/data/probes.yaml)")
    if not requirement.verification.probes and not requirement.verification.attestation:
        fail("needs probes or an attestation (how else would it be verified?)")
    for osps in requirement.mappings.osps:
        if osps not in known["osps"]:
            fail(f"unknown OSPS Baseline requirement {osps!r}")
    for check in requirement.mappings.scorecard:
        if check not in known["scorecard"]:
            fail(f"unknown Scorecard check {check!r}")
    for item in requirement.mappings.cra:
        if item not in known["cra"]:
            fail(f"unknown CRA item {item!r} (see catalog/data/cra_items.yaml)")
    for task in requirement.mappings.ssdf:
        if task not in known["ssdf"]:
            fail(f"unknown SSDF task {task!r}")
    for key in ("orc_vhs", "orc_vsa"):
        for item in getattr(requirement.mappings, key):
            if item not in known[key]:
                fail(f"unknown {key.replace('_', '-')} item {item!r}")
    for foundation in requirement.mappings.foundations:
        if foundation not in known["foundations"]:
            fail(f"unknown foundation {foundation!r}")
    sections = load_source_sections()
    for source in requirement.sources:
        if source not in sections:
            fail(f"unknown source {source!r} (see catalog/data/sources.yaml)")
    cited = {sections[s]["by"] for s in requirement.sources} & known["foundations"]
    if cited != set(requirement.mappings.foundations):
        fail(
            "mappings.foundations must be the foundations whose process sections it cites "
            f"in sources ({', '.join(sorted(cited)) or 'none'})"
        )


@cache
def load_catalog() -> Catalog:
    """The whole standard, validated (cached: the data ships with the package)."""
    return load_catalog_from(DATA)


def load_catalog_from(data: Traversable) -> Catalog:
    """Load and validate a catalog from a data directory laid out like the package's."""
    header = loads_yaml((data / "catalog.yaml").read_bytes(), source="catalog/data/catalog.yaml")
    requirements: list[dict[str, Any]] = []
    sources: dict[str, str] = {}
    family_of: dict[str, str] = {}
    for resource in sorted((data / "requirements").iterdir(), key=lambda r: r.name):
        if not resource.name.endswith(".yaml"):
            continue
        source = f"catalog/data/requirements/{resource.name}"
        raw = loads_yaml(resource.read_bytes(), source=source)
        if not isinstance(raw, dict) or "requirements" not in raw:
            raise InputError("expected 'family' and 'requirements'", source=source)
        for item in raw["requirements"] or []:
            if not isinstance(item, dict):
                raise InputError("a requirement is not a mapping", source=source)
            item = {**item, "family": raw.get("family")}
            rid = str(item.get("id"))
            if rid in sources:
                raise InputError(f"{rid}: defined again (first in {sources[rid]})", source=source)
            sources[rid] = source
            family_of[rid] = str(raw.get("family"))
            requirements.append(item)
    try:
        catalog = Catalog.model_validate({**header, "requirements": requirements})
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        where = "catalog/data/catalog.yaml"
        if len(loc) > 1 and loc[0] == "requirements" and isinstance(loc[1], int):
            rid = str(requirements[loc[1]].get("id"))
            where = f"{sources.get(rid, where)} ({rid})"
        raise InputError(f"invalid catalog: {_first_error(exc)}", source=where) from None
    known = {
        "probes": set(load_probe_vocabulary()),
        "cra": set(load_cra_items()),
        "ssdf": set(load_ssdf_tasks()),
        "osps": set(load_osps_requirements()),
        "scorecard": set(load_scorecard_checks()),
        "orc_vhs": set(load_orc_items("orc-vhs")),
        "orc_vsa": set(load_orc_items("orc-vsa")),
        "foundations": {f.id for f in catalog.foundations},
    }
    families = {f.id for f in catalog.families}
    for requirement in catalog.requirements:
        family = family_of[requirement.id]
        if family not in families:
            raise InputError(f"unknown family {family!r}", source=sources[requirement.id])
        _check_references(requirement, family, known, sources[requirement.id])
    return catalog
