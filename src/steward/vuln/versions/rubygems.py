"""RubyGems versions: ``Gem::Version`` ordering.

Rules (rubygems ``lib/rubygems/version.rb``): a version matches
``[0-9]+(\\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?``; ``-`` means ``.pre.``; the
segments are the runs of digits (numbers) and letters (strings); trailing zeros are dropped
from the numeric part and from the part after the first string ("canonical segments");
segments compare pairwise with missing ones taken as ``0``, a string sorts before a number,
so any version containing a letter is a pre-release. Hand-written (a comparison function)
because zero padding against a string segment has no tuple equivalent.
"""

from __future__ import annotations

import re
from typing import Any

from steward.vuln.versions.base import BaseScheme, CmpKey, VersionError

_VALID = re.compile(r"^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$")
_SEGMENT = re.compile(r"[0-9]+|[a-z]+", re.IGNORECASE)


def canonical_segments(version: str) -> tuple[int | str, ...]:
    """``Gem::Version#canonical_segments`` of an already validated version."""
    segments: list[int | str] = [
        int(s) if s.isdigit() else s for s in _SEGMENT.findall(version.replace("-", ".pre."))
    ]
    first_string = next((i for i, s in enumerate(segments) if isinstance(s, str)), len(segments))
    out: list[int | str] = []
    for part in (segments[:first_string], segments[first_string:]):
        while part and part[-1] == 0:
            part.pop()
        out.extend(part)
    return tuple(out)


def cmp_segments(a: tuple[int | str, ...], b: tuple[int | str, ...]) -> int:
    """Three-way ``Gem::Version#<=>`` on canonical segments."""
    if a == b:
        return 0
    for i in range(max(len(a), len(b))):
        lhs = a[i] if i < len(a) else 0
        rhs = b[i] if i < len(b) else 0
        if lhs == rhs:
            continue
        if isinstance(lhs, str) and isinstance(rhs, int):
            return -1
        if isinstance(lhs, int) and isinstance(rhs, str):
            return 1
        return -1 if lhs < rhs else 1  # type: ignore[operator]  # same types here
    return 0


class GemKey(CmpKey):
    """Sort key of a RubyGems version."""

    __slots__ = ()

    @staticmethod
    def _cmp(a: Any, b: Any) -> int:
        return cmp_segments(a, b)


class RubyGemsScheme(BaseScheme):
    """``Gem::Version`` ordering; an empty version is ``0`` as in RubyGems."""

    name = "RubyGems"

    def _parse(self, text: str) -> Any:
        m = _VALID.match(text)
        if m is None:
            raise VersionError(text, self.name)
        segments = canonical_segments(m.group(1) or "0")
        return GemKey(segments, segments)
