"""Evaluating OSV ``affected[]`` entries: is a version of a package affected?

Follows the OSV schema's evaluation pseudocode exactly: a version is affected if it is in
the entry's ``versions`` list or inside any range; a range's events are sorted by version
(``introduced: "0"`` before everything) and walked in order —
``introduced`` at or below the version sets "vulnerable", ``fixed`` at or below and
``last_affected`` strictly below clear it; ``limit`` events (``*`` = infinity) cap the range.

The spec leaves the order of events *at the same version* open, and producers rely on the
order they write. So a range written as intervals — in the record's order, each
``introduced`` followed by at most one ``fixed`` or ``last_affected`` before the next
``introduced``, as every producer we know writes them — is read as exactly those intervals:
``[0, 3.1.1) + [3.1.1, 3.1.3)`` (PYSEC-2022-236) leaves 3.1.1 affected, as OSV.dev's
``versions`` lists say; ``[3.2.0, 3.2.2)`` written after ``[3.1.1, 3.2.0)`` (PYSEC-2023-72)
keeps 3.2.0 and 3.2.1 affected, as the advisory states; an empty ``introduced: x, fixed: x``
pair (RustSec writes these for a patched release inside a vulnerable series, e.g.
RUSTSEC-2022-0012's ``0.10.0``) affects nothing. Any other event list is walked by the
pseudocode with ``fixed``/``last_affected`` before ``introduced`` at equal versions, which
errs towards a false positive rather than a false negative.

``ECOSYSTEM`` ranges use the ecosystem's scheme, ``SEMVER`` ranges SemVer precedence (Go's
scheme for Go, which is SemVer that also reads toolchain names like ``go1.21rc2``). ``GIT``
ranges need the repository's commit graph, which we do not have: without a commit they never
match by version; with a commit they match only when it *is* an ``introduced`` or
``last_affected`` commit of the range.

The fast path is :func:`compile_affected`: it parses every event once into sort keys and
returns a :class:`CompiledAffected` whose ``evaluate`` is a few tuple comparisons. A result
that cannot be decided (the component's version or an event's version does not parse, or the
ecosystem has only the inexact generic scheme) is :attr:`Verdict.UNKNOWN`, never a silent
"not affected".
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from steward.vuln.versions import SEMVER, VersionError, VersionScheme, scheme_for

FIXED, LAST_AFFECTED, INTRODUCED = 0, 1, 2  # also the order of events at equal versions
_KINDS = {"introduced": INTRODUCED, "fixed": FIXED, "last_affected": LAST_AFFECTED}


class Verdict(enum.Enum):
    """Outcome of evaluating a version against an advisory or affected entry."""

    AFFECTED = "affected"
    NOT_AFFECTED = "not_affected"
    UNKNOWN = "unknown"  # could not evaluate: unparseable version or event, inexact scheme


@dataclass(frozen=True, slots=True)
class CompiledRange:
    """One ``ECOSYSTEM``/``SEMVER`` range with its events parsed and sorted.

    ``events`` holds ``(key, kind)`` pairs, ``key`` None for ``introduced: "0"``; ``limits``
    the parsed ``limit`` keys (empty: no limit); ``problem`` says why the range cannot be
    evaluated (an event that does not parse), or is None. ``intervals`` is set when the
    events are written as intervals: ``(low, high, kind)`` with ``low`` None for ``0``,
    ``high`` None for an open end and ``kind`` the closing event's (``FIXED``: exclusive,
    ``LAST_AFFECTED``: inclusive).
    """

    type: str
    scheme: VersionScheme
    events: tuple[tuple[Any, int], ...]
    limits: tuple[Any, ...]
    problem: str | None = None
    intervals: tuple[tuple[Any, Any, int], ...] | None = None

    def includes(self, key: Any) -> bool:
        """The OSV ``IncludedInRanges`` body for one range, on a parsed version key."""
        if self.limits and not any(key < limit for limit in self.limits):
            return False
        if self.intervals is not None:
            for low, high, kind in self.intervals:
                if low is not None and key < low:
                    continue
                if high is None or key < high or (kind == LAST_AFFECTED and key == high):
                    return True
            return False
        vulnerable = False
        for event_key, kind in self.events:
            if kind == INTRODUCED:
                if event_key is None or key >= event_key:
                    vulnerable = True
            elif kind == FIXED:
                if key >= event_key:
                    vulnerable = False
            elif key > event_key:  # LAST_AFFECTED
                vulnerable = False
        return vulnerable


@dataclass(frozen=True, slots=True)
class GitRange:
    """A ``GIT`` range: only exact commit identity can be checked without the repository."""

    repo: str
    affected_commits: frozenset[str]


class CompiledAffected:
    """One ``affected[]`` entry, pre-parsed for repeated evaluation.

    The ranges are compiled the first time a version is not found in the ``versions`` list
    by exact string (OSV.dev's lists make that the common case for PyPI, so many entries are
    never compiled). The keys of the ``versions`` list (used so that ``1.0`` finds a listed
    ``1.0.0`` under PEP 440) are parsed lazily too, the first time an exact string match and
    the ranges both fail, because long lists are common and most lookups never need them.
    """

    __slots__ = (
        "_compiled",
        "_raw_ranges",
        "_version_keys",
        "ecosystem",
        "name",
        "scheme",
        "versions",
    )

    def __init__(
        self,
        ecosystem: str,
        name: str,
        scheme: VersionScheme,
        versions: frozenset[str],
        raw_ranges: tuple[Any, ...],
    ) -> None:
        self.ecosystem = ecosystem
        self.name = name
        self.scheme = scheme
        self.versions = versions
        self._raw_ranges = raw_ranges
        self._compiled: _Compiled | None = None
        self._version_keys: frozenset[Any] | None = None

    def _compile(self) -> _Compiled:
        if self._compiled is None:
            self._compiled = _compile_ranges(self._raw_ranges, self.scheme)
        return self._compiled

    @property
    def ranges(self) -> tuple[CompiledRange, ...]:
        """The ``ECOSYSTEM`` and ``SEMVER`` ranges, compiled."""
        return self._compile()[0]

    @property
    def git_ranges(self) -> tuple[GitRange, ...]:
        return self._compile()[1]

    @property
    def problems(self) -> tuple[str, ...]:
        """Why parts of the entry cannot be evaluated (events that do not parse...)."""
        return self._compile()[2]

    @property
    def version_keys(self) -> frozenset[Any]:
        if self._version_keys is None:
            keys: set[Any] = set()
            for v in self.versions:
                try:
                    keys.add(self.scheme.parse(v))
                except (VersionError, TypeError):
                    continue
            self._version_keys = frozenset(keys)
        return self._version_keys

    def __repr__(self) -> str:
        return f"<CompiledAffected {self.ecosystem}/{self.name} ranges={len(self._raw_ranges)}>"

    def evaluate(self, version: str, *, commit: str | None = None) -> Verdict:
        """AFFECTED, NOT_AFFECTED or UNKNOWN for ``version`` (and optionally a commit)."""
        if version in self.versions:
            return Verdict.AFFECTED
        if commit:
            commit = commit.lower()
            if any(commit in g.affected_commits for g in self.git_ranges):
                return Verdict.AFFECTED
        unknown = False
        keys: dict[int, Any] = {}
        for rng in self.ranges:
            if rng.problem is not None:
                unknown = True
                continue
            if not rng.scheme.exact:  # a guessed order decides nothing but "all versions"
                if rng.events == ((None, INTRODUCED),) and not rng.limits:
                    return Verdict.AFFECTED
                unknown = True
                continue
            sid = id(rng.scheme)
            if sid not in keys:
                try:
                    keys[sid] = rng.scheme.parse(version)
                except VersionError:
                    keys[sid] = None
            key = keys[sid]
            if key is None:
                unknown = True
                continue
            if rng.includes(key):
                return Verdict.AFFECTED
        if self.versions:
            try:
                if self.scheme.parse(version) in self.version_keys:
                    return Verdict.AFFECTED
            except VersionError:
                pass
        return Verdict.UNKNOWN if unknown else Verdict.NOT_AFFECTED


def _event(event: Mapping[str, Any]) -> tuple[str, str] | None:
    for field in ("introduced", "fixed", "last_affected", "limit"):
        value = event.get(field)
        if isinstance(value, str):
            return field, value
    return None


def compile_range(rng: Mapping[str, Any], scheme: VersionScheme) -> CompiledRange:
    """Parse and sort one ``ECOSYSTEM`` or ``SEMVER`` range (the scheme already chosen)."""
    rtype = str(rng.get("type", ""))
    parsed: list[tuple[int, Any, int]] = []  # (0 for introduced "0" else 1, key, kind)
    written: list[tuple[Any, int]] = []  # (key, kind) in the record's order
    limits: list[Any] = []
    unlimited = False
    problems: list[str] = []
    for raw in rng.get("events") or ():
        if not isinstance(raw, Mapping):
            problems.append("an event is not an object")
            continue
        found = _event(raw)
        if found is None:
            problems.append(f"event without a version: {dict(raw)!r}")
            continue
        field, value = found
        if field == "introduced" and value == "0":
            parsed.append((0, None, INTRODUCED))
            written.append((None, INTRODUCED))
            continue
        if field == "limit" and "*" in value:
            unlimited = True
            continue
        try:
            key = scheme.parse(value)
        except VersionError as exc:
            problems.append(str(exc))
            continue
        if field == "limit":
            limits.append(key)
        else:
            parsed.append((1, key, _KINDS[field]))
            written.append((key, _KINDS[field]))
    parsed.sort(key=lambda e: (e[0], e[2]) if e[1] is None else (e[0], _Wrap(e[1]), e[2]))
    return CompiledRange(
        type=rtype,
        scheme=scheme,
        events=tuple((key, kind) for _zero, key, kind in parsed),
        limits=() if unlimited else tuple(limits),
        problem="; ".join(problems) if problems else None,
        intervals=None if problems else _intervals(written),
    )


def _intervals(written: list[tuple[Any, int]]) -> tuple[tuple[Any, Any, int], ...] | None:
    """The intervals of events written as introduced/closing pairs, else None."""
    out: list[tuple[Any, Any, int]] = []
    low: Any = None
    open_ = False
    for key, kind in written:
        if kind == INTRODUCED:
            if open_:
                return None  # two introduced in a row: not interval-shaped
            low, open_ = key, True
        else:
            if not open_:
                return None  # a closing event without an introduced before it
            out.append((low, key, kind))
            open_ = False
    if open_:
        out.append((low, None, INTRODUCED))
    return tuple(out)


class _Wrap:
    """Orders keys with ``<`` only (some key types define no ``__gt__`` for tuples' sake)."""

    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key

    def __lt__(self, other: _Wrap) -> bool:
        return bool(self.key < other.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Wrap) and bool(self.key == other.key)

    __hash__ = None  # type: ignore[assignment]


def _range_scheme(rtype: str, ecosystem_scheme: VersionScheme) -> VersionScheme:
    if rtype == "SEMVER":
        return ecosystem_scheme if ecosystem_scheme.name == "Go" else SEMVER
    return ecosystem_scheme


def compile_affected(
    entry: Mapping[str, Any], scheme: VersionScheme | None = None
) -> CompiledAffected:
    """Pre-parse one OSV ``affected[]`` entry (``scheme`` defaults to its ecosystem's)."""
    package = entry.get("package") or {}
    ecosystem = str(package.get("ecosystem", ""))
    name = str(package.get("name", ""))
    if scheme is None:
        scheme = scheme_for(ecosystem)
    versions = frozenset(v for v in entry.get("versions") or () if isinstance(v, str))
    return CompiledAffected(
        ecosystem=ecosystem,
        name=name,
        scheme=scheme,
        versions=versions,
        raw_ranges=tuple(entry.get("ranges") or ()),
    )


_Compiled = tuple[tuple[CompiledRange, ...], tuple[GitRange, ...], tuple[str, ...]]


def _compile_ranges(raw_ranges: tuple[Any, ...], scheme: VersionScheme) -> _Compiled:
    ranges: list[CompiledRange] = []
    git: list[GitRange] = []
    problems: list[str] = []
    for rng in raw_ranges:
        if not isinstance(rng, Mapping):
            problems.append("a range is not an object")
            continue
        rtype = rng.get("type")
        if rtype == "GIT":
            commits = frozenset(
                value.lower()
                for ev in rng.get("events") or ()
                if isinstance(ev, Mapping)
                for field in ("introduced", "last_affected")
                if isinstance(value := ev.get(field), str) and value != "0"
            )
            git.append(GitRange(str(rng.get("repo", "")), commits))
        elif rtype in ("ECOSYSTEM", "SEMVER"):
            compiled = compile_range(rng, _range_scheme(rtype, scheme))
            ranges.append(compiled)
            if compiled.problem:
                problems.append(compiled.problem)
        else:
            problems.append(f"unknown range type {rtype!r}")
    return tuple(ranges), tuple(git), tuple(problems)


def evaluate(
    affected_entry: Mapping[str, Any],
    version: str,
    scheme: VersionScheme | None = None,
    *,
    commit: str | None = None,
) -> Verdict:
    """Tri-state evaluation of one ``affected[]`` entry (compiles it each call)."""
    return compile_affected(affected_entry, scheme).evaluate(version, commit=commit)


def is_affected(
    affected_entry: Mapping[str, Any], version: str, scheme: VersionScheme | None = None
) -> bool:
    """True if ``version`` is affected by the entry, False if not.

    Raises :class:`VersionError` when it cannot be decided (see :class:`Verdict.UNKNOWN`),
    so "could not evaluate" is never mistaken for "not affected".
    """
    verdict = evaluate(affected_entry, version, scheme)
    if verdict is Verdict.UNKNOWN:
        raise VersionError(version, scheme.name if scheme else "ecosystem", "cannot evaluate")
    return verdict is Verdict.AFFECTED
