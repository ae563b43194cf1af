"""Time importing the whole shared OSV corpus into a fresh vulnerability database.

    .venv/bin/python bench/vuln_import.py [--data ../shared/data/osv]

Prints records per second for a cold import, for an incremental re-import (nothing newer),
and for 10,000 package lookups with range evaluation. No peer tool is run (none is installed
offline); the numbers are absolute.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from steward.store.vulndb import VulnDB
from steward.vuln.osv_import import import_osv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    here = Path(__file__).resolve().parent.parent
    parser.add_argument("--data", type=Path, default=here.parent / "shared" / "data" / "osv")
    args = parser.parse_args(argv)
    sources = sorted(p for p in args.data.rglob("all.zip")) + [
        p / "vulns" for p in args.data.iterdir() if (p / "vulns").is_dir()
    ]
    if not sources:
        print(f"no OSV sources under {args.data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = VulnDB(Path(tmp) / "bench.sqlite")
        start = time.perf_counter()
        stats = import_osv(db, sources)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        again = import_osv(db, sources)
        warm = time.perf_counter() - start
        size = (Path(tmp) / "bench.sqlite").stat().st_size
        print(f"sources: {', '.join(str(s) for s in sources)}")
        print(f"cold import: {stats.seen} records in {cold:.2f} s ({stats.seen / cold:.0f}/s)")
        print(f"re-import:   {again.unchanged} unchanged in {warm:.2f} s")
        print(f"database:    {size / 1e6:.1f} MB")
        with sqlite3.connect(db.path) as conn:
            pkgs = [
                (str(eco), str(name))
                for eco, name in conn.execute("SELECT DISTINCT ecosystem, name FROM affected_index")
            ]
        rng = random.Random(0)
        comps = [
            rng.choice(pkgs) if i % 3 == 0 else ("PyPI", f"missing-{i}") for i in range(10_000)
        ]
        start = time.perf_counter()
        matches = sum(
            adv.affects("1.0.0") for eco, name in comps for adv in db.advisories_for(eco, name)
        )
        print(
            f"lookups:     10,000 components ({len(pkgs)} indexed packages, 1/3 hits), "
            f"{matches} affected, {time.perf_counter() - start:.2f} s"
        )
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
