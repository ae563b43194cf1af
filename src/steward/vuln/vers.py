"""``vers`` version range specifiers, as CycloneDX VEX ``affects[].versions[].range`` uses them.

A specifier is ``vers:<scheme>/<constraint>|<constraint>...`` (purl project, "vers" spec);
a constraint is a comparator (``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``; none means ``=``)
and a version, or ``*`` for every version. :func:`contains` follows the specification's
containment algorithm: equality constraints first, then the remaining constraints sorted by
version and read as intervals — a leading ``<``/``<=`` is open below, a ``>``/``>=`` followed
by a ``<``/``<=`` is a closed interval, a trailing ``>``/``>=`` is open above.

Versions are compared with the ecosystem's scheme (:mod:`steward.vuln.versions`). The
``generic`` scheme has no defined order, so it is used only when every version involved is
plain dotted numbers (``2.9``, ``4.1.0``); anything else cannot be decided and :func:`contains`
returns None, which callers report as "could not evaluate", never as in or out of range.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from steward.vuln.versions import SEMVER, GenericScheme, VersionError, VersionScheme, scheme_for

#: vers scheme → OSV ecosystem whose version scheme orders it
_SCHEMES = {
    "pypi": "PyPI",
    "npm": "npm",
    "maven": "Maven",
    "golang": "Go",
    "cargo": "crates.io",
    "gem": "RubyGems",
    "nuget": "NuGet",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "deb": "Debian",
    "rpm": "Red Hat",
    "apk": "Alpine",
    "alpine": "Alpine",
}
_NUMERIC = re.compile(r"^\d+(\.\d+)*$")
_GENERIC = GenericScheme("generic")
_COMPARATORS = ("<=", ">=", "!=", "<", ">", "=")


def _scheme(name: str) -> VersionScheme | None:
    name = name.lower()
    if name == "semver":
        return SEMVER
    if name == "generic":
        return _GENERIC
    ecosystem = _SCHEMES.get(name)
    return scheme_for(ecosystem) if ecosystem else None


def _split(constraint: str) -> tuple[str, str]:
    for op in _COMPARATORS:
        if constraint.startswith(op):
            return op, constraint[len(op) :].strip()
    return "=", constraint


def contains(spec: str, version: str) -> bool | None:
    """True if ``version`` is inside the ``vers`` range, False if not, None if undecidable."""
    head, sep, body = spec.strip().partition("/")
    if not sep or not head.lower().startswith("vers:"):
        return None
    scheme = _scheme(head[5:])
    if scheme is None:
        return None
    constraints = [c.strip() for c in body.split("|") if c.strip()]
    if not constraints:
        return None
    if constraints == ["*"]:
        return True
    pairs = [_split(c) for c in constraints]
    if scheme is _GENERIC and not all(_NUMERIC.match(v) for _, v in [*pairs, ("=", version)]):
        return None
    try:
        key = scheme.parse(version)
        parsed: list[tuple[str, Any]] = [(op, scheme.parse(v)) for op, v in pairs]
    except VersionError:
        return None
    for op, bound in parsed:
        if key == bound and op in ("=", "<=", ">="):
            return True
        if key == bound and op == "!=":
            return False
    ranges = sorted(((b, op) for op, b in parsed if op not in ("=", "!=")), key=_Key)
    if not ranges:
        return False
    first_bound, first_op = ranges[0]
    if first_op in ("<", "<=") and key < first_bound:
        return True
    last_bound, last_op = ranges[-1]
    if last_op in (">", ">=") and last_bound < key:
        return True
    for (low, low_op), (high, high_op) in itertools.pairwise(ranges):
        if low_op in (">", ">=") and high_op in ("<", "<=") and low < key < high:
            return True
    return False


class _Key:
    """Sort key over (bound, comparator) pairs using ``<`` of the bound only."""

    __slots__ = ("bound",)

    def __init__(self, pair: tuple[Any, str]) -> None:
        self.bound = pair[0]

    def __lt__(self, other: _Key) -> bool:
        return bool(self.bound < other.bound)
