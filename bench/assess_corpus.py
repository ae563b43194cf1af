"""Agreement of ``steward assess`` with hand-labelled facts of real repositories.

Usage:
    python bench/assess_corpus.py [--labels bench/corpus/labels.yaml] [--mirror DIR]
                                  [--only owner/name] [--json OUT] [--verbose]

Each repository in the label file is cloned (from ``--mirror DIR``, a directory holding bare
mirrors as ``DIR/owner+name/repo`` or ``DIR/owner/name``, or else from its URL) into a
temporary directory, checked out at the labelled commit, and assessed offline with recency
judged at the file's ``as_of`` date. Printed per repository and overall:

- verdicts: probe outcomes equal to the label;
- evidence precision: reported ``file:line`` evidence at a labelled location;
- evidence recall: for probes that enumerate findings (unpinned actions, token permissions,
  ...), labelled locations that are reported (out of at most ``MAX_EVIDENCE``);
- false level-1 fails: probes that fail where the label does not, and that verify a level-1
  requirement of the catalogue (the ones a maintainer reads first).

Nothing is written into the repository; clones are removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from steward.collect import collect_facts
from steward.evaluate.probes import run_probe

try:  # so that older revisions of steward can be measured with the same script
    from steward.evaluate.probes.base import MAX_EVIDENCE
except ImportError:  # pragma: no cover - revisions before the probe package
    MAX_EVIDENCE = 20

LABELS = Path(__file__).resolve().parent / "corpus" / "labels.yaml"
# probes whose evidence lists every finding (each location matters, not just one)
ENUMERATING = frozenset({
    "actions_pinned_by_sha", "dependencies_pinned", "containers_pinned_by_digest",
    "workflow_permissions_least_privilege", "no_script_injection",
    "no_dangerous_workflow_triggers", "no_secrets_in_untrusted_workflows", "no_secrets_in_tree",
    "no_binary_artifacts",
})  # fmt: skip


# how --verbose names one item of each list
_SINGULAR = {"mismatches": "mismatch", "false_level1": "false level-1 fail"}


def _source(entry: dict[str, Any], mirror: Path | None) -> str:
    if mirror is not None:
        owner, name = entry["repository"].split("/")
        for candidate in (mirror / f"{owner}+{name}" / "repo", mirror / owner / name):
            if candidate.exists():
                return str(candidate)
    return str(entry["url"])


def _clone(source: str, commit: str, into: Path, url: str) -> None:
    """Clone ``source`` at ``commit``; the origin is the repository's own ``url`` (a mirror
    clone would otherwise name the mirror), as in a user's clone."""
    env = {"GIT_TERMINAL_PROMPT": "0", "PATH": "/usr/bin:/bin:/usr/local/bin"}
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", source, str(into)],
                   check=True, env=env, timeout=600)  # fmt: skip
    subprocess.run(["git", "-C", str(into), "checkout", "--quiet", "--detach", commit],
                   check=True, env=env, timeout=600)  # fmt: skip
    subprocess.run(["git", "-C", str(into), "remote", "set-url", "origin", url],
                   check=True, env=env, timeout=60)  # fmt: skip


def alternatives(entry: str) -> set[str]:
    """``path:11|12`` -> {"path:11", "path:12"}: one finding, either line is right."""
    path, _, lines = entry.rpartition(":")
    return {f"{path}:{line}" for line in lines.split("|")}


def _locations(outcome: Any) -> list[str]:
    """``file:line`` of the outcome's evidence that points into the tree."""
    return [
        f"{e.source}:{e.line}"
        for e in outcome.evidence
        if e.line is not None and not e.source.startswith(("commit ", "http://", "https://"))
    ]


def assess_one(entry: dict[str, Any], root: Path, now: int) -> dict[str, Any]:
    try:
        facts = collect_facts(root, now=now)
    except TypeError:  # a revision without ``now``: recency against the clock
        facts = collect_facts(root)
    verdicts: dict[str, Any] = entry["verdicts"]
    evidence: dict[str, list[str]] = entry.get("evidence") or {}
    result: dict[str, Any] = {
        "repository": entry["repository"], "verdicts": 0, "verdicts_right": 0,
        "evidence": 0, "evidence_right": 0, "expected": 0, "expected_found": 0,
        "mismatches": [], "wrong_evidence": [], "missed_evidence": [], "false_level1": [],
    }  # fmt: skip
    for probe, want in verdicts.items():
        outcome = run_probe(probe, facts)
        result["verdicts"] += 1
        if outcome.status.value == want:
            result["verdicts_right"] += 1
        else:
            result["mismatches"].append(f"{probe}: {outcome.status.value} (label {want}): "
                                        f"{outcome.message[:100]}")  # fmt: skip
            if outcome.status.value == "fail" and probe in _level1_probes():
                result["false_level1"].append(probe)
        findings = [alternatives(e) for e in evidence.get(probe, [])]
        acceptable = {loc for alts in findings for loc in alts}
        reported = list(dict.fromkeys(_locations(outcome)))
        for location in reported:
            result["evidence"] += 1
            if location in acceptable:
                result["evidence_right"] += 1
            else:
                result["wrong_evidence"].append(f"{probe}: {location}")
        if probe in ENUMERATING and findings:
            found = [alts for alts in findings if alts & set(reported)]
            result["expected"] += min(len(findings), MAX_EVIDENCE)
            result["expected_found"] += min(len(found), MAX_EVIDENCE)
            result["missed_evidence"] += [
                f"{probe}: {'|'.join(sorted(alts))}" for alts in findings if alts not in found
            ]
    return result


def _level1_probes() -> frozenset[str]:
    """Probes that verify a level-1 requirement of the catalogue."""
    global _LEVEL1
    if _LEVEL1 is None:
        try:
            from steward.catalog.loader import load_catalog

            _LEVEL1 = frozenset(
                p for r in load_catalog().requirements if r.level == 1
                for p in r.verification.probes
            )  # fmt: skip
        except (ImportError, AttributeError):  # pragma: no cover - older revisions
            _LEVEL1 = frozenset()
    return _LEVEL1


_LEVEL1: frozenset[str] | None = None


def _pct(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}% ({right}/{total})" if total else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--mirror", type=Path, default=None)
    parser.add_argument("--only", action="append", default=[])
    # any split named in the label file (each blind round adds its own)
    parser.add_argument("--split", default=None, help="only the repositories of this split")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    data = yaml.safe_load(args.labels.read_text())
    splits = sorted({str(e.get("split", "")) for e in data["repositories"]})
    if args.split is not None and args.split not in splits:
        parser.error(f"--split {args.split!r}: not in {args.labels} (splits: {', '.join(splits)})")
    as_of = dt.datetime.fromisoformat(str(data["as_of"])).replace(tzinfo=dt.UTC)
    now = int(as_of.timestamp())
    results = []
    for entry in data["repositories"]:
        if args.only and entry["repository"] not in args.only:
            continue
        if args.split and entry.get("split") != args.split:
            continue
        with tempfile.TemporaryDirectory(prefix="steward-corpus-") as tmp:
            root = Path(tmp) / "repo"
            try:
                _clone(_source(entry, args.mirror), entry["commit"], root, str(entry["url"]))
            except (subprocess.SubprocessError, OSError) as exc:
                print(f"{entry['repository']}: cannot clone ({exc}); skipped", file=sys.stderr)
                continue
            started = time.perf_counter()
            result = assess_one(entry, root, now)
            result["seconds"] = round(time.perf_counter() - started, 2)
        result["split"] = entry.get("split", "")
        results.append(result)
        print(
            f"{result['repository']:<24} "
            f"verdicts {_pct(result['verdicts_right'], result['verdicts'])}"
            f"  evidence {_pct(result['evidence_right'], result['evidence'])}"
            f"  enumerated {_pct(result['expected_found'], result['expected'])}"
            f"  false level-1 fails {len(result['false_level1'])}"
            f"  {result['seconds']} s"
        )
        if args.verbose:
            for key in ("mismatches", "wrong_evidence", "missed_evidence", "false_level1"):
                for line in result[key]:
                    print(f"    {_SINGULAR.get(key, key)}: {line}")
    keys = ("verdicts", "verdicts_right", "evidence", "evidence_right", "expected",
            "expected_found")  # fmt: skip
    groups = sorted({r["split"] for r in results})
    for group in [*(groups if len(groups) > 1 else []), None]:
        chosen = [r for r in results if group is None or r["split"] == group]
        totals = {k: sum(r[k] for r in chosen) for k in keys}
        false1 = sum(len(r["false_level1"]) for r in chosen)
        print(f"{group or 'all':<24} verdicts {_pct(totals['verdicts_right'], totals['verdicts'])}"
              f"  evidence {_pct(totals['evidence_right'], totals['evidence'])}"
              f"  enumerated {_pct(totals['expected_found'], totals['expected'])}"
              f"  false level-1 fails {false1}")  # fmt: skip
    if args.json is not None:
        args.json.write_text(json.dumps({"totals": totals, "repositories": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
