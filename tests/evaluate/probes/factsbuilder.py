"""Small hand-made ``Facts`` for probe tests: everything empty unless given."""

from __future__ import annotations

import dataclasses
from typing import Any

from steward.collect.facts import (
    Commit,
    Dependencies,
    Docs,
    Facts,
    GitFacts,
    SecurityPolicy,
    Source,
    Tag,
)
from steward.collect.facts import Finding as Fact
from steward.evaluate.model import ProbeOutcome
from steward.evaluate.probes import run_probe

NOW = 1_764_400_000  # 2025-11-29


def fact(path: str, line: int | None = None, detail: str = "found") -> Fact:
    return Fact(Source(path=path, line=line), detail)


def policy(**kw: Any) -> SecurityPolicy:
    base: dict[str, Any] = {
        "files": (), "urls": (), "private_contacts": (), "public_links": (),
        "response_timeframes": (), "supported_versions": (), "disclosure_terms": (),
    }  # fmt: skip
    base.update(kw)
    return SecurityPolicy(**base)


def dependencies(**kw: Any) -> Dependencies:
    base: dict[str, Any] = {
        "manifests": (), "lockfiles": (), "unlocked_manifests": (), "update_tools": (),
        "unpinned": (),
    }  # fmt: skip
    base.update(kw)
    return Dependencies(**base)


def commit(
    sha: str = "a" * 40,
    *,
    when: int = NOW,
    name: str = "Alice",
    email: str = "alice@example.org",
    signature: str = "N",
    parents: int = 1,
    signed_off: bool = False,
    reviewed: bool = False,
) -> Commit:
    return Commit(sha, when, name, email, signature, parents, signed_off, reviewed, "change")


def tag(name: str, *, signed: bool = False, verified: bool | None = None) -> Tag:
    return Tag(name, signed, signed, verified, NOW, "c" * 40)


def git(commits: tuple[Commit, ...] = (), tags: tuple[Tag, ...] = ()) -> GitFacts:
    return GitFacts(
        head=commits[0].sha if commits else None, branch="main", commits=commits,
        truncated=False, tags=tags,
    )  # fmt: skip


def make_facts(**kw: Any) -> Facts:
    base: dict[str, Any] = {
        "root": "/project", "project_name": "project", "file_count": 10, "policy": policy(),
        "insights": None, "licenses": (), "docs": Docs(), "dependencies": dependencies(),
        "workflows": (), "images": (), "binary_artifacts": (), "secrets": (), "fuzzing": (),
        "git": None, "forge": None, "attestations": (), "problems": (),
    }  # fmt: skip
    base.update(kw)
    return Facts(**base)


def with_docs(**kw: Any) -> Facts:
    return make_facts(docs=dataclasses.replace(Docs(), **kw))


def run(name: str, facts: Facts) -> ProbeOutcome:
    return run_probe(name, facts)
