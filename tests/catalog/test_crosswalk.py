"""Crosswalks derived from the OSPS Baseline's published mapping documents, the review of
every difference from our own mapping, and the ORC specifications (../shared/data)."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from steward.catalog import crosswalk as cw
from steward.catalog.crosswalk import Framework, Rule, crosswalk, links, normalise, review
from steward.catalog.loader import load_catalog, load_orc_items
from steward.catalog.mappings import import_documents, load_osps_mappings, render
from steward.catalog.model import Mappings
from steward.errors import InputError

MAPPINGS = Path("osps-baseline-2026-draft") / "baseline" / "mappings"


def test_packaged_mappings_are_the_published_documents(shared_data: Path) -> None:
    documents = import_documents(shared_data / MAPPINGS)
    assert len(documents) == 14
    assert all(d.draft for d in documents)
    packaged = load_osps_mappings()
    assert packaged.source["status"].startswith("draft")
    data = (files("steward.catalog") / "data" / "osps_mappings.json").read_bytes()
    assert render(documents, packaged.source) == data
    assert {d.key for d in documents} >= {"cra", "ssdf", "scorecard", "tr-03185-2"}
    cra = packaged.documents["cra"]
    assert cra.target["version"] == "20.11.2024"
    assert cra.targets("OSPS-VM-01") == ("2.1", "2.2", "2.3", "2.6", "2.7", "2.8")


def test_every_difference_from_the_published_mapping_is_fixed_or_explained() -> None:
    problems = review(load_catalog())
    assert problems == [], "\n".join(problems)


def _with_mappings(requirement_id: str, **changes: tuple[str, ...]):  # type: ignore[no-untyped-def]
    catalog = load_catalog()
    requirements = []
    for r in catalog.requirements:
        if r.id == requirement_id:
            data = r.mappings.model_dump()
            data.update(changes)
            r = r.model_copy(update={"mappings": Mappings(**data)})
        requirements.append(r)
    return catalog.model_copy(update={"requirements": tuple(requirements)})


def test_review_reports_unexplained_differences() -> None:
    catalog = load_catalog()
    vul01 = catalog.get("STW-VUL-01")
    assert vul01 is not None
    # an item of ours the published mapping does not derive, with no reason
    extra = _with_mappings("STW-VUL-01", cra=(*vul01.mappings.cra, "Annex I Part I (2)(m)"))
    assert any(
        "STW-VUL-01 maps Annex I Part I (2)(m)" in p and "without a reason" in p
        for p in review(extra)
    )
    # a published link dropped from our mapping without a rejection
    vul03 = catalog.get("STW-VUL-03")
    assert vul03 is not None and "Annex I Part II (6)" in vul03.mappings.cra
    dropped = _with_mappings("STW-VUL-03", cra=("Annex I Part II (5)",))
    assert any(
        "OSPS-VM-03 -> Annex I Part II (6)" in p and "not rejected" in p for p in review(dropped)
    )
    # mapping an item the review rejects for that control is a contradiction
    ac01 = catalog.get("STW-AC-01")
    assert ac01 is not None
    contradicting = _with_mappings("STW-AC-01", cra=(*ac01.mappings.cra, "Annex I Part I (2)(d)"))
    assert any("although the review rejects" in p for p in review(contradicting))


def test_review_reports_rules_that_explain_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    stale = Rule(
        framework=Framework.CRA,
        kind="add",
        items=("Annex I Part I (2)(m)",),
        reason="a reason that no longer explains any difference",
        requirements=("STW-VUL-01",),
    )
    rules = (*cw.load_review(), stale)
    monkeypatch.setattr(cw, "load_review", lambda: rules)
    assert any("explains no difference" in p for p in review(load_catalog()))


def test_links_say_where_they_come_from() -> None:
    catalog = load_catalog()
    vul01 = catalog.get("STW-VUL-01")
    assert vul01 is not None
    by_item = {link.item: link for link in links(vul01, Framework.CRA)}
    published = by_item["Annex I Part II (6)"]
    assert published.source == "published" and published.via == ("OSPS-VM-01.01",)
    own = by_item["Annex I Part II (5)"]
    assert own.source == "steward" and "omits" in own.reason
    rpt01 = catalog.get("STW-RPT-01")
    assert rpt01 is not None  # not mapped to OSPS: Steward's own mapping, no reason needed
    assert all(link.source == "steward" for link in links(rpt01, Framework.CRA))


def test_tr_03185_2_crosswalk_is_derived_through_osps() -> None:
    rows = crosswalk(load_catalog(), Framework.TR_03185_2)
    published = load_osps_mappings().documents["tr-03185-2"]
    assert [r.item for r in rows] == sorted(published.entries())
    vm01 = next(r for r in rows if r.item == "VM.01")
    assert "STW-VUL-01" in vm01.requirements
    assert all(link.via for r in rows for link in r.links)
    assert not [r.item for r in rows if r.gap]


@pytest.mark.parametrize(
    ("entry", "item"),
    [
        ("1.1", "Annex I Part I (1)"),
        ("1.2d", "Annex I Part I (2)(d)"),
        ("2.5", "Annex I Part II (5)"),
    ],
)
def test_cra_entry_ids_are_read_as_annex_items(entry: str, item: str) -> None:
    assert normalise(Framework.CRA, entry) == item


def test_unknown_cra_entry_id_is_an_error() -> None:
    with pytest.raises(InputError, match=r"unknown CRA entry id '3\.1'"):
        normalise(Framework.CRA, "3.1")


GOOD = """\
title: OSPS to X
metadata:
  id: osps-to-x
  type: MappingDocument
  gemara-version: "1.2.0"
  description: test
  draft: true
  author: {id: a, name: A, type: Human}
  mapping-references:
    - {id: osps-baseline, title: OSPS, version: draft}
    - {id: X, title: Framework X, version: "2.0", url: https://example.org/x}
source-reference: {reference-id: osps-baseline, entry-type: Control}
target-reference: {reference-id: X, entry-type: Guideline}
mappings:
  - id: M-1
    source: OSPS-VM-01
    relationship: relates-to
    targets: [{entry-id: X.1}, {entry-id: X.2}]
"""


def test_import_reads_a_mapping_document(tmp_path: Path) -> None:
    (tmp_path / "osps-to-x.yaml").write_text(GOOD)
    [doc] = import_documents(tmp_path)
    assert doc.key == "x" and doc.target["version"] == "2.0"
    assert doc.targets("OSPS-VM-01") == ("X.1", "X.2")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("type: MappingDocument", "type: ControlCatalog", "not 'MappingDocument'"),
        ("source: OSPS-VM-01", "source: VM-01", "not an OSPS control id"),
        ("targets: [{entry-id: X.1}, {entry-id: X.2}]", "targets: []", "no targets"),
        ("reference-id: X, entry-type", "reference-id: Y, entry-type", "no mapping-reference"),
        ("mappings:", "mappings: [unclosed", "invalid YAML"),
    ],
)
def test_import_rejects_malformed_documents(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    (tmp_path / "osps-to-x.yaml").write_text(GOOD.replace(old, new, 1))
    with pytest.raises(InputError, match=message) as info:
        import_documents(tmp_path)
    assert "osps-to-x.yaml" in str(info.value)


def test_import_needs_documents(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no osps-to"):
        import_documents(tmp_path)
    with pytest.raises(InputError, match="not a directory"):
        import_documents(tmp_path / "missing")


def _statements(spec: str) -> list[str]:
    """Every sentence of the specification with an upper-case MUST or SHOULD, except the
    BCP 14 boilerplate."""
    out = []
    for paragraph in spec.splitlines():
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", paragraph):
            if re.search(r"\b(MUST|SHOULD)\b", sentence) and "BCP 14" not in sentence:
                out.append(sentence)
    return out


def test_every_orc_must_and_should_is_an_item(shared_data: Path) -> None:
    """Each MUST/SHOULD statement of the ORC vulnerability handling specification is one of
    our items (found by its quote), and no quote is stale."""
    spec = (shared_data / "orc" / "vulnerability-management-spec" / "spec.md").read_text()
    statements = _statements(spec)
    assert len(statements) >= 35
    data = (files("steward.catalog") / "data" / "orc_vhs.yaml").read_bytes()
    raw = cw.loads_yaml(data, source="orc_vhs.yaml")
    quotes = {q: item for item, entry in raw["items"].items() for q in entry["quotes"]}
    for statement in statements:
        matched = {item for q, item in quotes.items() if q in statement}
        assert len(matched) == 1, statement
    for quote in quotes:
        assert sum(quote in s for s in statements) == 1, quote


def test_orc_template_items_are_the_published_checklist(shared_data: Path) -> None:
    text = (shared_data / "orc" / "cra-attestations" / "proposals" / "template-lite.md").read_text()
    published = re.findall(r"- \[ \] ([A-Z]{2}\.\d{2}):", text)
    assert list(load_orc_items("orc-vsa")) == published


@pytest.mark.parametrize("framework", list(Framework))
def test_crosswalks_have_no_gaps(framework: Framework) -> None:
    rows = crosswalk(load_catalog(), framework)
    assert rows
    if framework is not Framework.SSDF:  # SSDF tasks for organisations stay partly uncovered
        assert [r.item for r in rows if r.gap] == []


def test_machine_checkable_orc_items_run_probes_and_ask_for_the_rest() -> None:
    """The ORC items a machine can (partly) check - a reporting method without an account, an
    encryption key, the policy in distributed source, a published list of vulnerabilities - are
    covered by requirements that run a probe and ask for attestation of what it cannot see."""
    catalog = load_catalog()
    for item in ("VRP-11", "VRP-12", "VRP-17", "PUB-02"):
        covering = [r for r in catalog.requirements if item in r.mappings.orc_vhs]
        assert covering, item
        for r in covering:
            assert r.verification.probes and r.verification.attestation, (item, r.id)


@pytest.mark.parametrize("framework", [Framework.CRA, Framework.SSDF, Framework.SCORECARD])
def test_every_published_link_not_taken_over_shows_its_reason(framework: Framework) -> None:
    catalog = load_catalog()
    rejected = cw.rejections(catalog, framework)
    assert rejected
    assert all(r.reason != "not reviewed" and len(r.reason) > 20 for r in rejected)
    published = cw.document(framework)
    assert published is not None
    for r in rejected:  # each one really is a published link
        assert any(
            normalise(framework, e) == r.item
            for o in r.via
            for e in published.targets(o.rsplit(".", 1)[0])
        )
