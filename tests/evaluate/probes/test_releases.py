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
