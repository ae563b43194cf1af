"""Probes turn facts into findings for every requirement of the catalog.

Public interface: ``assess(root, *, forge=None, level=None, only=None, progress=None,
role="project") -> Assessment``; ``evaluate_facts(facts, ...)`` for facts collected
elsewhere; the probe registry ``PROBES`` (probe id → function) and ``run_probe``.
"""

from __future__ import annotations

from steward.collect.facts import ForgeData
from steward.evaluate.assess import assess, evaluate_facts, evaluate_requirement, level_achieved
from steward.evaluate.model import (
    Assessment,
    Evidence,
    Finding,
    ProbeOutcome,
    ProbeStatus,
    Status,
    Summary,
)
from steward.evaluate.probes import PROBES, run_probe

__all__ = [
    "PROBES",
    "Assessment",
    "Evidence",
    "Finding",
    "ForgeData",
    "ProbeOutcome",
    "ProbeStatus",
    "Status",
    "Summary",
    "assess",
    "evaluate_facts",
    "evaluate_requirement",
    "level_achieved",
    "run_probe",
]
