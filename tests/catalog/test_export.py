"""Exports: OSCAL 1.1 validated with compliance-trestle's OSCAL 1.1.3 models; deterministic."""

from __future__ import annotations

import copy
import json

import pytest
from trestle.oscal.catalog import Model

from steward.catalog.export import OSCAL_VERSION, oscal_control_id, to_json, to_markdown, to_oscal
from steward.catalog.loader import load_catalog


def test_oscal_catalog_validates() -> None:
    document = to_oscal(load_catalog())
    model = Model.parse_obj(document)
    assert model.catalog.metadata.oscal_version.__root__ == OSCAL_VERSION
    controls = [c for g in model.catalog.groups for c in g.controls]
    assert len(controls) == len(load_catalog().requirements)
    vul03 = next(c for c in controls if c.id == oscal_control_id("STW-VUL-03"))
    assert vul03.id == "stw-vul-03"
    names = {p.name: p for p in vul03.parts}
    assert "private way to report" in names["statement"].prose
    assert any(
        p.name == "probe" and p.value == "security_policy_private_contact"
        for p in names["verification"].props
    )


def test_oscal_validation_catches_bad_documents() -> None:
    document = to_oscal(load_catalog())
    broken = copy.deepcopy(document)
    broken["catalog"]["groups"][0]["controls"][0]["id"] = "not a token"
    with pytest.raises(Exception, match="id"):
        Model.parse_obj(broken)
    untitled = copy.deepcopy(document)
    del untitled["catalog"]["metadata"]["title"]
    with pytest.raises(Exception, match="title"):
        Model.parse_obj(untitled)
    bad_prop = copy.deepcopy(document)
    bad_prop["catalog"]["groups"][0]["controls"][0]["props"][0]["value"] = " padded "
    with pytest.raises(Exception, match="value"):
        Model.parse_obj(bad_prop)


def test_exports_are_deterministic() -> None:
    catalog = load_catalog()
    assert to_json(catalog) == to_json(catalog)
    assert json.dumps(to_oscal(catalog)) == json.dumps(to_oscal(catalog))
    data = json.loads(to_json(catalog))
    assert data["version"] == catalog.version and len(data["requirements"]) == len(
        catalog.requirements
    )


def test_markdown_export() -> None:
    text = to_markdown(load_catalog())
    assert text.startswith("# Steward common standard")
    assert "### STW-RPT-01: Actively exploited vulnerabilities are reported on time" in text
    assert "- CRA: Art. 14(1), Art. 14(2)" in text


def test_exports_carry_sources() -> None:
    catalog = load_catalog()
    text = to_markdown(catalog)
    apache = "[Reporting security issues in ASF code](https://security.apache.org/report-code/)"
    assert apache in text
    document = to_oscal(catalog)
    controls = {c["id"]: c for g in document["catalog"]["groups"] for c in g["controls"]}
    links = controls["stw-vul-01"]["links"]
    assert all(link["rel"] == "reference" for link in links)
    assert "https://www.eclipse.org/security/policy/" in {link["href"] for link in links}
    data = json.loads(to_json(catalog))
    vul01 = next(r for r in data["requirements"] if r["id"] == "STW-VUL-01")
    assert "apache-report" in vul01["sources"]
    assert data["source_sections"]["apache-report"]["by"] == "apache"
