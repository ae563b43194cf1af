"""The SARIF 2.1.0 log envelope every Steward SARIF report shares (assess, vulns).

Callers build their own rules and results; this adds the schema reference, the tool driver
and serialises. Validated against the OASIS schema (errata 01) in the tests.
"""

from __future__ import annotations

from typing import Any

import orjson

from steward import __version__

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/steward-project/steward"


def sarif_log(
    rules: list[dict[str, Any]],
    results: list[dict[str, Any]],
    *,
    properties: dict[str, Any] | None = None,
) -> bytes:
    """One run of the ``steward`` driver with these rules and results, as JSON bytes."""
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "steward",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "results": results,
    }
    if properties:
        run["properties"] = properties
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return orjson.dumps(log, option=orjson.OPT_INDENT_2) + b"\n"
