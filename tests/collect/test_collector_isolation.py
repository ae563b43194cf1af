"""One collector's defect never stops the assessment (held-out-7e: sharkdp/hexyl's Cargo
licence made license-expression raise AttributeError inside the licence collector, and
``steward assess`` printed "internal error" with no verdict at all). The collector's area
becomes a Problem; the probes that read it answer ``error`` with the reason, the others are
unaffected."""

from __future__ import annotations

from pathlib import Path

import pytest

from steward.collect import documents, scan
from steward.collect.run import collect_facts
from steward.evaluate.probes import run_probe
from tests.collect.gitrepo import write


def _boom(*_args: object) -> object:
    raise AttributeError("'ExpressionError' object has no attribute 'token_string'")


def test_a_failing_collector_is_an_error_of_its_area(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"README.md": "# w\n\n## Usage\n\nw FILE\n", "LICENSE": "MIT License\n"})
    monkeypatch.setattr(documents, "collect_licenses", _boom)
    monkeypatch.setattr(scan, "binary_artifacts", _boom)
    facts = collect_facts(tmp_path)
    for name in ("license_file_present", "license_osi_approved", "no_binary_artifacts"):
        out = run_probe(name, facts)
        assert out.status.value == "error", name
        assert "internal error" in out.message and "AttributeError" in out.message
    assert run_probe("readme_present", facts).status.value == "pass"
    assert run_probe("user_documentation_present", facts).status.value == "pass"


def test_broken_project_config_still_stops_with_its_line(tmp_path: Path) -> None:
    from steward.errors import InputError

    write(tmp_path, {"steward.yml": "accept:\n  - requirement: [unclosed\n"})
    with pytest.raises(InputError):
        collect_facts(tmp_path)
