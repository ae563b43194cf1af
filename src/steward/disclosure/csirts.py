"""Which CSIRT receives a manufacturer's CRA Art. 14 reports.

Art. 14(1) and (7): the CSIRT designated as coordinator of the Member State where the
manufacturer has its main establishment, notified together with ENISA through the single
reporting platform. Without a main establishment in the Union, Art. 14(7) points, in order, to
the Member State of the authorised representative, the importer, the distributor, or where
most users are — Steward cannot know which, so the caller names it (``csirt_country``).
The table lives in ``data/csirts.yaml``; see its header for how far the designations are
confirmed. Commands read its JSON twin, ``data/csirts.json`` (:mod:`steward.disclosure.datafiles`,
which keeps the two equal), so a report loads neither PyYAML nor a pydantic model for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from steward.disclosure.datafiles import table
from steward.disclosure.vocabulary import EU_MEMBER_STATES as EU_MEMBER_STATES


@dataclass(frozen=True)
class Csirt:
    """A Member State's CSIRT for CRA reporting (an entry of ``data/csirts.yaml``)."""

    code: str
    country: str
    csirt: str
    designation: str  # "confirmed" or "unconfirmed"
    url: str | None = None

    @property
    def label(self) -> str:
        note = "" if self.designation == "confirmed" else " (coordinator designation unconfirmed)"
        return f"{self.csirt}, {self.country}{note}"


@cache
def csirt_table() -> dict[str, Csirt]:
    """Every Member State's entry, keyed by ISO 3166-1 alpha-2 code (Greece is ``GR``)."""
    raw = table("csirts")
    return {
        code: Csirt(code=code, **entry) for code, entry in (raw.get("member_states") or {}).items()
    }


def single_reporting_platform() -> str:
    """The name of the platform every report goes through (with the CSIRT: ENISA's)."""
    return str(table("csirts")["single_reporting_platform"])


def csirt_for(country: str | None) -> Csirt | None:
    """The CSIRT for an EU Member State code (``EL`` is accepted for Greece), else None."""
    if not country:
        return None
    code = country.strip().upper()
    if code == "EL":
        code = "GR"
    return csirt_table().get(code)
