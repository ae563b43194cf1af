"""Tree content probes: secrets and binaries."""

from __future__ import annotations

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import fact, make_facts, run


def test_secrets_and_binaries() -> None:
    assert run("no_secrets_in_tree", make_facts()).status == ProbeStatus.PASS
    leaked = make_facts(secrets=(fact("deploy/.env", 3, "AWS access key id"),))
    out = run("no_secrets_in_tree", leaked)
    assert out.status == ProbeStatus.FAIL and out.evidence[0].line == 3
    binary = make_facts(binary_artifacts=(fact("lib/x.jar", None, "binary artifact (.jar)"),))
    assert run("no_binary_artifacts", binary).status == ProbeStatus.FAIL
