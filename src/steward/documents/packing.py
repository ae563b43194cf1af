"""Filling an evidence pack (:mod:`steward.documents.pack`) from the gathered inputs.

Which documents: the ones for the role ``steward cra scope`` decided (manufacturer: Annex II,
VII, V, VI; steward: the Art. 24 policy and the Art. 25 attestation; anyone else: the
attestation), or the ones asked for. Everything is rendered with the pack's time, so with
``SOURCE_DATE_EPOCH`` set the pack is reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from steward.documents import common, render
from steward.documents.inputs import Inputs
from steward.documents.kinds import DEFAULT_DOCUMENTS, FOR_ROLE, Kind, resolve
from steward.documents.pack import Pack, member_name
from steward.safeio import read_bytes

if TYPE_CHECKING:
    from steward.disclosure.model import CaseSnapshot

_JSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def documents_for(inputs: Inputs, names: list[str] | None) -> list[Kind]:
    """The documents asked for, or those of the decided role."""
    if names:
        return list(dict.fromkeys(resolve(n) for n in names))
    return [resolve(n) for n in FOR_ROLE.get(role_of(inputs), DEFAULT_DOCUMENTS)]


def role_of(inputs: Inputs) -> str:
    """The role the scope answers decide (``project`` when undecided or not in scope)."""
    return common.decision(inputs).assess_role


def build_pack(
    inputs: Inputs,
    kinds: list[Kind],
    *,
    root: Path | None,
    sbom_files: list[Path] | None = None,
    vulns_file: Path | None = None,
    vex_files: list[Path] | None = None,
    pdf: bool = False,
) -> Pack:
    """Every file of the pack, and the manifest's subject, missing items and inputs."""
    pack = Pack(created=inputs.generated_at)
    decision = common.decision(inputs)
    assessment = inputs.assessment
    name = common.product_name(inputs)
    version = common.product_version(inputs)
    pack.subject = {
        "name": name.text if name else None,
        "version": version.text if version else None,
        "revision": assessment.revision if assessment else None,
        "repository": assessment.repository if assessment else None,
        "role": decision.role.value,
    }
    pack.inputs = [{"what": what, "source": where} for what, where in common.sources(inputs)]
    _documents(pack, inputs, kinds, pdf)
    _sbom(pack, inputs, sbom_files or [])
    _assessment(pack, inputs, root)
    taken: set[str] = set()
    if vulns_file is not None:
        pack.add(
            member_name("vulnerabilities", str(vulns_file), taken),
            read_bytes(vulns_file),
            "vulnerability findings (steward vulns)",
        )
    for vex in vex_files or []:
        pack.add(member_name("vex", str(vex), taken), read_bytes(vex), "VEX document")
    _cases(pack, inputs, decision.assess_role)
    from steward.catalog.export import to_json
    from steward.catalog.loader import load_catalog

    catalog = load_catalog()
    pack.add(
        "catalog/catalog.json",
        to_json(catalog),
        f"Steward common standard, catalog version {catalog.version}",
    )
    if assessment is not None and assessment.catalog_version != catalog.version:
        pack.missing.append(
            {
                "document": "catalog",
                "ref": "catalog",
                "what": f"catalog {assessment.catalog_version} used by the assessment (this "
                f"Steward has {catalog.version})",
                "supply": "re-run the assessment with this Steward version",
            }
        )
    return pack


def _documents(pack: Pack, inputs: Inputs, kinds: list[Kind], pdf: bool) -> None:
    from steward.documents import attestation

    for kind in kinds:
        if kind.name == "art25-attestation":
            built = attestation.build(inputs.for_role(kind.role))
            doc = built.document
            if built.complete:
                pack.add(
                    "documents/art25-attestation.json",
                    orjson.dumps(built.data, option=orjson.OPT_INDENT_2),
                    "Art. 25 security attestation, ORC template-lite 0.1 JSON",
                )
        else:
            doc = kind.build(inputs)
        title = f"{kind.title} ({kind.basis})"
        pack.add(f"documents/{kind.name}.md", render.to_markdown(doc), title)
        pack.add(f"documents/{kind.name}.html", render.to_html(doc), title)
        if pdf:
            pack.add(f"documents/{kind.name}.pdf", render.to_pdf(doc), title)
        for m in doc.missing():
            pack.missing.append(
                {"document": kind.name, "ref": m.ref, "what": m.what, "supply": m.supply}
            )


#: the SBOM forms an evidence pack carries (CycloneDX 1.6 or newer, SPDX 3.0.1 or newer)
SBOM_FORMS = (("CycloneDX", (1, 6), "CycloneDX 1.6", "cyclonedx-json"),
              ("SPDX", (3, 0, 1), "SPDX 3.0.1", "spdx3-json"))  # fmt: skip


def _version(text: str) -> tuple[int, ...]:
    return tuple(int("".join(c for c in p if c.isdigit()) or 0) for p in text.split("."))


def _sbom(pack: Pack, inputs: Inputs, files: list[Path]) -> None:
    taken: set[str] = set()
    given: list[tuple[str, str]] = []
    for path in files:
        from steward.sbom.read import read_sbom

        document = read_sbom(path)
        form = f"{document.standard} {document.spec_version} ({document.encoding})"
        given.append((document.standard, document.spec_version))
        pack.add(member_name("sbom", str(path), taken), read_bytes(path), f"SBOM, {form}")
    sbom = inputs.sbom_model
    if files:
        shown = ", ".join(f"{standard} {version}" for standard, version in given)
        for standard, minimum, name, option in SBOM_FORMS:
            if not any(s == standard and _version(v) >= minimum for s, v in given):
                pack.missing.append(
                    {
                        "document": "sbom",
                        "ref": "Annex I Part II (1)",
                        "what": f"the SBOM as {name} or newer (given: {shown})",
                        "supply": f"`steward sbom generate PATH -f {option} -o FILE`, then "
                        "--sbom FILE as well (repeatable)",
                    }
                )
        return
    if sbom is None:
        pack.missing.append(_missing_sbom())
        return
    from steward.sbom import write_cyclonedx, write_spdx3

    sources = ", ".join(sbom.metadata.sources)
    pack.add(
        "sbom/sbom.cdx.json", write_cyclonedx.to_json(sbom), f"CycloneDX 1.6 SBOM from {sources}"
    )
    pack.add("sbom/sbom.spdx3.json", write_spdx3.to_json(sbom), f"SPDX 3.0.1 SBOM from {sources}")


def _missing_sbom() -> dict[str, str]:
    return {
        "document": "sbom",
        "ref": "Annex I Part II (1)",
        "what": "a software bill of materials",
        "supply": "--sbom FILE, or a checkout with lockfiles",
    }


def _assessment(pack: Pack, inputs: Inputs, root: Path | None) -> None:
    from steward.evaluate import report
    from steward.sarif import root_prefix

    for index, (assessment, _source) in enumerate(inputs.assessments):
        stem = "assessment" if index == 0 else f"assessment-{index + 1}"
        about = f"assessment of {assessment.project} (role {assessment.role})"
        pack.add(f"assessment/{stem}.json", assessment.to_json(), about)
        prefix = root_prefix(root) if root is not None and index == 0 else ""
        pack.add(
            f"assessment/{stem}.sarif",
            report.to_sarif(assessment, prefix=prefix),
            f"{about}, SARIF 2.1.0",
        )
        pack.add(
            f"assessment/{stem}.oscal.json",
            report.to_oscal(assessment),
            f"{about}, OSCAL 1.1.3 assessment-results",
        )
    if not inputs.assessments:
        pack.missing.append(
            {
                "document": "assessment",
                "ref": "Annex VII (6)",
                "what": "an assessment",
                "supply": "give the project path, or --assessment FILE",
            }
        )


def _advisory(pack: Pack, snapshot: CaseSnapshot, inputs: Inputs) -> None:
    """The published advisory of a case, validated like ``steward case advisory``: OSV when
    every product is a package (an ecosystem or purl), CSAF for a manufacturer's product
    (OSV describes packages only). One that cannot be built is listed as missing with the
    reason and the command, so one case never stops the pack."""
    from steward.disclosure.advisories import schemas
    from steward.errors import InputError

    packages = all(p.ecosystem or p.purl for p in snapshot.products)
    kind = "OSV" if packages else "CSAF"
    try:
        if packages:
            from steward.disclosure.advisories.osv import build_osv

            document = build_osv(snapshot, inputs.profile)
            schemas.check("OSV", schemas.osv_problems(document), case_id=snapshot.id)
        else:
            from steward.disclosure.advisories.csaf import build_csaf
            from steward.disclosure.advisories.csaf_validate import validate

            if inputs.profile is None:
                raise InputError("no manufacturer profile", source=snapshot.id)
            document = build_csaf(snapshot, inputs.profile, now=inputs.generated_at)
            problems = validate(document)
            if problems:
                raise InputError(
                    f"the CSAF document would not be valid: {problems[0]}", source=snapshot.id
                )
    except InputError as exc:
        pack.missing.append(
            {
                "document": "advisories",
                "ref": "Annex I Part II (4)",
                "what": f"the {kind} advisory of published case {snapshot.id}: {exc.message}",
                "supply": f"`steward case advisory {snapshot.id} -f {kind.lower()}` "
                "shows what to record; `steward case profile set ...` for the profile",
            }
        )
        return
    suffix = "osv" if packages else "csaf"
    pack.add(
        f"advisories/{snapshot.id}.{suffix}.json",
        orjson.dumps(document, option=_JSON),
        f"{kind} advisory for case {snapshot.id}",
    )


def _cases(pack: Pack, inputs: Inputs, role: str) -> None:
    if inputs.cases is None:
        if role not in ("manufacturer", "steward"):  # no Art. 14 duty: nothing is missing
            return
        pack.missing.append(
            {
                "document": "cases",
                "ref": "Annex I Part II (4), Art. 14",
                "what": "advisories and Art. 14 reports (the case store)",
                "supply": "--db with the case store",
            }
        )
        return
    from steward.disclosure.art14.payloads import ReportStage, build_report
    from steward.disclosure.events import ReportType
    from steward.errors import InputError

    stages = {
        ReportType.EARLY_WARNING: ReportStage.EARLY_WARNING,
        ReportType.NOTIFICATION: ReportStage.NOTIFICATION,
        ReportType.FINAL_REPORT: ReportStage.FINAL_REPORT,
    }
    for snapshot in inputs.cases:
        if snapshot.published_at is not None and snapshot.products:
            _advisory(pack, snapshot, inputs)
        for clock in inputs.case_clocks.get(snapshot.id, []):
            if clock.started_at is None:
                continue
            if inputs.profile is None:
                pack.missing.append(
                    {
                        "document": "reports",
                        "ref": clock.article,
                        "what": f"the manufacturer profile for the reports of case {snapshot.id}",
                        "supply": "`steward case profile set ...`",
                    }
                )
                break
            try:
                payload = build_report(
                    snapshot,
                    inputs.profile,
                    stages[clock.report],
                    generated_at=inputs.generated_at,
                    due_at=clock.due_at,
                )
            except InputError:  # not an actively exploited vulnerability: no Art. 14 report
                continue
            pack.add(
                f"reports/{snapshot.id}-{clock.report.value}.json",
                payload.model_dump_json(indent=2),
                f"Art. 14 {clock.report.value.replace('_', ' ')} for case {snapshot.id} "
                f"({clock.article})",
            )
