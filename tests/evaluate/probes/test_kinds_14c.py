"""Kinds found in the held-out-14c blind round (a PHP library and a hobby npm package)."""

from __future__ import annotations

from steward.collect.facts import Docs, Finding, Source
from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run, tag


def test_a_changelog_one_release_behind_passes_without_claiming_the_newest() -> None:
    """Held-out-14c (a PHP library): changelog.md opens with 3.0.2 while 3.0.3 is the newest
    tag. One release behind is still maintained (pass), but the message read "changelog
    maintained (latest tag 3.0.3, version 3.0.3)", as if the changelog named 3.0.3."""
    changelog = Finding(Source(path="changelog.md"), "changelog")
    tags = (tag("3.0.3"), tag("3.0.2"), tag("3.0.1"))

    def notes(versions: set[str], heads: set[str] | None = None) -> tuple[ProbeStatus, str]:
        docs = Docs(
            changelog=(changelog,),
            changelog_versions=frozenset(versions),
            changelog_heads=frozenset(heads or set()),
        )
        out = run("release_notes_present", make_facts(docs=docs, git=git((commit(),), tags)))
        return out.status, out.message

    status, message = notes({"3.0.2", "3.0.1"})
    assert status == ProbeStatus.PASS
    assert "one release behind" in message and "3.0.3" in message
    # a changelog that names the newest release says so plainly
    status, message = notes({"3.0.3", "3.0.2"})
    assert status == ProbeStatus.PASS and "behind" not in message and "3.0.3" in message
    # an entry for the next, unreleased version is ahead, not behind
    status, message = notes({"3.1.0", "3.0.2"}, {"3.1.0"})
    assert status == ProbeStatus.PASS and "behind" not in message
