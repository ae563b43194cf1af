"""Print, per lockfile format, how our parsers agree with the corpus expectations.

Usage: python bench/corpus_report.py [extractor-prefix]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path, PurePath

from steward.errors import InputError
from steward.sbom.ecosystems import parser_for

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lockfiles"


def main() -> None:
    prefix = sys.argv[1] if len(sys.argv) > 1 else ""
    expected = json.loads((DATA / "expected.json").read_text())
    totals: Counter[str] = Counter()
    for fixture, spec in sorted(expected.items()):
        if not fixture.startswith(prefix):
            continue
        parser = parser_for(PurePath(spec["canonical_filename"]))
        if parser is None:
            continue
        want = Counter((p["name"], p["version"]) for p in spec["packages"])
        try:
            result = parser.parse(DATA / fixture)
            got = Counter((c.name, c.version) for c in result.components)
            note = f" diagnostics={len(result.diagnostics)}" if result.diagnostics else ""
        except InputError as exc:
            got, note = Counter(), f" error={exc}"
        missing, extra = want - got, got - want
        totals["matched"] += sum((want & got).values())
        totals["missing"] += sum(missing.values())
        totals["extra"] += sum(extra.values())
        if missing or extra or (spec.get("expect_error") and not note):
            print(
                f"{fixture}: missing={sorted(missing)} extra={sorted(extra)}{note}"
                f"{' EXPECT_ERROR' if spec.get('expect_error') else ''}"
            )
    print(dict(totals))


if __name__ == "__main__":
    main()
