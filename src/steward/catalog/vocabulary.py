"""The catalog's option vocabularies, kept free of pydantic and YAML: the frameworks the
standard maps to and the audiences a requirement addresses.

Re-exported from :mod:`steward.catalog.crosswalk` (``Framework``) and
:mod:`steward.catalog.model` (``Applicability``); they live here because `steward catalog`
options use them, so ``steward catalog --help`` imports no pydantic model (start-up time).
"""

from __future__ import annotations

from enum import StrEnum


class Framework(StrEnum):
    CRA = "cra"
    OSPS = "osps"
    SCORECARD = "scorecard"
    SSDF = "ssdf"
    TR_03185_2 = "tr-03185-2"
    ORC_VHS = "orc-vhs"
    ORC_VSA = "orc-vsa"
    # reached only through the OSPS mapping documents
    BPB = "bpb"
    CSF = "csf"
    ISO_18974 = "iso-18974"
    OPENCRE = "opencre"
    PCIDSS = "pcidss"
    PSSCRM = "psscrm"
    SAMM = "samm"
    SLSA = "slsa"
    SP_800_161 = "800-161"
    UKSSCOP = "uksscop"


class Applicability(StrEnum):
    """Who a requirement is addressed to."""

    PROJECT = "project"  # an open-source project and its maintainers
    STEWARD = "steward"  # an open-source software steward (CRA Art. 24)
    MANUFACTURER = "manufacturer"  # a manufacturer placing a product on the EU market
