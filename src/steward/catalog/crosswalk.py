"""Crosswalks: every item of another framework against the requirements that cover it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from steward.catalog.loader import (
    load_cra_items,
    load_osps_requirements,
    load_scorecard_checks,
    load_scorecard_out_of_scope,
    load_ssdf_tasks,
)
from steward.catalog.model import Catalog, Requirement


class Framework(StrEnum):
    CRA = "cra"
    OSPS = "osps"
    SCORECARD = "scorecard"
    SSDF = "ssdf"


def mapped_ids(requirement: Requirement, framework: Framework) -> tuple[str, ...]:
    """The ids of ``framework`` that a requirement maps to."""
    m = requirement.mappings
    return {
        Framework.CRA: m.cra,
        Framework.OSPS: m.osps,
        Framework.SCORECARD: m.scorecard,
        Framework.SSDF: m.ssdf,
    }[framework]


@dataclass(frozen=True)
class Row:
    item: str
    title: str
    requirements: tuple[str, ...]
    note: str = ""

    @property
    def gap(self) -> bool:
        return not self.requirements and not self.note


def _items(framework: Framework) -> list[tuple[str, str]]:
    if framework is Framework.CRA:
        return list(load_cra_items().items())
    if framework is Framework.OSPS:
        return [(i, f"maturity level {lvl}") for i, lvl in load_osps_requirements().items()]
    if framework is Framework.SCORECARD:
        return [(c, "") for c in load_scorecard_checks()]
    return [(t, "") for t in load_ssdf_tasks()]


def crosswalk(catalog: Catalog, framework: Framework) -> list[Row]:
    """One row per item of the framework, in the framework's own order."""
    covering: dict[str, list[str]] = {}
    for requirement in catalog.requirements:
        for item in mapped_ids(requirement, framework):
            covering.setdefault(item, []).append(requirement.id)
    out_of_scope = load_scorecard_out_of_scope() if framework is Framework.SCORECARD else {}
    rows = []
    for item, title in _items(framework):
        note = f"out of scope: {out_of_scope[item]}" if item in out_of_scope else ""
        rows.append(Row(item, title, tuple(covering.get(item, ())), note))
    return rows
