"""Documentation pages that record what changed between versions: upgrade and migration
guides, release notes, "What's new" pages, a page of the project's history.

Such a page names the project's parts only to say what changed in them. League\\Container's
``docs/4.x/upgrade-guide.md`` (front matter ``title: Upgrade Guide``) has an "Internals"
section on two definition classes that were removed (held-out-15d): a note for upgraders, not
design documentation. The page is still user documentation; only the design reading skips
it. Sources: the pages' own names and titles (Keep a Changelog's "Upgrade guide", Django's
"release notes", Python's "What's New In Python").
"""

from __future__ import annotations

import re

# the page's file name: upgrade-guide.md, UPGRADING.rst, upgrade_to_v4.md, migration.md,
# migrating-from-v1.md, migration_guide.md, whats-new.md, release-notes.md, history.rst,
# news.md, changes.rst (not migrations.md, a database tool's page on its migrations feature)
_CHANGES_FILE = re.compile(
    r"(?:^|/)(?:upgrad(?:e|es|ing)|migrat(?:e|ing|ion)(?!s)|whats?[-_]?new|release[-_]?notes?"
    r"|history|news|changes)(?:[-_. ][^/]*)?\.[^/.]+$",
    re.I,
)
# the page's title: "Upgrade Guide", "Upgrading from 3.x", "Migration guide", "What's new in
# 2.0", "Release notes", "History"
_CHANGES_TITLE = re.compile(
    r"^\W*(?:upgrad(?:e|ing)\b|migrat(?:e|ing|ion)\b(?!s)|what'?s\s+new\b|release\s+notes\b"
    r"|change\s?log\b|(?:release\s+|version\s+)?history\W*$)"
    r"|\b(?:upgrade|migration)\s+guide\b",
    re.I,
)
# a Jekyll/Hugo front matter's title, at the top of the page
_FRONT_MATTER_TITLE = re.compile(
    r"\A---[ \t]*\r?\n(?:(?!---)[^\n]*\n){0,40}?title:[ \t]*['\"]?([^'\"\n]{1,120})", re.I
)
_MARKDOWN_TITLE = re.compile(r"^\s{0,3}#{1,6}\s+(.{1,120}?)\s*#*\s*$", re.M)


def records_version_changes(path: str, text: str) -> bool:
    """Whether the documentation page at ``path`` (its text ``text``) records what changed
    between versions, by its file name, its front matter's title or its first Markdown
    heading."""
    if _CHANGES_FILE.search(path):
        return True
    head = text[:4096]
    title = _FRONT_MATTER_TITLE.match(head) or _MARKDOWN_TITLE.search(head)
    return title is not None and _CHANGES_TITLE.search(title.group(1)) is not None
