"""The probe registry: one function per probe of ``catalog/data/probes.yaml``.

Probes are grouped in one small module per family (the sections of ``probes.yaml``); each
module registers its probes with ``@probe(name)`` when imported, so importing this package
fills ``PROBES``. See ``base`` for the outcome rules every probe follows.
"""

from __future__ import annotations

from steward.evaluate.probes import (  # noqa: F401 - imported to register their probes
    ci,
    dependencies,
    documentation,
    forge,
    history,
    licensing,
    pinning,
    policy,
    releases,
    reporting,
    tree,
    workflows,
)
from steward.evaluate.probes.base import PROBES, ProbeFunction, probe, run_probe

__all__ = ["PROBES", "ProbeFunction", "probe", "run_probe"]
