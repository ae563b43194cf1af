"""`steward assess` end to end on a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert missing.exit_code == 2 and "not a directory" in missing.stderr
    bad_clone = cli("assess", f"file://{tmp_path}/nope.git")
    assert bad_clone.exit_code == 2 and "git clone failed" in bad_clone.stderr
    bad_only = cli("assess", str(tmp_path), "--only", "XYZ")
    assert bad_only.exit_code == 2 and "Traceback" not in bad_only.stderr
