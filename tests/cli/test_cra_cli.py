"""`steward cra scope` / `steward cra categories`: answers from steward.yml, output formats,
saving answers, and bad input (exit 2, one line naming the file)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml


def _project(tmp_path: Path, config: str | None = None) -> Path:
    root = tmp_path / "project"
    root.mkdir(parents=True)
    if config is not None:
        (root / "steward.yml").write_text(config)
    return root


MANUFACTURER = """\
# our answers
cra:
  scope:
    eu_market: true
    excluded_sector: false
    contributor_only: false
    charges_price: true
    own_name: true
    category: firewalls-ids-ips
    free_open_source: false
"""


def test_scope_from_steward_yml(cli, tmp_path: Path) -> None:
    root = _project(tmp_path, MANUFACTURER)
    result = cli("cra", "scope", str(root), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["role"] == "manufacturer" and data["assess_role"] == "manufacturer"
    assert data["category"]["point"] == "Annex III, class II, point 2"
    assert data["conformity_assessment"]["basis"] == "Art. 32(3)"
    assert not any("module A" in r for r in data["conformity_assessment"]["routes"])
    assert data["missing"] == []
    text = cli("cra", "scope", str(root)).stdout
    assert "Role: manufacturer (Art. 3(13))" in text
    assert "applies since 2026-09-11" in text or "applies from 2026-09-11" in text
    markdown = cli("cra", "scope", str(root), "-f", "markdown").stdout
    assert markdown.startswith("# CRA scope") and "## What follows" in markdown


def test_unanswered_scope_names_the_next_question(cli, tmp_path: Path) -> None:
    root = _project(tmp_path, "cra:\n  scope:\n    eu_market: true\n")
    result = cli("cra", "scope", str(root), "--no-input", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert data["role"] == "undetermined" and data["obligations"] == []
    assert [m["key"] for m in data["missing"]] == ["cra.scope.excluded_sector"]


def test_save_keeps_comments_when_the_section_is_new(cli, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path, "# keep me\nattestations: {}\n")
    # a terminal answering: EU market yes, excluded sector no, contributor only yes
    monkeypatch.setattr("steward.cli.cra.sys.stdin.isatty", lambda: True)
    replies = iter([True, False, True])
    monkeypatch.setattr("steward.cli.cra.ask_yes_no", lambda question: next(replies))
    result = cli("cra", "scope", str(root), "--save")
    assert result.exit_code == 0, result.stderr
    text = (root / "steward.yml").read_text()
    assert text.startswith("# keep me\nattestations: {}\n")
    assert yaml.safe_load(text)["cra"]["scope"] == {
        "eu_market": True,
        "excluded_sector": False,
        "contributor_only": True,
    }
    assert "contributor" in result.stdout


def test_categories_lists_every_id(cli) -> None:
    result = cli("cra", "categories")
    assert result.exit_code == 0
    assert result.stdout.startswith("none:")
    assert "operating-systems: Operating systems [Annex III, class I, point 11" in result.stdout
    assert result.stdout.count("\n    ") == 26


def test_bad_input(cli, tmp_path: Path) -> None:
    cases = [
        (("cra", "scope", str(tmp_path / "nope")), "nope: not a directory"),
        (("cra", "scope", str(_project(tmp_path / "a", "cra:\n  scope:\n    category: toaster\n"))),
         "steward.yml:3: cra.scope.category: unknown category 'toaster'"),
        (("cra", "scope", str(_project(tmp_path / "b", "cra:\n  scope:\n    eu_market: maybe\n"))),
         "steward.yml:3: cra.scope.eu_market"),
        (("cra", "scope", str(_project(tmp_path / "c", "cra:\n  scope: [\n"))),
         "steward.yml:3: invalid YAML"),
        (("cra", "scope", "--format", "pdf"), "Invalid value for '--format'"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (message, result.stderr)
        assert "Traceback" not in result.stderr
