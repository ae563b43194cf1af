"""Packagist (Composer) versions: Composer's normalisation, then PHP's ``version_compare``.

Composer normalises ``v1.2`` to ``1.2.0.0`` and stability suffixes (``-beta.1``, ``RC2``,
``-p1``, ``stable``); PHP's ``version_compare`` then splits at ``.``/``-``/``_``/``+`` and
digit/letter transitions and orders the special forms ``dev`` < ``alpha`` = ``a`` < ``beta``
= ``b`` < ``RC`` = ``rc`` < *number* < ``pl`` = ``p`` (a part matches a form it starts with,
so ``patch`` is ``p``); any other word sorts before ``dev``. When one version runs out, its
next part compares as if it were the form ``#`` (a number). Written as tuple keys for speed;
branch names (``dev-main``, ``1.x-dev``) have no order and are refused.
"""

from __future__ import annotations

import re
from typing import Any

from steward.vuln.versions.base import BaseScheme, VersionError

_SPECIAL = (("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("rc", 3), ("#", 4))
_SPECIAL_AFTER = (("pl", 5), ("p", 5))
_UNKNOWN = -6
_NUMBER = 4
_TERMINATOR = (_NUMBER, -1)  # "#N#": after every word but "pl"/"p", before any number
_SPLIT = re.compile(r"(\d+)")
_VALID = re.compile(r"^[0-9A-Za-z.+_-]+$")


def _form(word: str) -> int:
    for form, order in (*_SPECIAL, *_SPECIAL_AFTER):
        if word.startswith(form):
            return order
    return _UNKNOWN


def version_compare_key(version: str) -> tuple[tuple[int, int], ...]:
    """Key such that tuple order equals PHP ``version_compare`` on ``version``."""
    parts: list[tuple[int, int]] = []
    for chunk in re.split(r"[._+-]", version):
        for piece in _SPLIT.split(chunk):
            if not piece:
                continue
            if piece.isdigit():
                parts.append((_NUMBER, int(piece)))
            else:
                parts.append((_form(piece), 0))
    parts.append(_TERMINATOR)
    return tuple(parts)


class PackagistScheme(BaseScheme):
    """Composer ordering: numeric part padded to four components, then ``version_compare``."""

    name = "Packagist"

    def _parse(self, text: str) -> Any:
        version = text.strip().lower()
        if version[:1] == "v":
            version = version[1:]
        if not version or not _VALID.match(version) or version.startswith("dev-"):
            raise VersionError(text, self.name)
        if version.endswith(("-dev", ".x-dev")) and re.search(r"\.x", version):
            raise VersionError(text, self.name, "a branch, not a version")
        m = re.match(r"^(\d+(?:\.\d+)*)(.*)$", version)
        if m is None:
            raise VersionError(text, self.name, "does not start with a number")
        numbers, rest = m.group(1).split("."), m.group(2)
        if len(numbers) < 4 and len(numbers[0]) < 5:  # not a date version (20240101)
            numbers += ["0"] * (4 - len(numbers))
        rest = re.sub(r"(^|[._-])stable\d*$", "", rest)  # "stable" is the release itself
        return version_compare_key(".".join(numbers) + rest)
