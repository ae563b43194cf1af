"""A documentation site's release data that states how long each release line is supported.

Jekyll sites keep the table of a project's release lines in a data file: The PHP League's
documentation theme reads ``docs/_data/releases.yml`` (League\\Container: ``version: 3.x``,
``support: 2022-02``; ``version: 4.x``, ``support: Ongoing``, held-out-15d) or the
``releases`` of ``docs/_data/project.yml`` (``supported_until: '2018-02-18'``), and renders it
as the site's "Releases" table with a Support column. Such a file states the support period of
the project's own releases (STW-DOC-04, STW-SUP-01) when at least one line has an end date:
a support column of "Ongoing" everywhere sets no period. Source: Jekyll's data files
(https://jekyllrb.com/docs/datafiles/).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from steward.collect.facts import Finding, Source
from steward.collect.tree import Tree

# the site's data directory, at the root of the site's source
_DATA_DIRS = ("docs/_data/", "_data/", "site/_data/", "website/_data/")
# a release line's version: "version: 4.x", "- version: '9.0'"
_VERSION_KEY = re.compile(r"^\s*(?:-\s+)?version:\s*['\"]?v?\d", re.M)
# a line's end of support with a date: "support: 2022-02", "supported_until: '2018-02-18'",
# "eol: 2021-06-30"
_SUPPORT_END = re.compile(
    r"^\s*(?:-\s+)?(?:support(?:ed)?(?:[-_]until)?|end[-_]of[-_](?:life|support)|eol):\s*"
    r"['\"]?\d{4}-\d{2}(?:-\d{2})?['\"]?\s*$",
    re.I | re.M,
)


def release_support_data(tree: Tree, text_of: Callable[[str], str]) -> list[Finding]:
    """Data files of a documentation site whose release lines give a version and an end of
    support with a date, each at its first such end date (at most two files)."""
    found: list[Finding] = []
    for directory in _DATA_DIRS:
        for path in tree.in_dir(directory):
            if not path.lower().endswith((".yml", ".yaml")):
                continue
            text = text_of(path)
            end = _SUPPORT_END.search(text)
            if end is None or not _VERSION_KEY.search(text):
                continue
            line = text.count("\n", 0, end.start()) + 1
            detail = f"release support data: {' '.join(end.group(0).split())}"
            found.append(Finding(Source(path=path, line=line), detail))
    return found[:2]
