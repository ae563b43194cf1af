"""Branch protection declared in the repository: settings files that a service applies to
the forge.

- ASF ``.asf.yaml`` (https://github.com/apache/infrastructure-asfyaml): ``github:
  protected_branches: <branch>:`` protects the branch (force pushes and deletion blocked, as
  a GitHub protection rule does unless allowed); ``required_pull_request_reviews:
  required_approving_review_count`` and ``required_status_checks: contexts`` (or ``checks``)
  are the review and check requirements. ASF infrastructure applies the file on every push.
  Its newer ``github: rulesets:`` (GitHub rulesets) protect the branches a ruleset of ``type:
  branch`` includes (``~DEFAULT_BRANCH`` or a name) only as far as it says: a ruleset blocks
  force pushes and deletion when ``restrict_force_push`` and ``restrict_deletion`` are true
  (GitHub's ruleset rules are opt-in, unlike a classic protection rule); one that does not
  is not counted as protection.
- The GitHub Settings app's ``.github/settings.yml``: ``branches: [{name, protection:
  {required_pull_request_reviews, required_status_checks}}]``; ``protection: null`` removes
  the protection.

These are read from the tree, so they say what the project asks for; with a forge token the
probes read the settings in force instead. Own code: two small YAML shapes, no library reads
them.
"""

from __future__ import annotations

from typing import Any

from steward.collect.facts import BranchSettings, Problem, Source
from steward.collect.tree import Tree
from steward.collect.yamlpos import key_line, line_of, load_located
from steward.errors import InputError


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _judge(path: str, branch: str, entry: Any, where: int | None) -> BranchSettings:
    source = Source(path=path, line=where)
    approvals: int | None = None
    approvals_at: Source | None = None
    checks: tuple[str, ...] | None = None
    checks_at: Source | None = None
    if isinstance(entry, dict):
        reviews = entry.get("required_pull_request_reviews")
        if isinstance(reviews, dict):
            approvals = _count(reviews.get("required_approving_review_count"))
            line = key_line(reviews, "required_approving_review_count", line_of(reviews))
            approvals_at = Source(path=path, line=line)
            if approvals is None and "required_approving_review_count" not in reviews:
                approvals = 1  # GitHub's default when reviews are required
        status = entry.get("required_status_checks")
        if isinstance(status, dict):
            listed = status.get("contexts") or status.get("checks") or []
            names = [
                str(c.get("context")) if isinstance(c, dict) else str(c)
                for c in (listed if isinstance(listed, list) else [])
            ]
            checks = tuple(n for n in names if n and n != "None")
            line = key_line(status, "contexts", key_line(status, "checks", line_of(status)))
            checks_at = Source(path=path, line=line)
    return BranchSettings(branch, source, approvals, approvals_at, checks, checks_at)


# the name .asf.yaml rulesets (and GitHub's ruleset conditions) give the default branch
DEFAULT_BRANCH = "~DEFAULT_BRANCH"


def _ruleset(path: str, ruleset: object) -> list[BranchSettings]:
    """The branches an ``.asf.yaml`` ruleset protects against force pushes and deletion:
    its literal includes (``~DEFAULT_BRANCH``, ``main``; a glob such as ``release/*`` names
    no one branch), when it restricts both."""
    if not isinstance(ruleset, dict) or str(ruleset.get("type", "branch")) != "branch":
        return []
    if (
        ruleset.get("restrict_force_push") is not True
        or ruleset.get("restrict_deletion") is not True
    ):
        return []
    branches = ruleset.get("branches")
    includes = branches.get("includes") if isinstance(branches, dict) else None
    where = key_line(ruleset, "name", line_of(ruleset))
    return [
        _judge(path, name, ruleset, where)
        for name in (str(i) for i in (includes if isinstance(includes, list) else []))
        if not any(c in name for c in "*?[")
    ]


def collect_branch_settings(tree: Tree) -> tuple[list[BranchSettings], list[Problem]]:
    """The protected branches of ``.asf.yaml`` and ``.github/settings.yml`` (a malformed file
    is a problem in area ``settings``, never a traceback)."""
    found: list[BranchSettings] = []
    problems: list[Problem] = []
    for path in (".asf.yaml", ".github/settings.yml", ".github/settings.yaml"):
        if path not in tree.files:
            continue
        text = tree.read(path, limit=256 * 1024).text
        if text is None:
            problems.append(Problem(Source(path=path), "unreadable", "settings"))
            continue
        try:
            doc = load_located(text, source=path)
        except InputError as exc:
            problems.append(Problem(Source(path=path), str(exc), "settings"))
            continue
        if not isinstance(doc, dict):
            continue
        if path == ".asf.yaml":
            github = doc.get("github")
            branches = github.get("protected_branches") if isinstance(github, dict) else None
            if isinstance(branches, dict):
                for name, entry in branches.items():
                    where = key_line(branches, str(name), line_of(branches))
                    found.append(_judge(path, str(name), entry, where))
            rulesets = github.get("rulesets") if isinstance(github, dict) else None
            for ruleset in rulesets if isinstance(rulesets, list) else []:
                found += _ruleset(path, ruleset)
            continue
        listed = doc.get("branches")
        for item in listed if isinstance(listed, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            protection = item.get("protection")
            if not isinstance(protection, dict):  # null: protection removed
                continue
            found.append(_judge(path, str(item["name"]), protection, line_of(item)))
    return found, problems
