"""Facts several documents share: answers as facts, product and manufacturer identity, the
security contacts and policy from the assessment, requirement tables, the scope decision.

Each helper returns a :class:`~steward.documents.model.Fact` (value and source) or None; it
never fills a gap with a default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from steward.documents import cra
from steward.documents.inputs import Inputs, emails, file_url, urls
from steward.documents.model import Document, Fact, Item, Missing, Table
from steward.documents.scope import Decision, decide_config

if TYPE_CHECKING:
    from steward.evaluate.model import Evidence as EvidenceItem
    from steward.evaluate.model import Finding

YML = "steward.yml"


def supply(*path: str) -> str:
    """How to supply an answer: ``cra.product.name in steward.yml``."""
    return f"answer cra.{'.'.join(path)} in {YML}"


def answer(inputs: Inputs, *path: str) -> Fact | None:
    """The answer at ``cra.<path>`` as a fact (a list answer keeps its entries)."""
    value, where = inputs.answer(*path)
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return Fact.listed([str(v) for v in value], where) if value else None
    if isinstance(value, dt.date):
        return Fact(value.isoformat(), where)
    if isinstance(value, bool):
        return Fact("yes" if value else "no", where)
    return Fact(str(value), where)


def answer_item(inputs: Inputs, ref: str, label: str, *path: str, note: str = "") -> Item:
    return Item(ref, label, answer(inputs, *path), supply(*path), note)


def first(*facts: Fact | None) -> Fact | None:
    """The first fact given (answers before evidence, evidence before nothing)."""
    return next((f for f in facts if f is not None), None)


# ------------------------------------------------------------------------------ identity


def product_name(inputs: Inputs) -> Fact | None:
    """The product's name: the answer, ``project.name``, or the name a file of the checkout
    gives (a manifest or security-insights.yml, as the assessment or the SBOM's root component
    read it), or the root component's name of an SBOM given as a file. The assessment and a
    computed SBOM fall back to the checkout directory's name, which nobody chose: that is
    never taken as the product's name."""
    sections = inputs.config.sections
    root = inputs.sbom.root if inputs.sbom is not None else None
    assessment = inputs.assessment
    computed = inputs.sbom_model is not None
    return first(
        answer(inputs, "product", "name"),
        Fact(sections.project.name, inputs.config.where("project", "name"))
        if sections.project.name
        else None,
        _named(inputs, assessment.project) if assessment is not None else None,
        _named(inputs, root.name) if root is not None and root.name and computed else None,
        Fact(root.name, _sbom_label(inputs))
        if root is not None and root.name and not computed
        else None,
    )


def _named(inputs: Inputs, name: str) -> Fact | None:
    """``name`` with the checkout file that gives it, or None when no file does."""
    from steward.documents.firstrun import named_in

    where = named_in(inputs.root, name) if inputs.root is not None and name else None
    return Fact(name, where) if where is not None else None


def product_version(inputs: Inputs) -> Fact | None:
    """The version: the answer, or the SBOM root component's version."""
    root = inputs.sbom.root if inputs.sbom is not None else None
    return first(
        answer(inputs, "product", "version"),
        Fact(root.version, _sbom_label(inputs)) if root is not None and root.version else None,
    )


def product_identification(inputs: Inputs) -> Fact | None:
    """What identifies the product uniquely: the answer, or the SBOM root's purl."""
    root = inputs.sbom.root if inputs.sbom is not None else None
    return first(
        answer(inputs, "product", "identification"),
        Fact(f"package URL {root.purl}", _sbom_label(inputs))
        if root is not None and root.purl
        else None,
    )


def revision(inputs: Inputs) -> Fact | None:
    assessment = inputs.assessment
    if assessment is None or not assessment.revision:
        return None
    return Fact(f"source revision {assessment.revision}", inputs.assessment_source)


def party(inputs: Inputs, who: str, field: str) -> Fact | None:
    """A field of ``cra.manufacturer`` (or ``cra.steward``); for the manufacturer, else the
    profile in the case store (``steward case profile set``)."""
    found = answer(inputs, who, field)
    if found is not None:
        return found
    profile = inputs.profile
    if profile is None or (who == "steward") != profile.is_steward:
        return None
    value = {
        "name": profile.name,
        "address": profile.address,
        "email": profile.contact_email,
        "website": profile.website,
        "country": profile.country,
    }.get(field)
    source = inputs.cases_source.label if inputs.cases_source else "case store"
    return Fact(value, f"{source} (manufacturer profile)") if value else None


def subject(inputs: Inputs) -> str:
    name = product_name(inputs)
    version = product_version(inputs)
    text = name.text if name else "product name missing"
    return f"{text} {version.text}" if version else text


# --------------------------------------------------------------------------- the policy


def _where(inputs: Inputs, path: str | None, line: int | None) -> str:
    if path is None:
        return inputs.assessment_source
    return f"{path}:{line}" if line else path


def contacts(inputs: Inputs) -> tuple[Fact | None, Fact | None]:
    """The security contacts the security policy names (e-mail addresses; private reporting
    links), each with the file and line that names it (STW-VUL-02/03 evidence)."""
    found_emails: dict[str, str] = {}
    found_links: dict[str, str] = {}
    for rid in ("STW-VUL-02", "STW-VUL-03"):
        finding = inputs.finding(rid)
        if finding is None or finding.status.value != "pass":
            continue
        for e in finding.evidence:
            for address in emails([e.detail]):
                found_emails.setdefault(address, _where(inputs, e.path, e.line))
            for address in urls([e.detail]):
                found_links.setdefault(address, _where(inputs, e.path, e.line))
    mail = Fact.listed(list(found_emails), joined(found_emails.values())) if found_emails else None
    link = Fact.listed(list(found_links), joined(found_links.values())) if found_links else None
    return mail, link


def joined(sources: Iterable[str]) -> str:
    """Sources without repeats, in order (``SECURITY.md:11, SECURITY.md:14``)."""
    return ", ".join(dict.fromkeys(s for text in sources for s in text.split(", ")))


def policy_location(inputs: Inputs) -> Fact | None:
    """Where the coordinated vulnerability disclosure policy is: its web address when the
    repository is on a known forge, else its path in the repository (STW-VUL-01 evidence)."""
    finding = inputs.finding("STW-VUL-01")
    assessment = inputs.assessment
    if finding is None or assessment is None or finding.status.value != "pass":
        return None
    for e in finding.evidence:
        if e.url:
            return Fact(e.url, inputs.assessment_source)
        if e.path:
            address = file_url(assessment.repository, assessment.revision, e.path)
            where = f"{e.path} in the source repository"
            if assessment.repository and not address:
                where += f" {assessment.repository}"
            return Fact(address or where, f"{e.path} ({inputs.assessment_source})")
    return None


def evidence_url(inputs: Inputs, requirement_id: str) -> str | None:
    """A web address for the first piece of evidence of a passing requirement."""
    finding = inputs.finding(requirement_id)
    assessment = inputs.assessment
    if finding is None or assessment is None:
        return None
    for e in finding.evidence:
        if e.url:
            return e.url
        if e.path:
            found = file_url(assessment.repository, assessment.revision, e.path)
            if found:
                return found
    return None


# ------------------------------------------------------------------------ requirements


def status_text(inputs: Inputs, requirement_id: str) -> str:
    """``pass``, ``fail`` ... for a requirement, or ``not assessed``."""
    finding = inputs.finding(requirement_id)
    if finding is None:
        return "not assessed"
    text = finding.status.value
    return text + (" (attested)" if finding.attested else "")


def shown_evidence(finding: Finding) -> tuple[EvidenceItem, ...]:
    """What supports a finding's status: all its evidence when it passes, else the evidence
    that explains why it does not."""
    return finding.evidence if finding.status.value == "pass" else finding.open_evidence()


def evidence_text(inputs: Inputs, requirement_id: str, limit: int = 3) -> str:
    """The first pieces of evidence of a requirement (``file:line — detail``), or its
    message when nothing points anywhere."""
    finding = inputs.finding(requirement_id)
    if finding is None:
        return ""
    shown = shown_evidence(finding)
    texts = [e.text() for e in shown[:limit]]
    if len(shown) > limit:
        texts.append(f"{len(shown) - limit} more")
    return "; ".join(texts) if texts else finding.message


def requirement_table(inputs: Inputs, caption: str, requirement_ids: list[str]) -> Table:
    """One row per requirement: id, title, status and evidence, from the assessment."""
    rows = []
    for rid in requirement_ids:
        finding = inputs.finding(rid)
        title = finding.title if finding is not None else ""
        rows.append((rid, title, status_text(inputs, rid), evidence_text(inputs, rid)))
    return Table(caption, ("Requirement", "Title", "Status", "Evidence"), tuple(rows))


def requires_assessment(doc: Document, inputs: Inputs, role: str) -> None:
    """Note a missing or wrong-role assessment in the document's missing list."""
    assessment = inputs.assessment
    if assessment is None:
        doc.extra_missing.append(
            Missing(
                "Evidence",
                "an assessment of the project",
                f"give the project path, or --assessment FILE from "
                f"`steward assess PATH --role {role} --format json`",
            )
        )
    elif assessment.role != role:
        doc.extra_missing.append(
            Missing(
                "Evidence",
                f"an assessment for the role {role} (the one given was made for "
                f"{assessment.role}; requirements addressed to a {role} were not evaluated)",
                f"`steward assess PATH --role {role} --format json`",
            )
        )


def sources(inputs: Inputs) -> list[tuple[str, str]]:
    """The inputs a document was built from, for its Sources section."""
    out: list[tuple[str, str]] = []
    if inputs.config_found:
        out.append(("Answers", inputs.config.source))
    for assessment, source in inputs.assessments:
        rev = (assessment.revision or "working tree")[:12]
        out.append(
            (
                f"Assessment of {assessment.project} at {rev} ({assessment.timestamp}, "
                f"catalog {assessment.catalog_version}, role {assessment.role})",
                source.label,
            )
        )
    if inputs.sbom is not None and inputs.sbom_source is not None:
        sbom = inputs.sbom
        out.append(
            (
                f"SBOM ({sbom.standard} {sbom.spec_version}, {len(sbom.components)} components)",
                inputs.sbom_source.label,
            )
        )
    if inputs.findings is not None and inputs.findings_source is not None:
        out.append(("Vulnerability findings", inputs.findings_source.label))
    for document, source in zip(inputs.vex, inputs.vex_sources, strict=True):
        out.append(
            (f"VEX ({document.format}, {len(document.statements)} statements)", source.label)
        )
    if inputs.cases is not None and inputs.cases_source is not None:
        out.append((f"Cases ({len(inputs.cases)})", inputs.cases_source.label))
    return out


def _sbom_label(inputs: Inputs) -> str:
    return inputs.sbom_source.label if inputs.sbom_source else "SBOM"


# ------------------------------------------------------------------------------- scope


def decision(inputs: Inputs) -> Decision:
    """The scope decision from ``cra.scope``; an unknown category names the line."""
    return decide_config(inputs.config)


def scope_items(inputs: Inputs) -> list[Item]:
    """Role, category and conformity assessment route, as items (missing when undecided)."""
    result = decision(inputs)
    where = inputs.config.where("cra", "scope")
    next_key = result.missing[0].key if result.missing else ""
    how = (
        f"run `steward cra scope` (or answer cra.scope.{next_key} in {YML})"
        if next_key
        else "run `steward cra scope`"
    )
    role = Fact(result.role.value, where) if result.role.value != "undetermined" else None
    category: Fact | None = None
    if result.category_class is not None:
        text = cra.CLASS_TITLES[result.category_class]
        if result.category is not None:
            text += f": {result.category.title} ({result.category.point})"
        category = Fact(text, inputs.config.where("cra", "scope", "category"))
    route = (
        Fact.listed(list(result.routes), f"{result.route_basis}, from the answers in {where}")
        if result.routes
        else None
    )
    return [
        Item("Art. 3(13)-(14)", "Role under the CRA", role, how),
        Item("Art. 7-8", "Product category", category, how),
        Item("Art. 32", "Conformity assessment procedures open to the product", route, how),
    ]


_ROLE_DOCUMENTS = {
    "manufacturer": "These documents are the manufacturer's (Art. 13, Art. 28, Art. 31)",
    "steward": "This policy is an open-source software steward's (Art. 24)",
}


def check_role(doc: Document, inputs: Inputs, expected: str) -> None:
    """Say when the scope answers do not make the user the one the document is for: the role
    still undecided is missing (run ``steward cra scope``); another role is a notice at the
    top (a steward may not affix the CE marking, Recital 19)."""
    result = decision(inputs)
    if result.role.value == "undetermined":
        key = result.missing[0].key if result.missing else ""
        doc.extra_missing.append(
            Missing(
                "Art. 3(13)-(14)",
                f"whether you are the {expected} this document is for (the CRA role)",
                f"run `steward cra scope` (or answer cra.scope.{key} in {YML})",
            )
        )
    elif result.role.value != expected:
        note = (
            f"The scope answers in {inputs.config.source} make you {result.role.value}, "
            f"not {expected}. {_ROLE_DOCUMENTS[expected]}."
        )
        if expected == "manufacturer" and result.role.value == "steward":
            note += " A steward may not affix the CE marking (Recital 19)."
        doc.notice = note + (f" {doc.notice}" if doc.notice else "")
