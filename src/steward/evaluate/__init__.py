"""Probes turn facts into findings for every requirement of the catalog.

Public interface: ``assess(root, *, forge=None, level=None, only=None, progress=None,
role="project") -> Assessment``; ``evaluate_facts(facts, ...)`` for facts collected
elsewhere; the probe registry ``PROBES`` (probe id → function) and ``run_probe``; the level
helpers ``level_achieved``, ``level_progress`` and ``next_level``; ``apply_acceptances``.
"""

from __future__ import annotations

from steward.collect.facts import ForgeData
from steward.evaluate.assess import (
    apply_acceptances,
    assess,
    evaluate_facts,
    evaluate_requirement,
    level_achieved,
    level_progress,
    next_level,
)
from steward.evaluate.model import (
    AcceptanceNote,
    Assessment,
    Blocker,
    Evidence,
    Finding,
    LevelProgress,
    NextLevel,
    ProbeOutcome,
    ProbeStatus,
    Status,
    Summary,
)
from steward.evaluate.probes import PROBES, run_probe

__all__ = [
    "PROBES",
    "AcceptanceNote",
    "Assessment",
    "Blocker",
    "Evidence",
    "Finding",
    "ForgeData",
    "LevelProgress",
    "NextLevel",
    "ProbeOutcome",
    "ProbeStatus",
    "Status",
    "Summary",
    "apply_acceptances",
    "assess",
    "evaluate_facts",
    "evaluate_requirement",
    "level_achieved",
    "level_progress",
    "next_level",
    "run_probe",
]
