"""Check `steward assess` (and `steward vulns`) SARIF on real checkouts against GitHub's rules.

For each checkout given: run the command as a whole process (start-up included), then check
the log with ``tests/sarif_github.py`` (OASIS schema, GitHub's documented upload rules, no
local path). Prints one row per checkout: commit, seconds, results by kind/level, problems.
Usage, from the repository root:

    python bench/sarif_upload_check.py CHECKOUT [CHECKOUT ...] [--db vulns.sqlite]

With ``--db`` (a database from ``steward db import``), ``steward vulns`` SARIF is checked too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sarif_github import github_problems  # noqa: E402


def _run(args: list[str], output: Path) -> tuple[float, int]:
    start = time.perf_counter()
    command = [*args, "-f", "sarif", "-o", str(output)]
    done = subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def _row(command: str, label: str, checkout: Path, seconds: float, code: int, sarif: Path) -> str:
    if not sarif.exists():
        return f"| {command} | {label} | {seconds:.2f} s | exit {code}, no SARIF | - |"
    log = json.loads(sarif.read_text())
    results = log["runs"][0]["results"]
    kinds = Counter(f"{r.get('kind', 'fail')}/{r.get('level', '-')}" for r in results)
    problems = github_problems(log, local_paths=(str(checkout.resolve()),))
    detail = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    return (
        f"| {command} | {label} | {seconds:.2f} s | {len(results)} ({detail}) "
        f"| {len(problems)}{': ' + problems[0] if problems else ''} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    steward = str(Path(sys.executable).parent / "steward")
    print("| command | checkout | seconds | results | GitHub upload problems |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for checkout in args.checkouts:
            head = subprocess.run(
                ["git", "-C", str(checkout), "rev-parse", "--short=12", "HEAD"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            name = f"{checkout.name}@{head}" if head else checkout.name
            sarif = Path(tmp) / f"{checkout.name}.assess.sarif"
            seconds, code = _run([steward, "assess", str(checkout), "--offline"], sarif)
            print(_row("assess", name, checkout, seconds, code, sarif))
            if args.db is not None:
                sarif = Path(tmp) / f"{checkout.name}.vulns.sarif"
                seconds, code = _run([steward, "vulns", str(checkout), "--db", str(args.db)], sarif)
                print(_row("vulns", name, checkout, seconds, code, sarif))


if __name__ == "__main__":
    main()
