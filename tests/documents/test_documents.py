"""Every document rendered for a realistic project: each item the regulation requires is
either filled from evidence or answers (with its source) or listed as missing with what
supplies it; nothing is filled with a default."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from steward.documents import render
from steward.documents.inputs import Inputs, Sourced, gather
from steward.documents.kinds import KINDS, resolve
from steward.documents.model import Document
from steward.evaluate.model import Assessment
from tests.documents.conftest import FINDINGS
from tests.documents.project import ANSWERS, make_project, write_answers

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def full_inputs(full_project: Path, cases_db: Path) -> Inputs:
    return gather(full_project, role="manufacturer", vulns_file=FINDINGS, db=str(cases_db))


def _items(doc: Document) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for section in doc.sections:
        for item in section.items:
            out.setdefault(item.ref, []).append(item)
    return out


def test_findings_fixture_follows_the_findings_schema() -> None:
    schema = json.loads((REPO_ROOT / "src/steward/vuln/data/findings.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(json.loads(FINDINGS.read_text()))


@pytest.mark.parametrize("name", ["annex-ii", "annex-v", "annex-vi", "annex-vii", "art24-policy"])
def test_complete_evidence_and_answers_leave_nothing_missing(
    full_inputs: Inputs, name: str
) -> None:
    doc = resolve(name).build(full_inputs)
    assert doc.missing() == [], [(m.ref, m.what) for m in doc.missing()]
    for section in doc.sections:
        for item in section.items:
            assert item.value is not None and item.value.source, (item.ref, item.label)
    md = render.to_markdown(doc)
    assert "Nothing: every item is filled from evidence or answers." in md


def test_annex_ii_items_come_from_answers_and_evidence(
    full_inputs: Inputs, full_project: Path
) -> None:
    doc = resolve("annex-ii").build(full_inputs)
    items = _items(doc)
    assert sorted(items) == sorted(
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)(a)", "(8)(b)", "(8)(c)",
         "(8)(d)", "(8)(e)", "(8)(f)", "(9)"]
    )  # fmt: skip
    name = items["(1)"][0].value
    assert name.text == "Acme Widgets GmbH"
    line = int(name.source.split(":")[1])  # the source names the line of the answer
    assert (
        "name: Acme Widgets GmbH"
        in (full_project / "steward.yml").read_text().splitlines()[line - 1]
    )
    contact = items["(2)"][0].value
    assert contact.lines == (
        "security@acme.example",
        "private reporting: https://github.com/acme/widget/security/advisories/new",
    )
    assert contact.source == "SECURITY.md:11"
    policy = items["(2)"][1].value
    assert policy.text.startswith("https://github.com/acme/widget/blob/")
    assert policy.text.endswith("/SECURITY.md")
    assert items["(7)"][1].value.text == "2031-12-31"
    assert items["(3)"][0].value.text == "widget"  # the name the assessment read (pyproject)


def test_annex_vii_has_the_risk_assessment_table_and_test_reports(
    full_inputs: Inputs, shared_data: Path
) -> None:
    doc = resolve("annex-vii").build(full_inputs)
    md = render.to_markdown(doc)
    table = next(
        t for s in doc.sections for t in s.tables if t.caption.startswith("Annex I Part I:")
    )
    assert [row[0] for row in table.rows] == ["(1)"] + [f"(2)({c})" for c in "abcdefghijklm"]
    assert all(row[2] == "applies" for row in table.rows)
    assert all("steward.yml:" in row[3] for row in table.rows)
    vulnerable = next(row for row in table.rows if row[0] == "(2)(a)")
    assert "1 open findings (0 known exploited, 1 suppressed by VEX)" in vulnerable[4]
    assert "STW-DEP-09" in vulnerable[4]  # a manufacturer requirement is cited as evidence
    assert "STW-GOV-06" not in md.split("Annex I Part II")[1].split("\n\n")[1]
    expected = json.loads((shared_data / "lockfiles/expected.json").read_text())
    count = len(expected["python-uvlock/grouped-packages.lock"]["packages"])
    sbom = _items(doc)["(2)(b)"][0].value
    assert re.match(rf"CycloneDX 1\.6 \(json\): {count} components", sbom.text), sbom.text
    scan = _items(doc)["(6)"][1].value
    assert scan.text.startswith("2 findings (high 1, medium 1), 0 known exploited")
    assert "Static analysis: .github/workflows/codeql.yml:10" in md
    assert "Cases in the case store: 1 (published 1)" in md
    routes = _items(doc)["Art. 32"][0].value
    assert routes.lines[0].startswith("internal control (module A")


def test_without_answers_every_unanswerable_item_is_missing(bare_project: Path) -> None:
    inputs = gather(bare_project, role="manufacturer")
    doc = resolve("annex-ii").build(inputs)
    filled = {i.label for s in doc.sections for i in s.items if i.value is not None}
    # only what evidence gives: the contact and policy (SECURITY.md), the name and version
    assert filled == {
        "Single point of contact for reporting vulnerabilities",
        "Where the coordinated vulnerability disclosure policy is",
        "Name",
        "Version",
    }
    missing = doc.missing()
    supplies = {m.supply for m in missing}
    for key in ("manufacturer.name", "manufacturer.address", "product.intended_purpose",
                "product.support_period_end", "product.instructions.updates",
                "product.sbom_location"):  # fmt: skip
        assert f"answer cra.{key} in steward.yml" in {s.split(" (")[0] for s in supplies}, key
    md = render.to_markdown(doc)
    table = md.split("## Missing")[1]
    assert "cra.product.support_period_end" in table and "cra.manufacturer.name" in table


def test_an_unanswered_item_is_reported_missing_not_defaulted(
    tmp_path: Path, shared_data: Path
) -> None:
    answers = json.loads(json.dumps(ANSWERS))
    del answers["product"]["support_period_end"]
    del answers["product"]["support_type"]
    root = make_project(tmp_path / "widget", shared_data, answers=answers)
    inputs = gather(root, role="manufacturer")
    for name, ref in (("annex-ii", "(7)"), ("annex-vii", "(4)")):
        doc = resolve(name).build(inputs)
        end = next(i for s in doc.sections for i in s.items
                   if i.ref == ref and "end" in i.label.lower())  # fmt: skip
        assert end.value is None
        assert any("cra.product.support_period_end" in m.supply for m in doc.missing())
        text = render.to_markdown(doc)
        assert not re.search(r"20[3-9]\d-\d\d-\d\d", text)  # no end date invented
        line = next(x for x in text.splitlines() if f"{end.label}:**" in x)
        assert "*missing*: answer cra.product.support_period_end" in line
    # the same answer given back fills it
    write_answers(root, {**answers, "product": {**answers["product"],
                                                "support_period_end": "2032-06-30"}})  # fmt: skip
    doc = resolve("annex-ii").build(gather(root, role="manufacturer"))
    assert "2032-06-30" in render.to_markdown(doc)


def test_an_assessment_for_another_role_is_flagged(full_project: Path, tmp_path: Path) -> None:
    project_role = gather(full_project, role="project").assessment
    assert project_role is not None
    saved = tmp_path / "assessment.json"
    saved.write_text(project_role.to_json())
    inputs = gather(full_project, role="manufacturer", assessment_files=[saved])
    doc = resolve("annex-vii").build(inputs)
    assert any("an assessment for the role manufacturer" in m.what for m in doc.missing())


def test_the_steward_policy_shows_each_project(full_project: Path, tmp_path: Path) -> None:
    inputs = gather(full_project, role="steward")
    first = inputs.assessment
    assert first is not None
    other = first.model_copy(update={"project": "gadget"})
    both = Inputs(generated_at=inputs.generated_at, config=inputs.config,
                  assessments=[(first, Sourced("a.json")), (other, Sourced("b.json"))])  # fmt: skip
    doc = resolve("art24-policy").build(both)
    handling = next(s for s in doc.sections if s.title.startswith("Effective handling"))
    projects = {row[0] for row in handling.tables[0].rows}
    assert projects == {"widget", "gadget"}
    assert handling.items[0].value.text.startswith("The foundation's commitment")
    refs = [s.ref for s in doc.sections]
    assert {"Art. 24(1)", "Art. 24(2)"} <= set(refs)
    assert any(r.startswith("Art. 24(3)") for r in refs)


def test_every_document_renders_in_every_format(full_inputs: Inputs) -> None:
    for kind in KINDS:
        doc = kind.build(full_inputs)
        md = render.to_markdown(doc)
        html = render.to_html(doc)
        assert md.startswith(f"# {doc.title}")
        assert "## Missing" in md and "## Sources" in md
        assert html.startswith("<!DOCTYPE html>") and 'id="missing"' in html
        assert doc.basis in md and doc.basis in html


def test_an_assessment_file_is_read_not_recomputed(full_project: Path, tmp_path: Path) -> None:
    computed = gather(full_project, role="manufacturer").assessment
    assert isinstance(computed, Assessment)
    changed = computed.model_copy(update={"project": "renamed-in-the-file"})
    saved = tmp_path / "a.json"
    saved.write_text(changed.to_json())
    inputs = gather(full_project, role="manufacturer", assessment_files=[saved])
    assert inputs.assessment is not None and inputs.assessment.project == "renamed-in-the-file"
    assert inputs.assessment_source == str(saved)


def test_the_readme_example_is_valid_steward_yml() -> None:
    from steward.projectconfig import parse_project_config

    readme = (REPO_ROOT / "README.md").read_text()
    block = "cra:" + readme.split("```yaml\ncra:")[1].split("```")[0]
    config = parse_project_config(block, source="README.md")
    assert config.sections.cra.scope.category == "none"
    assert config.sections.cra.standards == ()


def test_the_checkout_directory_name_is_never_the_product_name(
    tmp_path: Path, shared_data: Path
) -> None:
    """Reproducer: a checkout without a name in any manifest (a directory called
    ``checkout-42``, an SBOM from a lockfile) gave ``checkout-42`` as the product's name in
    Annex II (3), Annex V (1) and the declarations' subject."""
    from tests.collect.gitrepo import commit, init

    root = tmp_path / "checkout-42"
    init(root)
    lock = (shared_data / "lockfiles/javascript-packagelockjson").glob("*.json")
    commit(root, "init", {"SECURITY.md": "# Security\n\nMail security@example.org\n",
                          "package-lock.json": next(iter(sorted(lock))).read_bytes()})  # fmt: skip
    inputs = gather(root, role="manufacturer")
    assert inputs.assessment is not None and inputs.assessment.project == "checkout-42"
    for name in ("annex-ii", "annex-v", "annex-vii"):
        doc = resolve(name).build(inputs)
        assert "checkout-42" not in doc.subject, name
        names = [i for s in doc.sections for i in s.items if i.label == "Name"]
        assert all(i.value is None for i in names), name
        if name != "annex-vii":  # Annex VII names the product only in its subject
            assert any("cra.product.name" in m.supply for m in doc.missing()), name
    write_answers(root, {"product": {"name": "Widget Pro"}})
    doc = resolve("annex-ii").build(gather(root, role="manufacturer"))
    assert doc.subject.startswith("Widget Pro")


def test_the_steward_policy_shows_the_projects_own_evidence(
    full_project: Path, tmp_path: Path
) -> None:
    """Reproducer: the policy's "evidence in the projects" came from an assessment made for
    the role steward, where every requirement addressed to a project is not applicable: tests,
    review, SAST ... all read "not-applicable" for a project that has them."""
    doc = resolve("art24-policy").build(gather(full_project, role="steward"))
    secure = next(s for s in doc.sections if s.title.startswith("Fostering the development"))
    statuses = {row[1]: row[3] for row in secure.tables[0].rows}
    assert statuses["STW-QA-02"] == "pass"  # the widget's CI runs its tests
    assert not any(s.startswith("not-applicable") for s in statuses.values())
    stewardship = next(s for s in doc.sections if s.title.startswith("Steward requirements"))
    assert {row[1] for row in stewardship.tables[0].rows} >= {"STW-STEW-01", "STW-STEW-04"}
    assert all(row[3] != "not-applicable" for row in stewardship.tables[0].rows)
    # an assessment file made for the role steward cannot show them: said so, not "n/a"
    saved = tmp_path / "steward.json"
    steward_view = gather(full_project, role="steward").assessment
    assert steward_view is not None
    saved.write_text(steward_view.to_json())
    given = resolve("art24-policy").build(
        gather(full_project, role="steward", assessment_files=[saved])
    )
    secure = next(s for s in given.sections if s.title.startswith("Fostering the development"))
    row = next(r for r in secure.tables[0].rows if r[1] == "STW-QA-02")
    assert row[3] == "not evaluated (assessment made for the role steward)"


def test_a_declared_procedure_art_32_does_not_allow_is_flagged(
    full_project: Path, tmp_path: Path, shared_data: Path
) -> None:
    """Reproducer: a class II product (a firewall) declared under internal control (module
    A) gave a complete declaration; Art. 32(3) needs B+C, H or certification."""
    doc = resolve("annex-v").build(gather(full_project, role="manufacturer"))
    assert not any(m.ref == "Annex V (7)" for m in doc.missing())  # default class: module A
    scope = {**ANSWERS["scope"], "category": "firewalls-ids-ips", "free_open_source": False}
    root = make_project(tmp_path / "firewall", shared_data, answers={**ANSWERS, "scope": scope})
    doc = resolve("annex-v").build(gather(root, role="manufacturer"))
    flagged = [m for m in doc.missing() if m.ref.startswith("Annex V (7)")]
    assert flagged and "'internal control (module A)' is not" in flagged[0].what
    assert "Art. 32(3)" in flagged[0].what
    labels = {i.label for s in doc.sections for i in s.items}
    assert "Notified body: name" in labels  # B+C and H involve a notified body


def test_annex_vii_claims_nothing_that_is_not_given(bare_project: Path) -> None:
    """Reproducers: Annex VII (1)(d) read "rendered from the same evidence and answers" as a
    filled item while Annex II had 20 items missing; Annex VII (5) stated "Other technical
    specification applied: the Steward common standard", a statement no manufacturer made."""
    doc = resolve("annex-vii").build(gather(bare_project, role="manufacturer"))
    user_info = next(i for s in doc.sections for i in s.items if i.ref == "(1)(d)")
    assert user_info.value is None
    assert re.fullmatch(r"complete the \d+ missing items of `steward docs annex-ii`",
                        user_info.supply)  # fmt: skip
    md = render.to_markdown(doc)
    assert "specification applied" not in md
    assert "not a harmonised standard" in md


#: every point of each Annex, as the document's sections cite them
ANNEX_POINTS = {
    "annex-v": ["Annex V (1)", "Annex V (2)", "Annex V (3)", "Annex V (4)", "Annex V (5)",
                "Annex V (6)", "Annex V (7)", "Annex V (8)"],
    "annex-vi": ["Annex VI"],
    "annex-vii": ["Art. 32", "Annex VII (1)", "Annex VII (2)(a)", "Annex VII (2)(b)",
                  "Annex VII (2)(c)", "Annex VII (3)", "Annex VII (4)", "Annex VII (5)",
                  "Annex VII (6)", "Annex VII (7)", "Annex VII (8)"],
    "annex-ii": [f"Annex II ({n})" for n in range(1, 10)],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ANNEX_POINTS))
def test_every_point_of_the_annex_is_there_filled_or_missing(
    name: str, full_inputs: Inputs, bare_project: Path
) -> None:
    for inputs in (full_inputs, gather(bare_project, role="manufacturer")):
        doc = resolve(name).build(inputs)
        assert [s.ref for s in doc.sections] == ANNEX_POINTS[name]
        md = render.to_markdown(doc)
        for section in doc.sections:
            for item in section.items:  # each item: a value with its source, or missing
                assert (item.value is not None and item.value.source) or (
                    item.missing is not None and item.supply in md
                ), (name, item.ref, item.label)
    vii = resolve("annex-vii").build(full_inputs)
    general = next(s for s in vii.sections if s.ref == "Annex VII (1)")
    assert [i.ref for i in general.items] == ["(1)(a)", "(1)(b)", "(1)(c)", "(1)(d)"]


def test_each_missing_policy_statement_says_which(bare_project: Path) -> None:
    """Reproducer: the Art. 24 policy's missing list read "The steward's policy" seven times,
    the rows told apart only by the key to answer."""
    doc = resolve("art24-policy").build(gather(bare_project, role="steward"))
    whats = [m.what for m in doc.missing() if "cra.policy." in m.supply]
    assert len(whats) == 8 and len(set(whats)) == 8
    assert "The steward's policy (Effective handling of vulnerabilities by the developers)" in whats


def test_documents_say_when_the_role_is_not_theirs(
    full_project: Path, bare_project: Path, tmp_path: Path, shared_data: Path
) -> None:
    """Reproducer: a steward's answers (or none) still gave a clean EU declaration of
    conformity; a steward may not affix the CE marking (Recital 19), and an undecided role
    is an open question, not a manufacturer by default."""
    undecided = resolve("annex-v").build(gather(bare_project, role="manufacturer"))
    assert any("whether you are the manufacturer" in m.what for m in undecided.missing())
    steward_scope = {"eu_market": True, "excluded_sector": False, "contributor_only": False,
                     "charges_price": False, "paid_support_beyond_costs": False,
                     "monetised_platform": False, "personal_data_beyond_security": False,
                     "donations_for_profit": False, "free_open_source": True,
                     "legal_person": True, "sustained_support": True}  # fmt: skip
    root = make_project(tmp_path / "w", shared_data, answers={**ANSWERS, "scope": steward_scope})
    for name in ("annex-ii", "annex-v", "annex-vi", "annex-vii"):
        doc = resolve(name).build(gather(root, role="manufacturer"))
        assert doc.notice.startswith("The scope answers in steward.yml make you steward"), name
        assert "may not affix the CE marking (Recital 19)" in doc.notice
        assert doc.notice in render.to_markdown(doc).replace("\n> ", " ")
    policy = resolve("art24-policy").build(gather(root, role="steward"))
    assert not policy.notice
    maker = resolve("art24-policy").build(gather(full_project, role="steward"))
    assert "make you manufacturer, not steward" in maker.notice


def test_documents_read_the_case_store_as_the_os_account_not_a_declared_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents read the case store as the operating-system account: STEWARD_USER does not
    become the reading principal (whose name the store records as actor; issue 15, item 1)."""
    import getpass

    from steward.disclosure.cases import Cases, Draft
    from steward.disclosure.events import EventKind
    from steward.disclosure.model import CaseKind

    db = tmp_path / "cases.sqlite"
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    owner = Cases.open(db, getpass.getuser())
    private = owner.new_case(
        kind=CaseKind.VULNERABILITY,
        title="Unpublished heap overflow",
        project="widget",
        received_at=at,
        drafts=[Draft(EventKind.CONFIRMED, {}, at + dt.timedelta(minutes=30))],
        now=at + dt.timedelta(hours=1),
    )
    owner.store.close()
    readers: list[str] = []
    opened = Cases.open.__func__  # type: ignore[attr-defined]

    def recording(cls: type[Cases], *args: Any, **kwargs: Any) -> Cases:
        cases: Cases = opened(cls, *args, **kwargs)
        readers.append(cases.principal.name)
        return cases

    monkeypatch.setattr(Cases, "open", classmethod(recording))
    monkeypatch.setenv("STEWARD_USER", "mallory")
    inputs = gather(None, role="manufacturer", db=str(db), now=at + dt.timedelta(days=1))
    assert [c.id for c in inputs.cases or ()] == [private]
    assert readers == [getpass.getuser()]
