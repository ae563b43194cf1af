"""Fuzz targets per parser family (issue 18), run by hypothesis with a fixed budget.

Each family mutates real inputs (:mod:`tests.fuzz.mutate`) and runs the family's public
path (:mod:`tests.fuzz.targets`); only :class:`~steward.errors.InputError` (exit 2) may come
out. The budget is fixed and the runs derandomised, so the suite is repeatable; the long run
is ``bench/fuzz_parsers.py``, and what it finds is added to ``test_fuzz_regressions.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import seeds, targets
from tests.fuzz.mutate import mutate

BUDGET = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LOCKFILES = seeds.lockfiles()
SBOMS = seeds.files("sboms", ".json", ".xml", ".spdx", limit=40)
CSAF = seeds.files("csaf-2.0/examples", ".json", limit=20)
OSV = seeds.files("osv/pypa-advisory-database", ".yaml", limit=40)
WORKFLOWS = seeds.files("scorecard-testdata", ".yml", limit=20)
SEED = st.integers(min_value=0, max_value=2**32 - 1)
ROUNDS = st.integers(min_value=1, max_value=3)


def _write(name: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="steward-fuzz-"))
    target = folder / name
    target.write_bytes(data)
    return target


def _need(items: list[object], what: str) -> None:
    if not items:
        pytest.skip(f"no {what} seeds (shared corpora not found)")


@BUDGET
@given(st.sampled_from(LOCKFILES or [("none", Path())]), SEED, ROUNDS)
def test_lockfiles(item: tuple[str, Path], seed: int, rounds: int) -> None:
    _need(LOCKFILES, "lockfile")
    name, fixture = item
    targets.lockfile(_write(name, mutate(name, fixture.read_bytes(), seed, rounds)))


@BUDGET
@given(st.sampled_from(SBOMS or [Path()]), SEED, ROUNDS)
def test_sbom_reader(fixture: Path, seed: int, rounds: int) -> None:
    _need(SBOMS, "SBOM")
    targets.sbom(_write(fixture.name, mutate(fixture.name, fixture.read_bytes(), seed, rounds)))


@BUDGET
@given(st.sampled_from(seeds.vex_seeds()), SEED, ROUNDS)
def test_vex(item: tuple[str, bytes], seed: int, rounds: int) -> None:
    name, raw = item
    targets.vex(_write(name, mutate(name, raw, seed, rounds)))


@settings(BUDGET, max_examples=15)
@given(st.sampled_from(CSAF or [Path()]), SEED, ROUNDS)
def test_csaf(fixture: Path, seed: int, rounds: int) -> None:
    _need(CSAF, "CSAF")
    targets.csaf(_write(fixture.name, mutate(fixture.name, fixture.read_bytes(), seed, rounds)))


@settings(BUDGET, max_examples=15)
@given(st.sampled_from(OSV or [Path()]), SEED, ROUNDS)
def test_osv_import(fixture: Path, seed: int, rounds: int) -> None:
    _need(OSV, "OSV")
    record = _write(fixture.name, mutate(fixture.name, fixture.read_bytes(), seed, rounds))
    targets.osv(record, record.parent / "vulndb.sqlite")


WORKFLOW_SEEDS = [("ci.yml", seeds.WORKFLOW)] + [(p.name, p.read_bytes()) for p in WORKFLOWS]


@BUDGET
@given(st.sampled_from(WORKFLOW_SEEDS), SEED, ROUNDS)
def test_workflows(item: tuple[str, bytes], seed: int, rounds: int) -> None:
    name, raw = item
    targets.workflow(_write("ci.yml", mutate(name, raw, seed, rounds)))


@BUDGET
@given(SEED, ROUNDS)
def test_steward_yml(seed: int, rounds: int) -> None:
    targets.steward_yml(
        _write("steward.yml", mutate("steward.yml", seeds.STEWARD_YML, seed, rounds))
    )
