"""Crosswalks: every item of another framework against the requirements that cover it.

Two kinds of link make up a crosswalk, and every link says which it is:

- *published*: derived through the OSPS Baseline. A requirement that maps to an OSPS
  assessment requirement (``OSPS-VM-01.01``) inherits the targets the OSPS Baseline's own
  mapping document gives its control (``OSPS-VM-01``), see :mod:`steward.catalog.mappings`;
- *Steward*: the catalog's own mapping (``mappings`` in the requirement data) where the
  published documents say nothing, or where we differ from them with a written reason.

For the frameworks Steward also maps by hand (CRA, SSDF, Scorecard) the two are compared
(:func:`review`): every target the published mapping derives for a requirement is either in
our mapping or rejected with a reason, and every item of ours that the published mapping does
not derive carries a reason (``data/crosswalk_review.yaml``). For frameworks only the OSPS
documents map (BSI TR-03185-2, SAMM, SLSA ...), the crosswalk is the derived one, minus the
rejections. The ORC specifications are mapped by hand (``orc_vhs``, ``orc_vsa``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from steward.catalog.loader import (
    load_cra_items,
    load_orc_items,
    load_orc_out_of_scope,
    load_osps_requirements,
    load_scorecard_checks,
    load_scorecard_out_of_scope,
    load_ssdf_tasks,
)
from steward.catalog.mappings import MappingDocument, load_osps_mappings
from steward.catalog.model import Catalog, Requirement
from steward.catalog.vocabulary import Framework as Framework
from steward.errors import InputError
from steward.safeio import loads_yaml

HAND_MAPPED = (
    Framework.CRA,
    Framework.OSPS,
    Framework.SCORECARD,
    Framework.SSDF,
    Framework.ORC_VHS,
    Framework.ORC_VSA,
)


def mapped_ids(requirement: Requirement, framework: Framework) -> tuple[str, ...]:
    """The ids of ``framework`` that a requirement maps to (its crosswalk links)."""
    m = requirement.mappings
    hand = {
        Framework.CRA: m.cra,
        Framework.OSPS: m.osps,
        Framework.SCORECARD: m.scorecard,
        Framework.SSDF: m.ssdf,
        Framework.ORC_VHS: m.orc_vhs,
        Framework.ORC_VSA: m.orc_vsa,
    }
    if framework in hand:
        return hand[framework]
    return tuple(link.item for link in _derived_links(requirement, framework))


# --- published entry ids → Steward's item ids ------------------------------------------

_CRA_PART_I = re.compile(r"^1\.2([a-m])$")
_CRA_PART_II = re.compile(r"^2\.([1-8])$")


def normalise(framework: Framework, entry: str) -> str:
    """A published mapping document's entry id in Steward's spelling: the CRA document
    writes ``1.2d`` for Annex I Part I (2)(d) and ``2.5`` for Annex I Part II (5).

    Errors: InputError for a CRA entry id of a shape the document has not used so far."""
    if framework is not Framework.CRA:
        return entry
    if entry == "1.1":
        return "Annex I Part I (1)"
    if m := _CRA_PART_I.match(entry):
        return f"Annex I Part I (2)({m.group(1)})"
    if m := _CRA_PART_II.match(entry):
        return f"Annex I Part II ({m.group(1)})"
    raise InputError(f"unknown CRA entry id {entry!r}", source="osps-to-cra.yaml")


def _matches(framework: Framework, published: str, ours: str) -> bool:
    """Whether a published target and one of our items name the same thing. SSDF documents
    map to practices (``PS.1``) as well as tasks (``PS.1.1``); a practice matches its tasks."""
    if published == ours:
        return True
    return framework is Framework.SSDF and ours.startswith(published + ".")


def document(framework: Framework) -> MappingDocument | None:
    """The published OSPS mapping document for a framework, if the OSPS Baseline has one."""
    return load_osps_mappings().documents.get(framework.value)


@dataclass(frozen=True)
class Link:
    """One requirement ↔ item link. ``via``: the OSPS requirements the published mapping
    derives it through (empty: Steward's own); ``reason``: why Steward adds it."""

    requirement: str
    item: str
    via: tuple[str, ...] = ()
    reason: str = ""

    @property
    def source(self) -> str:
        return "published" if self.via else "steward"


def _derived(requirement: Requirement, framework: Framework) -> dict[str, tuple[str, ...]]:
    """Published target (Steward spelling) → the OSPS requirement ids it derives through."""
    doc = document(framework)
    if doc is None:
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for osps in requirement.mappings.osps:
        control = osps.rsplit(".", 1)[0]
        for entry in doc.targets(control):
            item = normalise(framework, entry)
            if osps not in out.get(item, ()):
                out[item] = (*out.get(item, ()), osps)
    return out


# --- the review: published vs hand mapping ------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A reviewed difference. ``kind``: ``reject`` (a published link Steward does not take
    over; ``controls`` × ``items``, optionally only for ``requirements``) or ``add`` (items
    Steward maps that the published document does not derive, for ``requirements``; ``*``
    means every requirement)."""

    framework: Framework
    kind: str
    items: tuple[str, ...]
    reason: str
    controls: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()

    def covers_requirement(self, requirement_id: str) -> bool:
        return (
            not self.requirements
            or "*" in self.requirements
            or (requirement_id in self.requirements)
        )


REVIEW = "crosswalk_review.yaml"


@cache
def load_review() -> tuple[Rule, ...]:
    """The reviewed differences (``data/crosswalk_review.yaml``)."""
    source = f"catalog/data/{REVIEW}"
    raw = loads_yaml((files("steward.catalog") / "data" / REVIEW).read_bytes(), source=source)
    rules: list[Rule] = []
    try:
        for key, sections in (raw.get("frameworks") or {}).items():
            framework = Framework(key)
            for kind in ("reject", "add"):
                for entry in sections.get(kind) or []:
                    reason = " ".join(str(entry["reason"]).split())
                    if len(reason) < 20:
                        raise ValueError(f"{key} {kind}: a reason of a few words at least")
                    rules.append(
                        Rule(
                            framework=framework,
                            kind=kind,
                            items=tuple(str(i) for i in entry["items"]),
                            reason=reason,
                            controls=tuple(str(c) for c in entry.get("controls") or ()),
                            requirements=tuple(str(r) for r in entry.get("requirements") or ()),
                        )
                    )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"invalid crosswalk review: {exc}", source=source) from None
    return tuple(rules)


def _rejected(framework: Framework, requirement_id: str, control: str, item: str) -> Rule | None:
    for rule in load_review():
        if (
            rule.framework is framework
            and rule.kind == "reject"
            and control in rule.controls
            and item in rule.items
            and rule.covers_requirement(requirement_id)
        ):
            return rule
    return None


def _added(framework: Framework, requirement_id: str, item: str) -> Rule | None:
    for rule in load_review():
        if (
            rule.framework is framework
            and rule.kind == "add"
            and item in rule.items
            and rule.covers_requirement(requirement_id)
        ):
            return rule
    return None


def _derived_links(requirement: Requirement, framework: Framework) -> list[Link]:
    """For frameworks reached only through OSPS: derived links minus rejections, plus
    additions."""
    links = []
    for item, via in _derived(requirement, framework).items():
        kept = tuple(
            o
            for o in via
            if _rejected(framework, requirement.id, o.rsplit(".", 1)[0], item) is None
        )
        if kept:
            links.append(Link(requirement.id, item, kept))
    return links


def links(requirement: Requirement, framework: Framework) -> list[Link]:
    """The requirement's links in ``framework``, each with its provenance."""
    if framework not in HAND_MAPPED:
        return _derived_links(requirement, framework)
    derived = _derived(requirement, framework)
    out = []
    for item in mapped_ids(requirement, framework):
        via = tuple(
            dict.fromkeys(o for pub, osps in derived.items() if _matches(framework, pub, item)
                          for o in osps)
        )  # fmt: skip
        rule = None if via else _added(framework, requirement.id, item)
        out.append(Link(requirement.id, item, via, rule.reason if rule else ""))
    return out


def review(catalog: Catalog) -> list[str]:
    """Every place where a hand mapping and the published OSPS mapping disagree without an
    explanation, and every review rule that no longer explains anything. Empty when the
    crosswalks are fully traceable."""
    problems: list[str] = []
    used: set[int] = set()
    rules = load_review()
    for framework in (Framework.CRA, Framework.SSDF, Framework.SCORECARD):
        if document(framework) is None:
            continue
        for requirement in catalog.requirements:
            if not requirement.mappings.osps:
                continue
            derived = _derived(requirement, framework)
            ours = mapped_ids(requirement, framework)
            for item, via in derived.items():
                if any(_matches(framework, item, o) for o in ours):
                    for o in via:
                        rule = _rejected(framework, requirement.id, o.rsplit(".", 1)[0], item)
                        if rule is not None:
                            problems.append(
                                f"{framework}: {requirement.id} maps {item} although the "
                                f"review rejects {o.rsplit('.', 1)[0]} -> {item}"
                            )
                    continue
                for o in via:
                    rule = _rejected(framework, requirement.id, o.rsplit(".", 1)[0], item)
                    if rule is None:
                        problems.append(
                            f"{framework}: published {o.rsplit('.', 1)[0]} -> {item} "
                            f"(via {o}) is not in {requirement.id}'s mapping and not rejected"
                        )
                    else:
                        used.add(rules.index(rule))
            for item in ours:
                if any(_matches(framework, pub, item) for pub in derived):
                    continue
                rule = _added(framework, requirement.id, item)
                if rule is None:
                    problems.append(
                        f"{framework}: {requirement.id} maps {item}, which the published "
                        f"mapping does not derive, without a reason"
                    )
                else:
                    used.add(rules.index(rule))
    for index, rule in enumerate(rules):
        if index not in used and rule.framework in (
            Framework.CRA,
            Framework.SSDF,
            Framework.SCORECARD,
        ):
            problems.append(
                f"{rule.framework}: {rule.kind} rule for {', '.join(rule.items)} explains "
                "no difference (remove it)"
            )
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class Rejection:
    """A published link Steward does not take over, with the review's reason."""

    requirement: str
    item: str
    via: tuple[str, ...]
    reason: str


def rejections(catalog: Catalog, framework: Framework) -> list[Rejection]:
    """Every link the published OSPS mapping derives for ``framework`` that is not in the
    crosswalk, with the reason from the review (the other half of the traceability)."""
    if document(framework) is None:
        return []
    out = []
    for requirement in catalog.requirements:
        ours = {link.item for link in links(requirement, framework)}
        for item, via in _derived(requirement, framework).items():
            if item in ours or any(_matches(framework, item, o) for o in ours):
                continue
            reasons = [
                rule.reason
                for o in via
                if (rule := _rejected(framework, requirement.id, o.rsplit(".", 1)[0], item))
            ]
            out.append(
                Rejection(requirement.id, item, via, reasons[0] if reasons else "not reviewed")
            )
    return out


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    item: str
    title: str
    requirements: tuple[str, ...]
    note: str = ""
    links: tuple[Link, ...] = ()

    @property
    def gap(self) -> bool:
        return not self.requirements and not self.note


def _items(framework: Framework) -> list[tuple[str, str]]:
    if framework is Framework.CRA:
        return list(load_cra_items().items())
    if framework is Framework.OSPS:
        return [(i, f"maturity level {lvl}") for i, lvl in load_osps_requirements().items()]
    if framework is Framework.SCORECARD:
        return [(c, "") for c in load_scorecard_checks()]
    if framework is Framework.SSDF:
        return [(t, "") for t in load_ssdf_tasks()]
    if framework in (Framework.ORC_VHS, Framework.ORC_VSA):
        return list(load_orc_items(framework.value).items())
    doc = document(framework)
    if doc is None:  # pragma: no cover - every Framework member has a source
        return []
    return sorted(((normalise(framework, e), "") for e in doc.entries()), key=lambda pair: pair[0])


def edition(catalog: Catalog, framework: Framework) -> dict[str, str]:
    """The framework edition a crosswalk refers to: ``{"title", "version", "source"}``."""
    pinned = catalog.framework(framework.value)
    if pinned is not None:
        return {"title": pinned.title, "version": pinned.version, "source": pinned.url}
    doc = document(framework)
    target = doc.target if doc else {}
    return {
        "title": target.get("title", framework.value),
        "version": target.get("version", ""),
        "source": target.get("url", ""),
    }


def crosswalk(catalog: Catalog, framework: Framework) -> list[Row]:
    """One row per item of the framework, in the framework's own order."""
    covering: dict[str, list[Link]] = {}
    for requirement in catalog.requirements:
        for link in links(requirement, framework):
            covering.setdefault(link.item, []).append(link)
    out_of_scope: dict[str, str] = {}
    if framework is Framework.SCORECARD:
        out_of_scope = load_scorecard_out_of_scope()
    elif framework in (Framework.ORC_VHS, Framework.ORC_VSA):
        out_of_scope = load_orc_out_of_scope(framework.value)
    rows = []
    for item, title in _items(framework):
        note = f"out of scope: {out_of_scope[item]}" if item in out_of_scope else ""
        found = covering.get(item, [])
        rows.append(Row(item, title, tuple(link.requirement for link in found), note, tuple(found)))
    return rows
