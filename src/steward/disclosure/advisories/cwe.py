"""CWE names from MITRE's catalogue, through the ``cwe2`` package (which ships the CWE list).

Used to write the official CWE name into CSAF documents and to run CSAF mandatory test 6.1.11
(a CWE must exist and carry its official name).
"""

from __future__ import annotations

from functools import cache


@cache
def _database() -> object:
    from cwe2.database import Database

    return Database()


@cache
def cwe_name(cwe_id: str) -> str | None:
    """The official name of ``CWE-<n>``, or None when the CWE list has no such entry."""
    if not cwe_id.upper().startswith("CWE-"):
        return None
    try:
        number = int(cwe_id[4:])
    except ValueError:
        return None
    try:
        weakness = _database().get(number)  # type: ignore[attr-defined]
    except Exception:  # cwe2 raises a bare Exception for unknown ids
        return None
    name = getattr(weakness, "name", None)
    return str(name) if name else None
