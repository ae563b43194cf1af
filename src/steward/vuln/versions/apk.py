"""Alpine (apk) package versions: ``1.2.3[letter][_suffix[N]...][-rN]``.

apk-tools orders the dotted numbers numerically (a missing number sorts first), then an
optional single letter, then suffixes ``_alpha`` < ``_beta`` < ``_pre`` < ``_rc`` <
(none) < ``_cvs`` < ``_svn`` < ``_git`` < ``_hg`` < ``_p``, each with an optional number,
then the package release ``-rN``. Written as tuple keys; a version apk would reject is a
:class:`VersionError`. Used for Alpine, Chainguard and Wolfi.
"""

from __future__ import annotations

import re
from typing import Any

from steward.vuln.versions.base import BaseScheme, VersionError

_APK = re.compile(
    r"^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$"
)
_SUFFIX = re.compile(r"_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)")
_RANK = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
_NO_SUFFIX = (4, 0)


class ApkScheme(BaseScheme):
    """apk-tools version ordering."""

    name = "Alpine"

    def __init__(self, name: str = "Alpine") -> None:
        super().__init__()
        self.name = name

    def _parse(self, text: str) -> Any:
        m = _APK.match(text.strip())
        if m is None:
            raise VersionError(text, self.name)
        numbers, letter, suffixes, release = m.groups()
        suffix_key = (
            *tuple((_RANK[kind], int(num or 0)) for kind, num in _SUFFIX.findall(suffixes)),
            _NO_SUFFIX,
        )
        return (
            tuple(int(n) for n in numbers.split(".")),
            ord(letter) if letter else 0,
            suffix_key,
            int(release or 0),
        )
