"""Which CSIRT receives a manufacturer's CRA Art. 14 reports.

Art. 14(1) and (7): the CSIRT designated as coordinator of the Member State where the
manufacturer has its main establishment, notified together with ENISA through the single
reporting platform. Without a main establishment in the Union, Art. 14(7) points, in order, to
the Member State of the authorised representative, the importer, the distributor, or where
most users are — Steward cannot know which, so the caller names it (``csirt_country``).
The table lives in ``data/csirts.yaml``; see its header for how far the designations are
confirmed.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pydantic import BaseModel, ConfigDict

from steward.disclosure.vocabulary import EU_MEMBER_STATES as EU_MEMBER_STATES
from steward.safeio import loads_yaml


class Csirt(BaseModel):
    """A Member State's CSIRT for CRA reporting."""

    model_config = ConfigDict(frozen=True)

    code: str
    country: str
    csirt: str
    url: str | None = None
    designation: str  # "confirmed" or "unconfirmed"

    @property
    def label(self) -> str:
        note = "" if self.designation == "confirmed" else " (coordinator designation unconfirmed)"
        return f"{self.csirt}, {self.country}{note}"


@cache
def csirt_table() -> dict[str, Csirt]:
    """Every Member State's entry, keyed by ISO 3166-1 alpha-2 code (Greece is ``GR``)."""
    raw = loads_yaml(
        (files("steward.disclosure") / "data" / "csirts.yaml").read_bytes(),
        source="disclosure/data/csirts.yaml",
    )
    return {
        code: Csirt(code=code, **entry) for code, entry in (raw.get("member_states") or {}).items()
    }


def single_reporting_platform() -> str:
    raw = loads_yaml(
        (files("steward.disclosure") / "data" / "csirts.yaml").read_bytes(),
        source="disclosure/data/csirts.yaml",
    )
    return str(raw["single_reporting_platform"])


def csirt_for(country: str | None) -> Csirt | None:
    """The CSIRT for an EU Member State code (``EL`` is accepted for Greece), else None."""
    if not country:
        return None
    code = country.strip().upper()
    if code == "EL":
        code = "GR"
    return csirt_table().get(code)
