"""Shared fixtures: the realistic project with all answers, a case store, the findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from steward.disclosure.cases import Cases, Draft
from steward.disclosure.events import EventKind
from steward.disclosure.model import AffectedProduct, CaseKind, Manufacturer
from tests.documents.project import ANSWERS, make_project

DATA = Path(__file__).parent / "data"
FINDINGS = DATA / "findings.json"


def case_store(path: Path) -> Path:
    """A case store with one published vulnerability that was actively exploited."""
    cases = Cases.open(path, "alice")
    cases.set_profile(
        Manufacturer(name="Acme Widgets GmbH", country="DE", contact_email="psirt@acme.example")
    )
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    product = AffectedProduct(name="widget", ecosystem="PyPI", purl="pkg:pypi/widget",
                              affected=("<1.0.1",), fixed=("1.0.1",))  # fmt: skip
    cases.new_case(
        kind=CaseKind.VULNERABILITY,
        title="Crafted widget file exhausts memory",
        project="widget",
        received_at=at,
        drafts=[
            Draft(EventKind.PRODUCTS_SET, {"products": [product.model_dump(mode="json")]}, at),
            Draft(EventKind.CONFIRMED, {}, at + dt.timedelta(minutes=30)),
            Draft(EventKind.EXPLOITATION_AWARE, {"evidence": "honeypot"},
                  at + dt.timedelta(hours=1)),
            Draft(EventKind.FIXED, {"versions": ["1.0.1"]}, at + dt.timedelta(days=2)),
            Draft(EventKind.PUBLISHED, {"url": "https://acme.example/advisories/1"},
                  at + dt.timedelta(days=3)),
        ],
        now=at + dt.timedelta(days=4),
    )  # fmt: skip
    return path


@pytest.fixture(scope="module")
def full_project(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The widget project with every answer, and the secure update distribution attested."""
    root = make_project(tmp_path_factory.mktemp("full") / "widget", shared_data, answers=ANSWERS)
    config = yaml.safe_load((root / "steward.yml").read_text())
    config["attestations"] = {
        "STW-SUP-02": {"status": "met", "evidence": "https://acme.example/widget/updates"}
    }
    (root / "steward.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


@pytest.fixture(scope="module")
def bare_project(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The same project with no steward.yml at all."""
    return make_project(tmp_path_factory.mktemp("bare") / "widget", shared_data)


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return case_store(tmp_path_factory.mktemp("cases") / "cases.sqlite")
