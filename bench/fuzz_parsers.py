"""Long fuzz run over every parser family (issue 18): mutate real inputs until a time budget
is spent, and report every crash with the (family, seed file, seed) that reproduces it.

The suite runs the same targets with a small fixed budget (``tests/fuzz``); this script is
the long run. A crash is any exception other than ``InputError`` (exit 2), or a case slower
than ``--slow`` seconds. Each is printed with a one-line reproducer; add it to
``tests/hostile/test_parsers_*.py`` once fixed.

Run: ``python bench/fuzz_parsers.py [--minutes 10] [--family lockfiles] [--start-seed 0]``
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz import seeds, targets  # noqa: E402
from tests.fuzz.mutate import mutate  # noqa: E402


def families() -> dict[str, tuple[list[tuple[str, bytes]], Callable[[Path], None]]]:
    """family -> ([(file name, seed bytes)], target taking the mutated file)."""

    def osv(path: Path) -> None:
        targets.osv(path, path.parent / "vulndb.sqlite")

    def named(paths: list[Path]) -> list[tuple[str, bytes]]:
        return [(p.name, p.read_bytes()) for p in paths]

    return {
        "lockfiles": ([(n, p.read_bytes()) for n, p in seeds.lockfiles()], targets.lockfile),
        "sbom": (named(seeds.files("sboms", ".json", ".xml", ".spdx", limit=200)), targets.sbom),
        "vex": (seeds.vex_seeds(), targets.vex),
        "csaf": (named(seeds.files("csaf-2.0/examples", ".json", limit=100)), targets.csaf),
        "osv": (named(seeds.files("osv/pypa-advisory-database", ".yaml", limit=300)), osv),
        "workflows": (
            [("ci.yml", seeds.WORKFLOW), *named(seeds.files("scorecard-testdata", ".yml"))],
            targets.workflow,
        ),
        "steward-yml": ([("steward.yml", seeds.STEWARD_YML)], targets.steward_yml),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="budget per family")
    parser.add_argument("--family", action="append", help="only these families")
    parser.add_argument("--start-seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=10.0, help="seconds that count as a hang")
    args = parser.parse_args()
    chosen = families()
    if args.family:
        chosen = {k: v for k, v in chosen.items() if k in args.family}
    found = 0
    for family, (inputs, target) in chosen.items():
        if not inputs:
            print(f"{family}: no seeds (shared corpora missing)")
            continue
        deadline = time.monotonic() + args.minutes * 60
        runs = 0
        crashes: collections.Counter[str] = collections.Counter()
        seed = args.start_seed
        while time.monotonic() < deadline:
            name, raw = inputs[seed % len(inputs)]
            data = mutate(name, raw, seed, rounds=1 + seed % 3)
            folder = Path(tempfile.mkdtemp(prefix="steward-fuzz-"))
            (folder / name).write_bytes(data)
            began = time.monotonic()
            try:
                target(folder / name)
            except Exception as exc:
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                if not crashes[where]:
                    print(f"{family}: CRASH {where}: {str(exc)[:200]}")
                    rounds = 1 + seed % 3
                    print(f"    reproduce: mutate({name!r}, <seed>, {seed}, rounds={rounds})")
                crashes[where] += 1
            spent = time.monotonic() - began
            if spent > args.slow:
                print(f"{family}: SLOW {spent:.1f} s on {name} seed {seed}")
            runs += 1
            seed += 1
        found += sum(crashes.values())
        print(f"{family}: {runs} runs, {sum(crashes.values())} crashes in {len(crashes)} places")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
