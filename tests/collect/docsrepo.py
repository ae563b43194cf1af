"""The documentation facts of a small tree written for a test: the helper the documentation
kinds tests share."""

from __future__ import annotations

from pathlib import Path

from steward.collect.documents import collect_docs, collect_insights, collect_policy
from steward.collect.facts import Docs
from steward.collect.tree import walk
from tests.collect.gitrepo import write


def docs_of(root: Path, files: dict[str, str | bytes]) -> Docs:
    """Write ``files`` under ``root`` and collect its documentation facts, as ``collect_facts``
    does (the security insights and policy first: the documents read them)."""
    write(root, files)
    tree = walk(root)
    insights, _ = collect_insights(tree)
    policy, _ = collect_policy(tree, insights)
    return collect_docs(tree, insights, policy)
