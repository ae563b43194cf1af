"""PyPI versions: PEP 440 through ``packaging.version``, with the legacy ordering for the rest.

Versions that are not valid PEP 440 (``2004d``, ``0.5.0-incubating``) still appear on PyPI and
in advisories. OSV.dev orders them the way ``packaging`` did before it dropped
``LegacyVersion`` (the ``packaging-legacy`` package): every legacy version sorts before every
valid one, and legacy versions compare by setuptools' old component rules. That algorithm is
reproduced here (a dozen lines) rather than adding a dependency for it.

That order accepts any string, so as a *component's* version (:meth:`PyPIScheme.accepts`)
only PEP 440 versions and legacy-looking ones (one token of letters, digits and ``._+!-``
with at least one digit, such as ``2004d``) count: ``not a version`` is refused rather than
sorted before every release and matched by every ``introduced: 0`` range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from packaging.version import InvalidVersion, Version

from steward.vuln.versions.base import BaseScheme, VersionError

_LEGACY_COMPONENT = re.compile(r"(\d+|[a-z]+|\.|-)")
_LEGACY_PLAUSIBLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+!-]*$")
_LEGACY_REPLACE = {"pre": "c", "preview": "c", "-": "final-", "rc": "c", "dev": "@"}


def _legacy_parts(text: str) -> Iterator[str]:
    for part in _LEGACY_COMPONENT.split(text):
        part = _LEGACY_REPLACE.get(part, part)
        if not part or part == ".":
            continue
        if part[:1] in "0123456789":
            yield part.zfill(8)  # pad for numeric comparison
        else:
            yield "*" + part
    yield "*final"  # ensure that alpha/beta/candidate are before final


def legacy_key(text: str) -> tuple[str, ...]:
    """The sort key the old ``packaging.version.LegacyVersion`` gave ``text``."""
    parts: list[str] = []
    for part in _legacy_parts(text.lower()):
        if part.startswith("*"):
            if part < "*final":  # remove "-" before a prerelease tag
                while parts and parts[-1] == "*final-":
                    parts.pop()
            while parts and parts[-1] == "00000000":  # remove trailing zeros
                parts.pop()
        parts.append(part)
    return tuple(parts)


class PyPIScheme(BaseScheme):
    """PEP 440 ordering; invalid versions sort before all valid ones in legacy order."""

    name: str = "PyPI"

    def _parse(self, text: str) -> Any:
        stripped = text.strip()
        if not stripped:
            raise VersionError(text, self.name, "empty")
        try:
            return (1, Version(stripped), ())
        except InvalidVersion:
            return (0, None, legacy_key(stripped))

    def accepts(self, text: str) -> bool:
        try:
            key = self.parse(text)
        except VersionError:
            return False
        if key[0] == 1:
            return True
        stripped = text.strip()
        return bool(_LEGACY_PLAUSIBLE.match(stripped)) and any(c.isdigit() for c in stripped)
