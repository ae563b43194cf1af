"""The probe registry implements exactly the catalog's probe vocabulary."""

from __future__ import annotations

from steward.catalog.loader import load_catalog, load_probe_vocabulary
from steward.evaluate import PROBES


def test_registry_keys_equal_probe_vocabulary() -> None:
    assert set(PROBES) == set(load_probe_vocabulary())


def test_every_catalog_probe_is_registered() -> None:
    used = {p for r in load_catalog().requirements for p in r.verification.probes}
    assert used <= set(PROBES)
