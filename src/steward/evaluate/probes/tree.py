"""Probes over the tree's content: committed secrets and binary artifacts."""

from __future__ import annotations

from steward.collect.facts import Facts
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes.base import (
    counted,
    failed,
    passed,
    probe,
)


@probe("no_secrets_in_tree")
def _secrets_tree(facts: Facts) -> ProbeOutcome:
    if facts.secrets:
        return failed(
            counted(
                len(facts.secrets),
                "committed secret or credential file",
                "committed secrets or credential files",
            ),
            facts.secrets,
        )
    return passed(
        f"no recognisable secrets in {facts.file_count} files (keys, tokens, credential files)"
    )


@probe("no_binary_artifacts")
def _binaries(facts: Facts) -> ProbeOutcome:
    if facts.binary_artifacts:
        return failed(
            f"{counted(len(facts.binary_artifacts), 'binary artifact')} in the tree",
            facts.binary_artifacts,
        )
    return passed(f"no binary artifacts in {facts.file_count} files")
