"""Reference facts from the CRA (Regulation (EU) 2024/2847) that the documents cite.

- :data:`DATES`: when which obligations apply (Art. 71(2)).
- :func:`categories`: the Annex III/IV categories with the gist of their technical descriptions
  (Implementing Regulation (EU) 2025/2392), from ``data/categories.yaml``.
- :data:`ANNEX_I_PART_I`: the items of Annex I Part I, numbered as the regulation numbers them
  (``1``, ``2(a)`` ... ``2(m)``), with short titles from the catalog's CRA item list.
- :func:`requirements_for`: the catalog requirements mapped to an Annex I item.

Sentences here are our own summaries; identifiers (articles, annex points) are the
regulation's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from steward.catalog.model import Catalog, Requirement
from steward.safeio import loads_yaml

REGULATION = "Regulation (EU) 2024/2847 (Cyber Resilience Act)"
IMPLEMENTING_CATEGORIES = "Commission Implementing Regulation (EU) 2025/2392"

#: Art. 71(2): the Regulation applies from 11 Dec 2027; Art. 14 from 11 Sep 2026; Chapter IV
#: (notification of conformity assessment bodies) from 11 Jun 2026. In force since 10 Dec 2024.
ENTRY_INTO_FORCE = dt.date(2024, 12, 10)
NOTIFIED_BODIES_FROM = dt.date(2026, 6, 11)
REPORTING_FROM = dt.date(2026, 9, 11)
FULL_APPLICATION = dt.date(2027, 12, 11)

CategoryClass = Literal["important-i", "important-ii", "critical"]
CLASS_TITLES: dict[str, str] = {
    "default": "default (not listed in Annex III or IV)",
    "important-i": "important product, class I (Annex III)",
    "important-ii": "important product, class II (Annex III)",
    "critical": "critical product (Annex IV)",
}


@dataclass(frozen=True, slots=True)
class Category:
    """An Annex III/IV category: ``id`` (our slug), class, the point of the Annex, the
    category's title as the Annex gives it and a short summary of its technical description."""

    id: str
    cls: CategoryClass
    point: str
    title: str
    description: str


@cache
def categories() -> tuple[Category, ...]:
    """Every category of Annex III (class I, class II) and Annex IV, in the Annexes' order."""
    text = resources.files("steward.documents").joinpath("data/categories.yaml").read_text()
    data = loads_yaml(text, source="steward/documents/data/categories.yaml")
    return tuple(
        Category(
            id=item["id"],
            cls=item["class"],
            point=item["point"],
            title=item["title"],
            description=item["description"],
        )
        for item in data["categories"]
    )


def category(category_id: str) -> Category | None:
    """The category with this id, or None (``none`` is not a category: the default class)."""
    return next((c for c in categories() if c.id == category_id), None)


#: Annex I Part I, item → short title (the regulation's numbering; summaries, not quotes)
ANNEX_I_PART_I: dict[str, str] = {
    "1": "Designed, developed and produced for a level of cybersecurity appropriate to the risks",
    "2(a)": "Made available without known exploitable vulnerabilities",
    "2(b)": "Secure by default configuration, with a way to reset to the original state",
    "2(c)": "Vulnerabilities can be addressed through security updates (automatic by default, "
    "with opt-out, notification and postponement)",
    "2(d)": "Protection from unauthorised access; reporting of possible unauthorised access",
    "2(e)": "Confidentiality of stored, transmitted or otherwise processed data",
    "2(f)": "Integrity of data, commands, programs and configuration; reporting of corruption",
    "2(g)": "Data minimisation",
    "2(h)": "Availability of essential functions, including resilience against denial of service",
    "2(i)": "Minimal negative impact on the availability of other devices or networks",
    "2(j)": "Limited attack surfaces, including external interfaces",
    "2(k)": "Reduced impact of incidents through exploitation mitigation mechanisms",
    "2(l)": "Recording and monitoring of relevant internal activity, with an opt-out",
    "2(m)": "Secure and easy removal of all data and settings, and data transfer",
}

#: Annex I Part II, item → short title
ANNEX_I_PART_II: dict[str, str] = {
    "1": "Identify and document vulnerabilities and components, including an SBOM",
    "2": "Address and remediate vulnerabilities without delay, including by security updates",
    "3": "Effective and regular tests and reviews of the product's security",
    "4": "Publicly disclose fixed vulnerabilities once a security update is available",
    "5": "Have and enforce a coordinated vulnerability disclosure policy",
    "6": "Facilitate sharing of vulnerability information, with a contact address",
    "7": "Mechanisms to securely distribute updates",
    "8": "Disseminate security updates without delay, free of charge, with advisory messages",
}


def item_ref(item: str) -> str:
    """An Annex I item as the regulation writes it: ``(1)``, ``(2)(a)``."""
    head, _, rest = item.partition("(")
    return f"({head})" + (f"({rest}" if rest else "")


def catalog_key(part: Literal["I", "II"], item: str) -> str:
    """The catalog's spelling of an Annex I item: ``Annex I Part I (2)(a)``."""
    return f"Annex I Part {part} {item_ref(item)}"


def requirements_for(catalog: Catalog, cra_item: str) -> tuple[Requirement, ...]:
    """Catalog requirements whose CRA mapping names ``cra_item`` (``"Annex I Part II (5)"``)."""
    return tuple(r for r in catalog.requirements if cra_item in r.mappings.cra)
