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
