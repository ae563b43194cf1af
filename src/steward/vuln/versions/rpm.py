"""RPM package versions (Red Hat, Rocky, AlmaLinux, SUSE, openSUSE, Mageia, openEuler, ...).

``[epoch:]version[-release]``, each of version and release compared with ``rpmvercmp``:
split into alphanumeric segments (other characters only separate), digit segments compare
numerically and beat letter segments, letter segments compare as strings, ``~`` sorts
before anything (even the end) and ``^`` after the end but before any further segment.
Comparison-function keys: the ``~``/``^`` rules have no simple tuple form.
"""

from __future__ import annotations

import re
from typing import Any

from steward.vuln.versions.base import BaseScheme, CmpKey, split_epoch

_TOKEN = re.compile(r"~|\^|\d+|[A-Za-z]+")


def rpmvercmp(a: str, b: str) -> int:
    """Three-way ``rpmvercmp`` of two version (or release) strings."""
    if a == b:
        return 0
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    i = 0
    while True:
        x = ta[i] if i < len(ta) else None
        y = tb[i] if i < len(tb) else None
        i += 1
        if x == "~" or y == "~":
            if x != "~":
                return 1
            if y != "~":
                return -1
            continue
        if x == "^" or y == "^":
            if x is None:
                return -1
            if y is None:
                return 1
            if x != "^":
                return 1
            if y != "^":
                return -1
            continue
        if x is None or y is None:
            if x is None and y is None:
                return 0
            return -1 if x is None else 1
        xd, yd = x.isdigit(), y.isdigit()
        if xd != yd:
            return 1 if xd else -1
        if xd:
            xi, yi = int(x), int(y)
            if xi != yi:
                return -1 if xi < yi else 1
        elif x != y:
            return -1 if x < y else 1


def _canonical(text: str) -> tuple[int | str, ...]:
    return tuple(int(t) if t.isdigit() else t for t in _TOKEN.findall(text))


class RpmKey(CmpKey):
    """Sort key of an RPM ``(epoch, version, release)``."""

    __slots__ = ()

    @staticmethod
    def _cmp(a: Any, b: Any) -> int:
        if a[0] != b[0]:
            return -1 if a[0] < b[0] else 1
        return rpmvercmp(a[1], b[1]) or rpmvercmp(a[2], b[2])


class RpmScheme(BaseScheme):
    """RPM ordering; a missing epoch is 0 and a missing release compares as empty."""

    name = "RPM"

    def __init__(self, name: str = "RPM") -> None:
        super().__init__()
        self.name = name

    def _parse(self, text: str) -> Any:
        epoch, version = split_epoch(text, self.name)
        ver, _, release = version.partition("-")
        value = (epoch, ver, release)
        canonical = (epoch, _canonical(ver), _canonical(release))
        return RpmKey(value, canonical)
