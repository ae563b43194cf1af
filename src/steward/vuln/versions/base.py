"""The version-scheme protocol every ecosystem implements, and helpers shared by the schemes.

A scheme turns a version string into a *sort key*: any value whose ``<``/``==`` give the
ecosystem's own ordering. Most schemes build plain tuples (fast to compare and hashable);
the two whose rules do not map onto tuple order (Maven's ``ComparableVersion`` and RubyGems'
zero padding) wrap a comparison function in :class:`CmpKey`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, Protocol, runtime_checkable


class VersionError(ValueError):
    """A version string that the scheme cannot parse."""

    def __init__(self, text: str, scheme: str, reason: str = "") -> None:
        self.text = text
        self.scheme = scheme
        detail = f": {reason}" if reason else ""
        super().__init__(f"not a valid {scheme} version {text!r}{detail}")


@runtime_checkable
class VersionScheme(Protocol):
    """Parse and order the versions of one ecosystem.

    ``exact`` is False for the generic fallback used for unknown ecosystems: its ordering is
    a guess, so callers should report results as "could not evaluate" rather than trust them.
    """

    name: str
    exact: bool

    def parse(self, text: str) -> Any:
        """Return a sort key for ``text``; raise :class:`VersionError` when it is invalid."""
        ...

    def compare(self, a: str, b: str) -> int:
        """-1, 0 or 1 as ``a`` sorts before, equal to or after ``b``."""
        ...

    def accepts(self, text: str) -> bool:
        """Whether ``text`` can be the version of an installed package (a component's)."""
        ...


class BaseScheme:
    """Common behaviour: a cached ``parse`` over the subclass's ``_parse``, and ``compare``."""

    name: str = "base"
    exact: bool = True
    cache_size: ClassVar[int] = 65_536

    def __init__(self) -> None:
        self.parse: Callable[[str], Any] = functools.lru_cache(maxsize=self.cache_size)(self._parse)

    def _parse(self, text: str) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def compare(self, a: str, b: str) -> int:
        ka, kb = self.parse(a), self.parse(b)
        if ka < kb:
            return -1
        return 1 if kb < ka else 0

    def is_valid(self, text: str) -> bool:
        try:
            self.parse(text)
        except VersionError:
            return False
        return True

    def accepts(self, text: str) -> bool:
        """Whether ``text`` can be a component's version: by default, whether it parses.

        Schemes that order malformed strings anyway (PyPI's legacy order) are stricter here,
        so a garbage version is reported as not evaluated instead of matching every range.
        """
        return self.is_valid(text)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class CmpKey:
    """A sort key defined by a three-way comparison of a parsed value (``_cmp``)."""

    __slots__ = ("canonical", "value")

    def __init__(self, value: Any, canonical: Any) -> None:
        self.value = value
        self.canonical = canonical  # equal keys must have equal canonical forms (for hashing)

    @staticmethod
    def _cmp(a: Any, b: Any) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def _c(self, other: object) -> int:
        if not isinstance(other, CmpKey) or type(other) is not type(self):
            raise TypeError(f"cannot compare {type(self).__name__} with {type(other).__name__}")
        return self._cmp(self.value, other.value)

    def __lt__(self, other: object) -> bool:
        return self._c(other) < 0

    def __le__(self, other: object) -> bool:
        return self._c(other) <= 0

    def __gt__(self, other: object) -> bool:
        return self._c(other) > 0

    def __ge__(self, other: object) -> bool:
        return self._c(other) >= 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CmpKey) or type(other) is not type(self):
            return NotImplemented
        return self._c(other) == 0

    def __hash__(self) -> int:
        return hash(self.canonical)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.canonical!r})"


def split_epoch(text: str, scheme: str) -> tuple[int, str]:
    """``[epoch:]rest`` as used by dpkg and RPM: (epoch, rest); a missing epoch is 0."""
    version = text.strip()
    if not version:
        raise VersionError(text, scheme, "empty")
    if ":" not in version:
        return 0, version
    head, rest = version.split(":", 1)
    if not head.isdigit():
        raise VersionError(text, scheme, "epoch is not a number")
    return int(head), rest
