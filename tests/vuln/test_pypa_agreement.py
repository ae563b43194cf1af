"""Range evaluation against the ``versions`` lists OSV.dev computed for the PyPA advisories.

For every PyPA advisory entry that has an ``ECOSYSTEM`` range and a ``versions`` list, every
version of that package known when the advisory was last modified (the union of the
``versions`` lists of that package's advisories whose ``modified`` is not later) is
evaluated by our ranges alone (the list removed), and "affected" must match "listed".

Why "known when modified" rather than every version in the corpus: the lists are snapshots.
A version released after an advisory was last touched is missing from its list even when an
open range covers it (``introduced: 0`` with no fix); counting those would measure the age of
the snapshot, not our evaluation. (Over the whole corpus union the agreement is printed too.)

Every remaining disagreement must be recorded, with its reason, in
``data/version_differences.yaml``; recorded ones must still disagree, so the file cannot go
stale. Run this module as a script to print the current differences.
"""

from __future__ import annotations

import collections
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from steward.safeio import load_yaml
from steward.vuln.names import normalise_name
from steward.vuln.ranges import Verdict, compile_affected

DIFFERENCES = Path(__file__).parent / "data" / "version_differences.yaml"


@dataclass
class Result:
    agree: int = 0
    total: int = 0
    agree_all: int = 0
    total_all: int = 0
    unknown: int = 0
    differences: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def load_corpus(root: Path) -> list[dict[str, Any]]:
    return [load_yaml(p) for p in sorted(root.rglob("*.yaml"))]


def compare(advisories: list[dict[str, Any]]) -> Result:
    history: dict[str, list[tuple[str, set[str]]]] = collections.defaultdict(list)
    for adv in advisories:
        for aff in adv.get("affected") or ():
            key = normalise_name("PyPI", aff["package"]["name"])
            history[key].append((str(adv["modified"]), set(aff.get("versions") or ())))
    result = Result()
    for adv in advisories:
        modified = str(adv["modified"])
        for aff in adv.get("affected") or ():
            ranges = [r for r in aff.get("ranges") or () if r.get("type") != "GIT"]
            if "versions" not in aff or not ranges:
                continue
            listed = set(aff["versions"])
            compiled = compile_affected({**aff, "versions": []})
            package = normalise_name("PyPI", aff["package"]["name"])
            known: set[str] = set()
            everything: set[str] = set()
            for when, versions in history[package]:
                everything |= versions
                if when <= modified:
                    known |= versions
            for version in everything:
                verdict = compiled.evaluate(version)
                if verdict is Verdict.UNKNOWN:
                    result.unknown += 1
                agrees = (verdict is Verdict.AFFECTED) == (version in listed)
                result.total_all += 1
                result.agree_all += agrees
                if version not in known:
                    continue
                result.total += 1
                result.agree += agrees
                if not agrees:
                    side = "range_only" if version not in listed else "list_only"
                    diff = result.differences.setdefault(adv["id"], {})
                    diff.setdefault(side, set()).add(version)
    return result


@pytest.fixture(scope="module")
def pypa(shared_data: Path) -> Result:
    root = shared_data / "osv" / "pypa-advisory-database" / "vulns"
    if not root.is_dir():
        pytest.skip(f"PyPA advisory database not found at {root}")
    return compare(load_corpus(root))


def test_agreement_with_osv_versions_lists(pypa: Result) -> None:
    recorded = {d["id"]: d for d in load_yaml(DIFFERENCES)["differences"]}
    found = pypa.differences
    undocumented = {i: d for i, d in found.items() if i not in recorded}
    assert not undocumented, f"new disagreements, record or fix them: {undocumented}"
    for adv_id, rec in recorded.items():
        assert rec.get("explanation"), f"{adv_id}: no explanation"
        now = found.get(adv_id, {})
        for side in ("range_only", "list_only"):
            assert set(rec.get(side) or ()) == now.get(side, set()), (
                f"{adv_id} {side}: recorded {sorted(rec.get(side) or ())}, "
                f"found {sorted(now.get(side, set()))}"
            )
    explained = sum(len(v) for d in found.values() for v in d.values())
    assert pypa.total > 100_000  # the corpus was really evaluated
    assert pypa.unknown == 0  # every PyPI version in the corpus parses
    raw = pypa.agree / pypa.total
    print(
        f"\nPyPA agreement: {pypa.agree}/{pypa.total} = {raw:.4%} raw; "
        f"{(pypa.agree + explained) / pypa.total:.4%} with {explained} recorded upstream "
        f"differences in {len(found)} advisories; whole-corpus union "
        f"{pypa.agree_all}/{pypa.total_all} = {pypa.agree_all / pypa.total_all:.4%}"
    )
    assert raw >= 0.99
    assert (pypa.agree + explained) / pypa.total >= 0.999


if __name__ == "__main__":  # pragma: no cover - maintenance helper
    res = compare(load_corpus(Path(sys.argv[1])))
    for adv_id, sides in sorted(res.differences.items()):
        print(adv_id, {k: sorted(v) for k, v in sides.items()})
    print(res.agree, res.total, res.agree_all, res.total_all)
