"""The disclosure tables as the commands read them: JSON generated from the YAML sources.

``data/csirts.yaml`` (the national CSIRTs) and ``data/srp_fields.yaml`` (the single reporting
platform's fields per stage) are the files people edit: YAML, with the sources and caveats in
their comments. Parsing YAML costs a `steward case report` about 20 ms of CPU (PyPY's
loader and the scan itself), more than the report's own work, so the package also ships
``data/csirts.json`` and ``data/srp_fields.json``: the same data, written by this module, read
with ``orjson``. Regenerate them after editing a YAML file::

    python -m steward.disclosure.datafiles

``tests/disclosure/test_datafiles.py`` fails while a JSON file and its YAML source differ (in
content or in the exact bytes this module would write).
"""

from __future__ import annotations

import sys
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson

from steward.safeio import loads_json

#: the tables shipped in both forms (stem of ``data/STEM.yaml`` and ``data/STEM.json``)
TABLES = ("csirts", "srp_fields")


@cache
def table(stem: str) -> Any:
    """A table as parsed JSON (a dict; the same value its YAML source parses to).

    Raises KeyError for a stem not in :data:`TABLES`.
    """
    if stem not in TABLES:
        raise KeyError(stem)
    return loads_json(
        (files("steward.disclosure") / "data" / f"{stem}.json").read_bytes(),
        source=f"disclosure/data/{stem}.json",
    )


def from_yaml(stem: str) -> bytes:
    """The JSON text of a table as this module writes it, parsed from its YAML source."""
    from steward.safeio import loads_yaml

    raw = loads_yaml(
        (files("steward.disclosure") / "data" / f"{stem}.yaml").read_bytes(),
        source=f"disclosure/data/{stem}.yaml",
    )
    return orjson.dumps(raw, option=orjson.OPT_INDENT_2) + b"\n"


def main() -> int:
    """Rewrite every ``data/STEM.json`` from its YAML source (run from a source checkout)."""
    for stem in TABLES:
        target = files("steward.disclosure") / "data" / f"{stem}.json"
        Path(str(target)).write_bytes(from_yaml(stem))
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
