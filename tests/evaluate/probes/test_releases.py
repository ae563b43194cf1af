"""Release probes."""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import commit, git, make_facts, run, tag


def test_version_tags_and_signatures() -> None:
    facts = make_facts(git=git((commit(),), (tag("v1.2.0", signed=True, verified=True),)))
    assert run("releases_tagged", facts).status == ProbeStatus.PASS
    assert run("release_tags_signed", facts).status == ProbeStatus.PASS
    unsigned = make_facts(git=git((commit(),), (tag("v1.2.0"),)))
    assert run("release_tags_signed", unsigned).status == ProbeStatus.FAIL


def test_apache_rel_tags_count_and_release_candidates_do_not() -> None:
    tags = (
        tag("commons-widget-2.1.0-RC1"),  # newest: an unsigned release candidate
        tag("rel/commons-widget-2.0.0", signed=True),
        tag("rel/commons-widget-1.9", signed=True),
    )
    facts = make_facts(git=git((commit(),), tags))
    out = run("release_tags_signed", facts)
    assert out.status == ProbeStatus.PASS
    assert [e.detail.split(":")[0] for e in out.evidence] == [
        "tag rel/commons-widget-2.0.0",
        "tag rel/commons-widget-1.9",
    ]
    only_rc = make_facts(git=git((commit(),), (tag("v2.0.0-rc.1"), tag("2.0.0b3"))))
    out = run("releases_tagged", only_rc)
    assert out.status == ProbeStatus.FAIL and "pre-release" in out.message
    assert run("release_tags_signed", only_rc).status == ProbeStatus.NOT_APPLICABLE


def test_name_version_tags() -> None:
    facts = make_facts(git=git((commit(),), (tag("grep-searcher-0.1.17"), tag("php-8.3.0"))))
    assert run("releases_tagged", facts).status == ProbeStatus.PASS


def test_changelog_that_stopped_several_releases_ago() -> None:
    """Held-out-6 (a Ruby gem): History.rdoc ends at 13.2.1 while v13.3.0 ... v13.4.2 were
    tagged; the notes moved to the forge's release pages. Not a maintained changelog, and the
    release notes cannot be judged offline."""
    from steward.collect.facts import Docs, Finding, Source

    history = Finding(Source(path="History.rdoc"), "changelog")
    tags = (tag("v13.4.2"), tag("v13.4.1"), tag("v13.3.0"), tag("v13.2.1"))
    stale = make_facts(
        docs=Docs(changelog=(history,), changelog_versions=frozenset({"13.2.1", "13.2.0"})),
        git=git((commit(),), tags),
    )
    out = run("changelog_present", stale)
    assert out.status == ProbeStatus.FAIL and "13.4.2, 13.4.1" in out.message
    assert run("release_notes_present", stale).status == ProbeStatus.UNKNOWN
    # lagging by one release (the newest tag made before its entry) is still maintained
    lagging = make_facts(
        docs=Docs(changelog=(history,), changelog_versions=frozenset({"13.4.1", "13.4"})),
        git=git((commit(),), tags),
    )
    assert run("changelog_present", lagging).status == ProbeStatus.PASS
    assert run("release_notes_present", lagging).status == ProbeStatus.PASS
    # "1.5" in the changelog names the 1.5.0 release; package tags (monorepos) are not judged
    short = make_facts(
        docs=Docs(changelog=(history,), changelog_versions=frozenset({"1.5"})),
        git=git((commit(),), (tag("v1.5.0"), tag("v1.4.0"))),
    )
    assert run("changelog_present", short).status == ProbeStatus.PASS
    monorepo = make_facts(
        docs=Docs(changelog=(history,), changelog_versions=frozenset({"1.0.0"})),
        git=git((commit(),), (tag("pkg-a@2.0.0"), tag("pkg-b@3.1.0"))),
    )
    assert run("changelog_present", monorepo).status == ProbeStatus.PASS


def test_changelog_kept_for_the_next_unreleased_version() -> None:
    """Held-out-8c (Apache APR): trunk's CHANGES opens with "Changes for APR 2.0.0" and links
    the 1.7.x branch's changelog, while 1.7.4 and 1.7.3 are the newest tags (releases are cut
    from maintenance branches). The changelog is maintained, not stopped."""
    from steward.collect.facts import Docs, Facts, Finding, Source

    changes = Finding(Source(path="CHANGES"), "changelog")
    tags = (tag("1.7.4"), tag("1.7.3"), tag("1.7.2"))

    def facts(heads: set[str]) -> Facts:
        versions = frozenset({*heads, "1.6", "1.5"})
        docs = Docs(changelog=(changes,), changelog_versions=versions,
                    changelog_heads=frozenset(heads))  # fmt: skip
        return make_facts(docs=docs, git=git((commit(),), tags))

    ahead = facts({"2.0.0"})
    assert run("changelog_present", ahead).status == ProbeStatus.PASS
    assert run("release_notes_present", ahead).status == ProbeStatus.PASS
    # the same minor line, unreleased, is ahead too
    assert run("changelog_present", facts({"1.7.5"})).status == ProbeStatus.PASS
    # a changelog whose newest entry is older than the newest tags stopped
    assert run("changelog_present", facts({"1.6.0"})).status == ProbeStatus.FAIL
    # a version further ahead than the next major is something else (a runtime, a dependency)
    assert run("changelog_present", facts({"3.12"})).status == ProbeStatus.FAIL
