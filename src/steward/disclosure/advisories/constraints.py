"""Affected-version constraints of a case, turned into the ranges advisory formats speak.

A case records affected versions the way a security team writes them: ``"<2.3.1"``,
``">=1.0, <1.4.2"``, ``"<=0.9.7"``, an exact ``"2.0.0"`` / ``"==2.0.0"``, or ``"*"`` for all
versions; and fixed versions (``"2.3.1"``). OSV, CSAF (``vers:``) and CVE JSON 5 each need
these as intervals, so this module parses them once into :class:`Interval` and exact
versions, and refuses what those formats cannot express honestly (an exclusive lower bound
``>1.0`` has no OSV event; two upper bounds in one constraint are contradictory).

A constraint string is one interval: comma-separated comparators joined by AND. Several
constraint strings are alternatives (OR), e.g. one per release branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steward.disclosure.model import AffectedProduct
from steward.errors import InputError

_COMPARATOR = re.compile(r"^\s*(>=|<=|==|=|<|>|!=)?\s*v?([^\s,<>=!]+)\s*$")
_ALL = {"*", "all", "any"}


@dataclass(frozen=True)
class Interval:
    """Versions from ``introduced`` (inclusive; None = from the first version) up to
    ``fixed`` (exclusive) or ``last_affected`` (inclusive); neither = no known end."""

    introduced: str | None = None
    fixed: str | None = None
    last_affected: str | None = None


@dataclass(frozen=True)
class AffectedVersions:
    """The parsed form of one product's ``affected`` and ``fixed`` lists."""

    intervals: tuple[Interval, ...]
    exact: tuple[str, ...]
    fixed: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.intervals and not self.exact


def _parse_one(constraint: str, product: str) -> Interval | str:
    text = constraint.strip()
    if text.lower() in _ALL:
        return Interval()
    lower: str | None = None
    upper_fixed: str | None = None
    upper_last: str | None = None
    parts = [p for p in text.split(",") if p.strip()]
    if not parts:
        raise InputError(f"product {product!r}: empty version constraint")
    for part in parts:
        match = _COMPARATOR.match(part)
        if match is None:
            raise InputError(f"product {product!r}: cannot read version constraint {part!r}")
        op, version = match.group(1) or "==", match.group(2)
        if op in ("==", "="):
            if len(parts) > 1:
                raise InputError(
                    f"product {product!r}: {constraint!r} mixes an exact version with a range"
                )
            return version
        if op == "!=":
            raise InputError(
                f"product {product!r}: exclusions ({part.strip()!r}) cannot be expressed in "
                "advisory ranges; split the constraint into intervals"
            )
        if op == ">":
            raise InputError(
                f"product {product!r}: an exclusive lower bound ({part.strip()!r}) cannot be "
                "expressed in OSV/CVE ranges; write '>=' with the first affected version"
            )
        if op == ">=":
            if lower is not None:
                raise InputError(f"product {product!r}: two lower bounds in {constraint!r}")
            lower = version
        else:
            if upper_fixed is not None or upper_last is not None:
                raise InputError(f"product {product!r}: two upper bounds in {constraint!r}")
            if op == "<":
                upper_fixed = version
            else:
                upper_last = version
    return Interval(introduced=lower, fixed=upper_fixed, last_affected=upper_last)


def parse_affected(product: AffectedProduct) -> AffectedVersions:
    """Parse a product's constraints; a single fixed version with no constraint means
    "every version before it" (the common single-branch case)."""
    intervals: list[Interval] = []
    exact: list[str] = []
    for constraint in product.affected:
        parsed = _parse_one(constraint, product.name)
        if isinstance(parsed, Interval):
            intervals.append(parsed)
        else:
            exact.append(parsed)
    fixed = tuple(v.strip() for v in product.fixed if v.strip())
    if not intervals and not exact and fixed:
        if len(fixed) > 1:
            raise InputError(
                f"product {product.name!r}: several fixed versions ({', '.join(fixed)}) need "
                "affected constraints per release branch (e.g. '>=1.0,<1.4.2' and '<2.3.1')"
            )
        intervals.append(Interval(fixed=fixed[0]))
    return AffectedVersions(tuple(intervals), tuple(exact), fixed)


def to_vers(scheme: str, interval: Interval) -> str:
    """The interval as a ``vers:`` range (used by CSAF ``product_version_range``)."""
    terms: list[str] = []
    if interval.introduced is not None and interval.introduced != "0":
        terms.append(f">={interval.introduced}")
    if interval.fixed is not None:
        terms.append(f"<{interval.fixed}")
    if interval.last_affected is not None:
        terms.append(f"<={interval.last_affected}")
    return f"vers:{scheme}/" + ("|".join(terms) if terms else "*")


def describe(interval: Interval) -> str:
    """A human-readable form (``>= 1.0, < 1.4.2``) for notes and Markdown."""
    terms: list[str] = []
    if interval.introduced not in (None, "0"):
        terms.append(f">= {interval.introduced}")
    if interval.fixed is not None:
        terms.append(f"< {interval.fixed}")
    if interval.last_affected is not None:
        terms.append(f"<= {interval.last_affected}")
    return ", ".join(terms) if terms else "all versions"
