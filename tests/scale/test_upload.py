"""`assess-many --upload`: assessments to their projects on a real `steward serve` (uvicorn on
loopback, accounts made with `steward admin`), matched by repository URL."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from steward.scale.upload import repository_key
from tests.scale.gen import generate
from tests.service.test_cli import Live, live  # noqa: F401 - the live server fixture


def rows(path: Path) -> dict[str, dict[str, Any]]:
    found = [json.loads(line) for line in path.read_text().splitlines()]
    return {r["name"]: r for r in found}


def test_upload_to_the_portfolio_service(
    live: Live,  # noqa: F811
    tmp_path: Path,
    cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # local checkouts: the one whose origin is the project's repository is matched by it
    widget = generate(tmp_path / "widget", "widget", commits=3, tags=1)
    subprocess.run(["git", "-C", str(widget), "remote", "add", "origin",
                    "git@github.com:ACME/widget.git"], check=True)  # fmt: skip
    generate(tmp_path / "stray", "stray", commits=2, tags=0)
    listing = tmp_path / "repos.txt"
    listing.write_text("widget\nstray\n")
    api = f"{live.url}/api/v1"
    maintainer = {"Authorization": f"Bearer {live.tokens['ci']}"}
    set_url = httpx.patch(f"{api}/projects/{live.project_id}", headers=maintainer,
                          json={"repository_url": "https://github.com/acme/widget"})  # fmt: skip
    assert set_url.status_code == 200, set_url.text
    target = f"{api}/organisations/acme"

    missing = cli("assess-many", str(listing), "--upload", target)
    assert missing.exit_code == 2 and "STEWARD_TOKEN" in missing.stderr
    monkeypatch.setenv("STEWARD_TOKEN", live.tokens["ci"])
    for bad, message in (
        (f"{api}/projects/1", "expected https://HOST/api/v1/organisations/ORGANISATION"),
        ("http://example.org/api/v1/organisations/acme", "https"),
        (f"{api}/organisations/nowhere", "no project of nowhere is visible with this token"),
    ):
        refused = cli("assess-many", str(listing), "--upload", bad)
        assert refused.exit_code == 2, refused.stderr
        assert message in refused.stderr and "Traceback" not in refused.stderr

    out = tmp_path / "rows.jsonl"
    cache = tmp_path / "cache.sqlite"
    sent = cli("assess-many", str(listing), "-o", str(out), "--cache", str(cache),
               "--upload", target)  # fmt: skip
    assert sent.exit_code == 0, sent.stderr
    assert "uploaded 1 assessments to acme; 1 repositories have no project there" in sent.stderr
    found = rows(out)
    assert found["widget"]["upload"]["project"] == "acme/widget"
    assert "no project of acme has this repository" in found["stray"]["upload"]["error"]
    reader = {"Authorization": f"Bearer {live.tokens['vera']}"}
    stored = httpx.get(f"{api}/projects/{live.project_id}/assessments", headers=reader).json()
    assert stored["total"] == 1
    assert stored["items"][0]["id"] == found["widget"]["upload"]["id"]
    assert stored["items"][0]["level_achieved"] == found["widget"]["assessment"]["level_achieved"]

    again = cli("assess-many", str(listing), "-o", str(out), "--cache", str(cache),
                "--upload", target)  # fmt: skip
    assert again.exit_code == 0
    assert {r["status"] for r in rows(out).values()} == {"cached"}
    assert "uploaded 0 assessments" in again.stderr  # the service has these revisions
    stored = httpx.get(f"{api}/projects/{live.project_id}/assessments", headers=reader).json()
    assert stored["total"] == 1


def test_repositories_match_in_normal_form() -> None:
    same = (
        "git@github.com:Acme/widget.git",
        "https://github.com/acme/widget/",
        "git+https://github.com/Acme/Widget.git",
        "https://u:t@github.com/Acme/widget",
    )
    assert {repository_key(u) for u in same} == {"https://github.com/acme/widget"}
    assert repository_key("https://git.example.org/r.git") == "https://git.example.org/r"
