"""Probes run on a small tree written for the test: the helpers the kinds tests share."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from steward.collect import collect_facts
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def judge(root: Path, files: Mapping[str, str | bytes], *probes: str) -> dict[str, ProbeOutcome]:
    """Write ``files`` under ``root``, collect its facts and run ``probes`` on them."""
    root.mkdir(parents=True, exist_ok=True)
    write(root, dict(files))
    facts = collect_facts(root)
    return {name: run_probe(name, facts) for name in probes}


def where(outcome: ProbeOutcome) -> list[str]:
    """The ``path:line`` of each piece of evidence that has a line, in order."""
    return [f"{e.source}:{e.line}" for e in outcome.evidence if e.line is not None]
