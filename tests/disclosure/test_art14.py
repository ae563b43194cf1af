"""CRA Art. 14 payloads: the single reporting platform's fields per stage, checklists, gaps.

Every payload validates against the published schema; every SRP field is present with its
obligation at the stage; nothing missing is filled in; the Markdown states no fact the case
does not hold.
"""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator

from steward.disclosure.art14.payloads import (
    FieldStatus,
    Obligation,
    ReportStage,
    build_report,
    json_schema,
    srp_fields,
)
from steward.disclosure.art14.render import render_markdown
from steward.disclosure.csirts import EU_MEMBER_STATES, csirt_for, csirt_table
from steward.disclosure.model import CaseKind, ExploitationStatus
from steward.errors import InputError
from tests.disclosure.cases import EXPLOITED, GATEWAY, INCIDENT, MANUFACTURER, ts

NOW = ts("2026-10-04T10:00:00+00:00")
SCHEMA_FILE = files("steward.disclosure") / "schemas" / "art14-report.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def checklist(report) -> dict[str, tuple[Obligation, bool, FieldStatus]]:
    return {i.srp_id: (i.obligation, i.required, i.status) for i in report.checklist}


def carried(report, srp_id: str) -> Obligation | None:
    return next(i.carried_from for i in report.checklist if i.srp_id == srp_id)


def test_published_schema_matches_the_models() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema()


@pytest.mark.parametrize("stage", list(ReportStage))
@pytest.mark.parametrize(
    "case", [EXPLOITED, INCIDENT, GATEWAY], ids=["vulnerability", "incident", "component"]
)
def test_every_payload_validates(validator: Draft202012Validator, case, stage) -> None:
    report = build_report(case, MANUFACTURER, stage, generated_at=NOW)
    payload = json.loads(report.model_dump_json())
    assert [e.message for e in validator.iter_errors(payload)] == []
    assert payload["recipient"]["csirt"] == "CERT-Bund (BSI)"
    assert payload["notification_level"] == stage.value.replace("-", "_")
    ids = [item["srp_id"] for item in payload["checklist"]]
    assert ids == [str(f["id"]) for f in srp_fields(case.kind)]
    for item in payload["checklist"]:
        assert item["field"] in payload or item["field"] in ("product_type", "product_category")
    markdown = render_markdown(report)
    assert markdown.startswith("# ")
    assert report.legal_basis.split(" Regulation")[0] in markdown
    assert "## Checklist for the single reporting platform" in markdown


def test_vulnerability_fields_are_staged_as_the_platform_asks() -> None:
    stages = {
        stage: checklist(build_report(EXPLOITED, MANUFACTURER, stage, generated_at=NOW))
        for stage in ReportStage
    }
    early, note, final = (
        stages[ReportStage.EARLY_WARNING],
        stages[ReportStage.NOTIFICATION],
        stages[ReportStage.FINAL_REPORT],
    )
    assert early["8"][:2] == (Obligation.OBLIGATORY, True)  # product
    assert early["11"][:2] == (Obligation.IF_AVAILABLE, False)  # Member States
    assert early["v16"][:2] == (Obligation.OPTIONAL, False)  # nature of the vulnerability
    assert note["v16"][:2] == (Obligation.OBLIGATORY, True)
    assert final["v16"][:2] == (Obligation.CARRIED_FORWARD, True)
    assert note["v20"][:2] == (Obligation.IF_AVAILABLE, False)  # sensitivity
    assert final["v21"][:2] == (Obligation.OBLIGATORY, True)  # measure available at
    assert final["v25"][:2] == (Obligation.IF_AVAILABLE, False)  # malicious actor
    assert final["9"][:2] == (Obligation.CARRIED_FORWARD, False)  # product type: optional
    final_report = build_report(EXPLOITED, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert carried(final_report, "11") is Obligation.IF_AVAILABLE
    assert carried(final_report, "v16") is Obligation.OBLIGATORY
    assert (
        "| 11 | Member States where the product is made available | "
        "carried forward (if available) |" in render_markdown(final_report)
    )
    inter = stages[ReportStage.INTERMEDIATE_REPORT]
    assert inter["v16"][:2] == (Obligation.CARRIED_FORWARD, True)
    assert inter["v26"][:2] == (Obligation.OPTIONAL, False)


def test_complete_vulnerability_reports_have_nothing_missing() -> None:
    for stage in ReportStage:
        report = build_report(EXPLOITED, MANUFACTURER, stage, generated_at=NOW)
        assert report.missing == [], stage
    final = build_report(EXPLOITED, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert final.legal_basis == "Art. 14(2)(c) Regulation (EU) 2024/2847"
    assert final.severity is not None and final.severity.cvss is not None
    assert final.severity.cvss.base_score == 8.1
    assert final.cve_ids == ["CVE-2026-31415"]
    assert final.measure_available_at == ts("2026-10-05T12:00:00+00:00")
    assert final.security_update is not None
    assert final.security_update[0].versions == ["1.4.2", "2.3.1"]
    assert checklist(final)["v25"][2] is FieldStatus.NOT_RECORDED


def test_markdown_states_no_fact_that_was_not_recorded() -> None:
    final = build_report(EXPLOITED, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert final.malicious_actor is None
    markdown = render_markdown(final)
    assert "No information on a malicious actor" not in markdown
    section = markdown.split("## Malicious actor that exploited the vulnerability")[1]
    assert (
        section.split("##")[0].strip()
        == "_not recorded_ (if available at this stage; SRP field v25)"
    )
    recorded = EXPLOITED.model_copy(update={"malicious_actor": "A ransomware affiliate"})
    assert "A ransomware affiliate" in render_markdown(
        build_report(recorded, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    )
    bare = EXPLOITED.model_copy(
        update={"products": (EXPLOITED.products[0].model_copy(update={"fixed": ()}),)}
    )
    text = render_markdown(
        build_report(bare, MANUFACTURER, ReportStage.EARLY_WARNING, generated_at=NOW)
    )
    assert "no fixed version yet" not in text and "no fixed version recorded" in text


def test_the_final_report_takes_the_update_from_the_release_events() -> None:
    no_release = EXPLOITED.model_copy(update={"releases": (), "corrective_measures": ()})
    report = build_report(no_release, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert report.security_update is None and report.measure_available_at is None
    assert any(
        m.startswith("security_update:") and "steward case release STW-2026-0007" in m
        for m in report.missing
    )
    markdown = render_markdown(
        build_report(EXPLOITED, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    )
    assert "2026-10-05 12:00 UTC: fixed in 1.4.2, 2.3.1 — Member paths are normalised" in markdown


def test_missing_items_name_the_command_that_records_them() -> None:
    bare = INCIDENT.model_copy(update={"member_states": (), "suspected_malicious": None})
    no_country = MANUFACTURER.model_copy(update={"country": None})
    report = build_report(bare, no_country, ReportStage.EARLY_WARNING, generated_at=NOW)
    assert any(
        m.startswith("suspected_malicious:") and "steward case set STW-2026-0011 --suspected" in m
        for m in report.missing
    )
    assert any("steward case profile set --name NAME --country XX" in m for m in report.missing)
    assert not any(m.startswith("member_states") for m in report.missing)  # only if available
    item = next(i for i in report.checklist if i.field == "member_states")
    assert item.supply == "steward case set STW-2026-0011 --member-state XX"


def test_incident_severity_is_a_described_assessment() -> None:
    cvss_only = INCIDENT.model_copy(
        update={"cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"}
    )
    report = build_report(cvss_only, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert report.severity is None
    assert any("--severity-assessment" in m for m in report.missing if m.startswith("severity"))
    described = cvss_only.model_copy(
        update={"severity_assessment": "High: signing key of every 2.2-2.3 release exposed."}
    )
    report = build_report(described, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert report.severity is not None and report.severity.assessment.startswith("High")
    assert report.severity.cvss is not None
    assert "High: signing key" in render_markdown(report)


def test_missing_items_are_flagged_not_invented() -> None:
    report = build_report(INCIDENT, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert report.root_cause is None
    assert any(item.startswith("root_cause") for item in report.missing)
    assert any(item.startswith("mitigations") for item in report.missing)
    markdown = render_markdown(report)
    assert "## Missing information" in markdown
    assert "_not recorded_" in markdown
    early = build_report(INCIDENT, MANUFACTURER, ReportStage.EARLY_WARNING, generated_at=NOW)
    assert early.suspected_malicious is True
    assert early.missing == []


def test_a_steward_reports_under_art_24_3() -> None:
    steward = MANUFACTURER.model_copy(update={"is_steward": True})
    report = build_report(EXPLOITED, steward, ReportStage.NOTIFICATION, generated_at=NOW)
    assert report.legal_basis == "Art. 24(3) and Art. 14(2)(b) Regulation (EU) 2024/2847"
    assert report.manufacturer.role == "open_source_software_steward"
    assert "| Open-source software steward |" in render_markdown(report)
    inter = build_report(INCIDENT, steward, ReportStage.INTERMEDIATE_REPORT, generated_at=NOW)
    assert inter.legal_basis == "Art. 24(3) and Art. 14(6) Regulation (EU) 2024/2847"


def test_the_product_is_the_manufacturers_with_the_component_in_the_details() -> None:
    report = build_report(GATEWAY, MANUFACTURER, ReportStage.EARLY_WARNING, generated_at=NOW)
    product = report.products[0]
    assert (product.name, product.affected_versions, product.fixed_versions) == (
        "Acme Gateway",
        ["3.2.0"],
        ["3.2.1"],
    )
    component = product.components[0]
    assert (component.name, component.version, component.fixed_versions) == (
        "urllib3",
        "1.26.15",
        ["1.26.17"],
    )
    markdown = render_markdown(report)
    assert "**Acme Gateway**" in markdown
    assert "affected through the component **urllib3** 1.26.15" in markdown
    assert "fixed upstream in 1.26.17" in markdown


def test_vulnerability_not_exploited_is_not_an_art14_report() -> None:
    case = EXPLOITED.model_copy(update={"exploitation": ExploitationStatus.PROOF_OF_CONCEPT})
    with pytest.raises(InputError, match="actively exploited"):
        build_report(case, MANUFACTURER, ReportStage.EARLY_WARNING, generated_at=NOW)


def test_recipient_outside_the_union_is_flagged(validator: Draft202012Validator) -> None:
    us = MANUFACTURER.model_copy(update={"country": "US"})
    report = build_report(EXPLOITED, us, ReportStage.EARLY_WARNING, generated_at=NOW)
    assert report.recipient.csirt is None
    assert any("Art. 14(7)" in item for item in report.missing)
    chosen = build_report(
        EXPLOITED, us, ReportStage.EARLY_WARNING, generated_at=NOW, csirt_country="NL"
    )
    assert chosen.recipient.csirt == "NCSC-NL"
    no_country = MANUFACTURER.model_copy(update={"country": None})
    report = build_report(EXPLOITED, no_country, ReportStage.NOTIFICATION, generated_at=NOW)
    assert any("main establishment" in item for item in report.missing)


def test_every_field_of_the_table_has_a_stage_code_and_a_source() -> None:
    for kind in CaseKind:
        for entry in srp_fields(kind):
            assert len(entry["stages"]) == 3 and set(entry["stages"]) <= set("XCOI")
            assert entry["stages"][0] != "C"  # nothing to carry forward at 24 h


def test_csirt_table_covers_the_union() -> None:
    table = csirt_table()
    assert set(table) == EU_MEMBER_STATES
    assert len(EU_MEMBER_STATES) == 27
    assert csirt_for("el") == table["GR"]
    assert csirt_for("CH") is None
    assert all(entry.designation in ("confirmed", "unconfirmed") for entry in table.values())
