"""The owner's default community health files, shared by the probes that look for them.

GitHub uses SECURITY.md, CONTRIBUTING.md, GOVERNANCE.md and issue templates from the root,
``.github/`` or ``docs/`` of the owner's ``.github`` repository for every repository without
its own (docs.github.com, "Creating a default community health file"); OpenSSF Scorecard's
Security-Policy check reads the security policy there too. The forge collector lists that
repository (``ForgeData.owner_defaults``); offline, a repository whose remote is on GitHub may
have such a default, which cannot be checked, so the probes say ``unknown`` instead of a
false fail.
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
OFFLINE = (
    "GitHub uses the owner's default {what} (its .github repository) for repositories without "
    "one, which cannot be checked offline: attest it"
)


def owner_default(facts: Facts, kind: str) -> tuple[str, list[Fact]] | None:
    """``("found", [evidence])`` when the forge listed the owner's default file of ``kind``
    (security, contributing, governance, bug_reporting); ``("unknown", [])`` for a GitHub
    repository whose owner's defaults were not read (offline: the remote is on github.com);
    None when none applies (not on GitHub, or the owner has none)."""
    forge = facts.forge
    if forge is not None and forge.forge == "github" and forge.owner_defaults is not None:
        pattern = re.compile(rf"(?:\.github/|docs/)?{_NAMES[kind]}", re.I)
        hits = [(p, u) for p, u in forge.owner_defaults if pattern.fullmatch(p)]
        if not hits:
            return None
        path, url = hits[0]
        return "found", [Fact(src(url or None), f"the owner's default {path} (.github repository)")]
    remote = facts.git.remote_url if facts.git is not None else None
    on_github = (forge is not None and forge.forge == "github") or bool(
        remote and _GITHUB_REMOTE.search(remote)
    )
    return ("unknown", []) if on_github else None
