"""Documentation probes: pass with evidence, fail without."""

from __future__ import annotations

import pytest

from steward.evaluate.model import ProbeStatus
from tests.evaluate.probes.factsbuilder import fact, make_facts, run, with_docs


@pytest.mark.parametrize(
    ("probe", "attr"),
    [("readme_present", "readme"), ("user_documentation_present", "user_docs"),
     ("contributing_guide_present", "contributing"), ("changelog_present", "changelog")],
)  # fmt: skip
def test_doc_probe(probe: str, attr: str) -> None:
    out = run(probe, with_docs(**{attr: (fact("README.md", 3),)}))
    assert out.status == ProbeStatus.PASS and out.evidence[0].line == 3
    assert run(probe, make_facts()).status == ProbeStatus.FAIL
