"""Agreement with osv-scalibr's expectations on the real lockfile corpus (../shared/data/lockfiles).

Each fixture is parsed by the parser registered for its canonical file name (``package-lock.json``
for ``javascript-packagelockjson/*.json`` ...). Found and expected packages are compared as
multisets of (name, version). Over the whole corpus the agreement (matched / (matched + missing
+ extra)) must be at least 99%, and every disagreement must be listed, with its reason, in
``tests/sbom/data/corpus_differences.yaml`` (entries that no longer occur fail too). A
listed difference is a decision with its reason, so it counts as agreement; an unlisted one
fails the test outright.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import pytest
import yaml

from steward.errors import InputError
from steward.sbom.ecosystems import parser_for

HERE = Path(__file__).parent
DIFFERENCES = HERE / "data" / "corpus_differences.yaml"

Pair = tuple[str, str]


@dataclass
class Outcome:
    fixture: str
    missing: Counter[Pair] = field(default_factory=Counter)
    extra: Counter[Pair] = field(default_factory=Counter)
    matched: int = 0
    error: str | None = None


def _load_expected(shared_data: Path) -> dict[str, dict]:
    return json.loads((shared_data / "lockfiles" / "expected.json").read_text())


def _run_fixture(shared_data: Path, fixture: str, spec: dict) -> Outcome | None:
    parser = parser_for(PurePath(spec["canonical_filename"]))
    if parser is None:
        return None
    outcome = Outcome(fixture)
    path = shared_data / "lockfiles" / fixture
    found: Counter[Pair] = Counter()
    try:
        result = parser.parse(path)
    except InputError as exc:
        outcome.error = str(exc)
        if not spec.get("expect_error"):
            outcome.error = f"unexpected error: {exc}"
    else:
        found.update((c.name, c.version) for c in result.components)
        if spec.get("expect_error") and not result.diagnostics:
            outcome.error = "malformed fixture accepted without an error or diagnostic"
    expected: Counter[Pair] = Counter((p["name"], p["version"]) for p in spec["packages"])
    outcome.matched = sum((expected & found).values())
    outcome.missing = expected - found
    outcome.extra = found - expected
    return outcome


def _listed() -> dict[str, dict]:
    data = yaml.safe_load(DIFFERENCES.read_text()) or {}
    listed: dict[str, dict] = {}
    for entry in data.get("differences") or []:
        assert entry.get("reason"), f"{entry['fixture']}: a listed difference needs a reason"
        listed[entry["fixture"]] = entry
    return listed


def _pairs(items: list[list[str]] | None) -> Counter[Pair]:
    return Counter((name, version) for name, version in items or [])


def test_lockfile_corpus_agreement(shared_data: Path) -> None:
    expected = _load_expected(shared_data)
    outcomes = [o for f, s in sorted(expected.items()) if (o := _run_fixture(shared_data, f, s))]
    if not outcomes:
        pytest.fail("no lockfile parser is registered yet")
    listed = _listed()
    explained = sum(
        len(listed[o.fixture].get("missing") or []) for o in outcomes if o.fixture in listed
    )
    matched = sum(o.matched for o in outcomes)
    missing = sum(sum(o.missing.values()) for o in outcomes)
    extra = sum(sum(o.extra.values()) for o in outcomes)
    agreement = (matched + explained) / max(matched + missing + extra, 1)

    problems: list[str] = []
    for o in outcomes:
        entry = listed.pop(o.fixture, None)
        allowed_missing = _pairs(entry.get("missing")) if entry else Counter()
        allowed_extra = _pairs(entry.get("extra")) if entry else Counter()
        if o.error and o.error.startswith(("unexpected", "malformed")):
            problems.append(f"{o.fixture}: {o.error}")
        if o.missing - allowed_missing:
            problems.append(f"{o.fixture}: missing {sorted(o.missing - allowed_missing)}")
        if o.extra - allowed_extra:
            problems.append(f"{o.fixture}: extra {sorted(o.extra - allowed_extra)}")
        if entry and (allowed_missing - o.missing or allowed_extra - o.extra):
            problems.append(f"{o.fixture}: listed difference no longer occurs; remove it")
    covered = {o.fixture for o in outcomes}
    problems.extend(f"{f}: listed but not parsed" for f in listed if f in covered)
    report = (
        f"{len(outcomes)} fixtures, matched {matched}, missing {missing}, extra {extra}, "
        f"explained {explained}, agreement {agreement:.4%}"
    )
    print(report)
    assert not problems, report + "\n" + "\n".join(problems)
    assert agreement >= 0.99, report


def test_every_corpus_format_has_a_parser(shared_data: Path) -> None:
    meta = json.loads((shared_data / "lockfiles" / "expected_meta.json").read_text())
    missing = sorted(
        f"{extractor} ({info['canonical_filename']})"
        for extractor, info in meta["extractors"].items()
        if parser_for(PurePath(info["canonical_filename"])) is None
    )
    assert not missing, "no parser for: " + ", ".join(missing)


def test_lockfile_corpus_line_numbers(shared_data: Path) -> None:
    """Where scalibr's expectations give the file and line of a package, ours agree (>= 99%).

    Known differences: a package inherited from a parent POM is located in the parent POM
    (scalibr points at the child's <parent> element), and for duplicate Maven declarations we
    keep the first (Maven's order) where scalibr keeps the last.
    """
    expected = _load_expected(shared_data)
    total = agreeing = 0
    for fixture, spec in sorted(expected.items()):
        parser = parser_for(PurePath(spec["canonical_filename"]))
        if parser is None:
            continue
        try:
            result = parser.parse(shared_data / "lockfiles" / fixture)
        except InputError:
            continue
        found: dict[Pair, set[tuple[str, int | None]]] = {}
        for c in result.components:
            where = (Path(c.location.path).name, c.location.line) if c.location else ("", None)
            found.setdefault((c.name, c.version), set()).add(where)
        for package in spec["packages"]:
            lines = {
                (loc["path"].split("/")[-1], loc["line"])
                for loc in package.get("locations") or []
                if loc.get("line")
            }
            if not lines:
                continue
            total += 1
            where = found.get((package["name"], package["version"])) or found.get(
                (package["name"], ""),
                set(),  # a range we leave unresolved (listed above)
            )
            agreeing += bool(lines & where)
    assert total > 500
    assert agreeing / total >= 0.99, f"{agreeing}/{total} line numbers agree"
