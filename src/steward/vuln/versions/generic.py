"""The fallback for ecosystems without a scheme: numbers numerically, words alphabetically.

Its ordering is a guess (``exact = False``): callers should report matches made with it as
"could not evaluate" instead of trusting them.
"""

from __future__ import annotations

import re
from typing import Any

from steward.vuln.versions.base import BaseScheme, VersionError

_TOKEN = re.compile(r"\d+|[A-Za-z]+")


class GenericScheme(BaseScheme):
    """Split into digit and letter runs; a word sorts before a number at the same place."""

    exact = False

    def __init__(self, name: str = "generic") -> None:
        super().__init__()
        self.name = name

    def _parse(self, text: str) -> Any:
        tokens = _TOKEN.findall(text.strip().lower().removeprefix("v"))
        if not tokens:
            raise VersionError(text, self.name)
        return tuple((1, int(t), "") if t.isdigit() else (0, 0, t) for t in tokens)
