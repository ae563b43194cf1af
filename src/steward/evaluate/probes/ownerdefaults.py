"""The owner's default community health files, shared by the probes that look for them.

GitHub uses SECURITY.md, CONTRIBUTING.md, GOVERNANCE.md and issue templates from the root,
``.github/`` or ``docs/`` of the owner's ``.github`` repository for every repository without
its own (docs.github.com, "Creating a default community health file"); OpenSSF Scorecard's
Security-Policy check reads the security policy there too. The forge collector lists that
repository (``ForgeData.owner_defaults``): a default found there passes (with its URL).
Offline such a default cannot be seen, and the probes judge the tree as it is: a repository
with none of these files fails, and for a repository whose remote is on GitHub the message
says that the owner's default was not read (:func:`offline_hint`), so that a maintainer whose
organisation has one knows how to settle it (a forge token, or an acceptance with a reason).
"""

from __future__ import annotations

import re

from steward.collect.facts import Facts
from steward.collect.facts import Finding as Fact
from steward.evaluate.probes.base import src

_GITHUB_REMOTE = re.compile(r"(?:^|[/@.])github\.com[:/]", re.I)
# file (or directory) names per kind, matched in the root, .github/ or docs/
_NAMES = {
    "security": r"security\.md",
    "contributing": r"contributing(?:\.md|\.markdown|\.rst|\.txt)?",
    "governance": r"governance\.md",
    "bug_reporting": r"issue_template(?:\.md)?",
}
_OFFLINE_HINT = (
    " (GitHub shows the owner's default {what} from its .github repository, if it has one: "
    "not read offline; run with a forge token to check)"
)


def owner_default(facts: Facts, kind: str) -> tuple[str, list[Fact]] | None:
    """``("found", [evidence])`` when the forge listed the owner's default file of ``kind``
    (security, contributing, governance, bug_reporting); None otherwise (not on GitHub, the
    owner has none, or the owner's defaults were not read)."""
    forge = facts.forge
    if forge is not None and forge.forge == "github" and forge.owner_defaults is not None:
        pattern = re.compile(rf"(?:\.github/|docs/)?{_NAMES[kind]}", re.I)
        hits = [(p, u) for p, u in forge.owner_defaults if pattern.fullmatch(p)]
        if not hits:
            return None
        path, url = hits[0]
        return "found", [Fact(src(url or None), f"the owner's default {path} (.github repository)")]
    return None


def offline_hint(facts: Facts, what: str) -> str:
    """A note for a failing presence probe of a GitHub repository whose owner's defaults were
    not read ("" otherwise): the owner's default ``what`` may apply."""
    forge = facts.forge
    if forge is not None and forge.owner_defaults is not None:
        return ""
    remote = facts.git.remote_url if facts.git is not None else None
    on_github = (forge is not None and forge.forge == "github") or bool(
        remote and _GITHUB_REMOTE.search(remote)
    )
    return _OFFLINE_HINT.format(what=what) if on_github else ""
