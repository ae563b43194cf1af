"""The Art. 14 Markdown is the text the Jinja2 template it replaced renders (issue 15, item 12).

``steward.disclosure.art14.render`` writes the Markdown in Python so that `steward case report`
does not load Jinja2. The template it replaced, ``data/art14_report_reference.md.j2``, renders
here with the environment and filters the module used, for payloads of every kind and stage
built from many variations of the test cases: the two texts must be identical.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from steward.disclosure.art14 import render
from steward.disclosure.art14.payloads import Art14Report, ReportStage, build_report
from steward.disclosure.model import (
    AffectedProduct,
    CaseSnapshot,
    Component,
    Manufacturer,
    ProductClass,
    Release,
)
from tests.disclosure.cases import EXPLOITED, GATEWAY, INCIDENT, MANUFACTURER, ts

NOW = ts("2026-10-04T10:00:00+00:00")
REFERENCE = Path(__file__).parent / "data"


def _reference(report: Art14Report) -> str:
    """The Markdown as the Jinja2 template renders it (render.py before issue 15, item 12)."""
    env = Environment(
        loader=FileSystemLoader(REFERENCE),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    env.filters["ts"] = render._ts
    env.filters["cell"] = lambda value: render.table_cell(str(value))
    sections = [
        (item.label, item.srp_id, render._how(item), render._value(report, item.field))
        for item in report.checklist
        if item.field not in render._NOT_SECTIONS
    ]
    text = env.get_template("art14_report_reference.md.j2").render(
        r=report,
        heading=render._HEADINGS[(report.notification_type, report.notification_level)],
        sections=sections,
        how=render._how,
        derived=any(item.derived for item in report.checklist),
    )
    return text.rstrip() + "\n"


ODD = "a | pipe, a `tick`, *stars* and\na second line"
COMPONENT = Component(
    name="zlib", version="1.2.11", purl="pkg:generic/zlib@1.2.11", affected=("<1.2.12",),
    fixed=("1.2.12",),
)  # fmt: skip
BARE_COMPONENT = Component(name="bare")


def _products() -> list[tuple[AffectedProduct, ...]]:
    full = AffectedProduct(
        name="Gateway | X", vendor="Acme", purl="pkg:pypi/gw",
        cpe="cpe:2.3:a:acme:gw:*:*:*:*:*:*:*:*",
        ecosystem="PyPI", affected=(">=1.0,<1.4.2", "==2.0.0"), fixed=("1.4.2",),
        components=(COMPONENT, BARE_COMPONENT), cra_class=ProductClass.IMPORTANT_CLASS_I,
        cra_category="routers",
    )  # fmt: skip
    classed = AffectedProduct(name="classed", cra_class=ProductClass.CRITICAL)
    branches = AffectedProduct(name="lib", fixed=("2.0.6", "1.26.17"))
    return [(), (full,), (classed, branches), (full, classed)]


def _manufacturers() -> list[Manufacturer]:
    return [
        MANUFACTURER,
        MANUFACTURER.model_copy(update={"country": None, "contact_email": None}),
        MANUFACTURER.model_copy(update={"country": "CH", "is_steward": True, "name": ODD}),
        MANUFACTURER.model_copy(update={"country": "NL"}),
    ]


def _snapshots() -> list[CaseSnapshot]:
    base = [EXPLOITED, GATEWAY, INCIDENT]
    out: list[CaseSnapshot] = list(base)
    release = Release(
        kind="fixed", occurred_at=NOW - timedelta(days=1), versions=("1.4.2",),
        description="bounds | check",
    )  # fmt: skip
    mitigation = Release(kind="mitigation_available", occurred_at=NOW - timedelta(days=2))
    for snapshot, products in itertools.product(base, _products()):
        update: dict[str, Any] = {"products": products}
        if products:
            update.update(
                title=ODD, description=ODD, member_states=("DE", "FR"),
                releases=(release, mitigation),
                user_mitigations=("disable uploads", ODD), corrective_measures=("patched",),
                aliases=("CVE-2026-1000", "EUVD-2026-5"), cvss_vector=None,
                severity_assessment="severe", suspected_malicious=False, aware_at=None,
            )  # fmt: skip
        out.append(snapshot.model_copy(update=update))
    out.append(INCIDENT.model_copy(update={"suspected_malicious": True, "root_cause": ODD}))
    out.append(
        EXPLOITED.model_copy(
            update={"cwes": ("CWE-787", "CWE-20"), "impact": "", "sensitivity": "TLP:AMBER"}
        )
    )
    return out


def _cases() -> list[tuple[CaseSnapshot, Manufacturer, ReportStage, str | None, datetime | None]]:
    cases = []
    for index, (snapshot, manufacturer) in enumerate(
        itertools.product(_snapshots(), _manufacturers())
    ):
        stage = list(ReportStage)[index % len(ReportStage)]
        override = (None, "el", "ch")[index % 3]
        due = None if index % 2 else NOW + timedelta(hours=index)
        cases.append((snapshot, manufacturer, stage, override, due))
    for stage in ReportStage:  # every stage of every kind, plainly
        for snapshot in (EXPLOITED, GATEWAY, INCIDENT):
            cases.append((snapshot, MANUFACTURER, stage, None, None))
    return cases


@pytest.mark.parametrize("case", _cases())
def test_markdown_is_the_templates(case: tuple[Any, ...]) -> None:
    snapshot, manufacturer, stage, override, due = case
    report = build_report(
        snapshot, manufacturer, stage, generated_at=NOW.astimezone(UTC), due_at=due,
        csirt_country=override,
    )  # fmt: skip
    assert render.render_markdown(report) == _reference(report)


def test_the_comparison_sees_a_difference() -> None:
    report = build_report(EXPLOITED, MANUFACTURER, ReportStage.NOTIFICATION, generated_at=NOW)
    changed = report.model_copy(update={"title": report.title + " "})
    assert render.render_markdown(changed) != _reference(report)
    assert "jinja2" not in render.__dict__ and "Environment" not in render.__dict__
