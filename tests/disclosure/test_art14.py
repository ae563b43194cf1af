"""CRA Art. 14 payloads: every type validates against the published schema; gaps are flagged."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from jsonschema import Draft202012Validator

from steward.disclosure.art14.payloads import ReportStage, build_report, json_schema
from steward.disclosure.art14.render import render_markdown
from steward.disclosure.csirts import EU_MEMBER_STATES, csirt_for, csirt_table
from steward.disclosure.model import ExploitationStatus
from steward.errors import InputError
from tests.disclosure.cases import EXPLOITED, INCIDENT, MANUFACTURER, ts

NOW = ts("2026-10-04T10:00:00+00:00")
SCHEMA_FILE = files("steward.disclosure") / "schemas" / "art14-report.schema.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def test_published_schema_matches_the_models() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema()


@pytest.mark.parametrize("stage", list(ReportStage))
@pytest.mark.parametrize("case", [EXPLOITED, INCIDENT], ids=["vulnerability", "incident"])
def test_every_payload_validates(validator: Draft202012Validator, case, stage) -> None:
    report = build_report(case, MANUFACTURER, stage, generated_at=NOW)
    payload = json.loads(report.model_dump_json())
    assert [e.message for e in validator.iter_errors(payload)] == []
    assert payload["recipient"]["csirt"] == "CERT-Bund (BSI)"
    assert payload["recipient"]["member_state"] == "DE"
    markdown = render_markdown(report)
    assert markdown.startswith("# ")
    assert report.legal_basis.split(" Regulation")[0] in markdown


def test_complete_vulnerability_reports_have_nothing_missing() -> None:
    for stage in ReportStage:
        report = build_report(EXPLOITED, MANUFACTURER, stage, generated_at=NOW)
        assert report.missing == [], stage
    final = build_report(EXPLOITED, MANUFACTURER, ReportStage.FINAL_REPORT, generated_at=NOW)
    assert final.legal_basis == "Art. 14(2)(c) Regulation (EU) 2024/2847"
    assert final.severity is not None and final.severity.base_score == 8.1
    assert final.malicious_actor is None
    assert "No information on a malicious actor" in render_markdown(final)


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


def test_csirt_table_covers_the_union() -> None:
    table = csirt_table()
    assert set(table) == EU_MEMBER_STATES
    assert len(EU_MEMBER_STATES) == 27
    assert csirt_for("el") == table["GR"]
    assert csirt_for("CH") is None
    assert all(entry.designation in ("confirmed", "unconfirmed") for entry in table.values())
