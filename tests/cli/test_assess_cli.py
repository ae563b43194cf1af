"""`steward assess` end to end on a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.evaluate.repos import RELEASE_LINE, pinned_repo  # noqa: F401 - fixture
from tests.evaluate.test_assess import good_repo  # noqa: F401 - fixture


def test_formats_and_gate(cli, good_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    table = cli("assess", str(good_repo))
    assert table.exit_code == 0, table.stderr
    assert "Level achieved" in table.stdout
    data = json.loads(cli("assess", str(good_repo), "-f", "json", "--level", "1").stdout)
    assert data["project"] == "widget" and all(f["level"] == 1 for f in data["findings"])
    only = json.loads(cli("assess", str(good_repo), "-f", "json", "--only", "vul").stdout)
    assert {f["requirement_id"][:7] for f in only["findings"]} == {"STW-VUL"}
    for fmt, start in (("markdown", "# Steward"), ("html", "<!doctype"), ("sarif", "{")):
        written = tmp_path / f"report.{fmt}"
        result = cli("assess", str(good_repo), "-f", fmt, "-o", str(written))
        assert result.exit_code == 0 and written.read_text().startswith(start)
    oscal = json.loads(cli("assess", str(good_repo), "-f", "oscal").stdout)
    assert "assessment-results" in oscal
    level = data["level_achieved"]
    gate = cli("assess", str(good_repo), "--fail-under", str(min(level + 1, 3)))
    assert gate.exit_code == (1 if level < 3 else 0)


def test_git_url_is_cloned(cli, good_repo: Path) -> None:  # noqa: F811
    cloned = cli("assess", f"file://{good_repo}", "-f", "json", "--offline")
    assert cloned.exit_code == 0, cloned.stderr
    local = json.loads(cli("assess", str(good_repo), "-f", "json").stdout)
    remote = json.loads(cloned.stdout)
    assert remote["revision"] == local["revision"]
    assert [f["status"] for f in remote["findings"]] == [f["status"] for f in local["findings"]]


def test_errors(cli, tmp_path: Path) -> None:
    missing = cli("assess", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such directory" in missing.stderr
    (tmp_path / "file.txt").write_text("x\n")
    not_dir = cli("assess", str(tmp_path / "file.txt"))
    assert not_dir.exit_code == 2 and "not a directory" in not_dir.stderr
    bad_clone = cli("assess", f"file://{tmp_path}/nope.git")
    assert bad_clone.exit_code == 2 and "git clone failed" in bad_clone.stderr
    # git's fatal line, not its closing advice ("and the repository exists.")
    assert "does not appear to be a git repository" in bad_clone.stderr
    # a token written into the URL is shown nowhere (as assess-many redacts it)
    secret = cli("assess", "https://user:s3cr3t@127.0.0.1:9/x.git", "--offline")
    assert secret.exit_code == 2 and "git clone failed" in secret.stderr
    assert "s3cr3t" not in secret.stderr + secret.stdout
    bad_only = cli("assess", str(tmp_path), "--only", "XYZ")
    assert bad_only.exit_code == 2 and "Traceback" not in bad_only.stderr
    for value in ("0", "4", "one"):
        bad_gate = cli("assess", str(tmp_path), "--fail-on", value)
        assert bad_gate.exit_code == 2 and "--fail-on" in bad_gate.stderr, bad_gate.stderr
        assert "Traceback" not in bad_gate.stderr


def test_table_shows_file_and_line_of_each_failing_item(
    cli,
    pinned_repo: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line
    table = cli("assess", str(pinned_repo))
    assert table.exit_code == 0, table.stderr
    assert f".github/workflows/release.yml:{RELEASE_LINE} — someorg/publish@v1" in table.stdout
    assert "my service/Dockerfile:1 — FROM python:3.12" in table.stdout


def test_fail_on_gates_on_failing_musts_only(cli, good_repo: Path, pinned_repo: Path) -> None:  # noqa: F811
    healthy = cli("assess", str(good_repo), "--offline", "--fail-on", "1")
    assert healthy.exit_code == 0, healthy.stderr  # level-1 MUSTs only await attestation
    strict = cli("assess", str(good_repo), "--offline", "--fail-under", "1")
    assert strict.exit_code == 1 and "below --fail-under 1" in strict.stderr
    level2 = cli("assess", str(pinned_repo), "--offline", "--fail-on", "2")
    assert level2.exit_code == 1 and "STW-BLD-04 (fail)" in level2.stderr
    (good_repo / "SECURITY.md").unlink()
    broken = cli("assess", str(good_repo), "--offline", "--fail-on", "1", "-f", "json")
    assert broken.exit_code == 1 and "STW-VUL-01 (fail)" in broken.stderr
    assert json.loads(broken.stdout)["project"] == "widget"  # the report is still written


def test_bad_steward_yml_is_one_line_and_exit_2(cli, good_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    cases = {
        "attestations:\n  STW-NOPE-01: {status: met}\n": "steward.yml:2: attestations: unknown "
        "requirement id 'STW-NOPE-01'",
        "accept:\n  - requirement: STW-VUL-01\n    reason: r\n    owner: o\n": "steward.yml:2: "
        "accept[0]: 'expires' is required",
        "accept: [\n": "steward.yml:2: invalid YAML",
        "colour: blue\n": "steward.yml:1: unknown section 'colour'",
        "# x\n" * 300_000: "steward.yml: larger than the 1 MiB",
        "attestations: {}\n\x00": "steward.yml: binary content",
    }
    out = tmp_path / "report.json"
    for text, message in cases.items():
        (good_repo / "steward.yml").write_text(text)
        result = cli("assess", str(good_repo), "-f", "json", "-o", str(out))
        assert result.exit_code == 2, (text, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert not out.exists()  # nothing written half-way


def test_only_reports_no_level_rather_than_level_0(cli, good_repo: Path) -> None:  # noqa: F811
    """With --only no level is achieved; the table said "Level achieved: 0" under levels that
    each had "0 MUST not met", and --fail-under then always failed."""
    table = cli("assess", str(good_repo), "--only", "LEG", "--offline")
    assert table.exit_code == 0, table.stderr
    assert "Level achieved: not determined (--only" in table.stdout
    assert "Level achieved: 0" not in table.stdout
    markdown = cli("assess", str(good_repo), "--only", "LEG", "-f", "markdown", "--offline")
    assert "**Level achieved: not determined" in markdown.stdout
    gate = cli("assess", str(good_repo), "--only", "LEG", "--fail-under", "1")
    assert gate.exit_code == 2 and "--fail-under" in gate.stderr
    whole = cli("assess", str(good_repo), "--offline")
    assert "Level achieved: not determined" not in whole.stdout
