"""The OpenAPI document is part of the contract: it is served, and a change to it is a
deliberate change to this snapshot (regenerate with STEWARD_UPDATE_SNAPSHOTS=1)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from steward.service.app import create_app
from steward.service.config import Settings
from tests.service.conftest import World

SNAPSHOT = Path(__file__).parent / "data" / "openapi.json"


def _document(tmp_path: Path) -> dict[str, object]:
    app = create_app(Settings(database=str(tmp_path / "x.sqlite"), run_worker=False))
    return json.loads(json.dumps(app.openapi()))


def test_openapi_matches_snapshot(tmp_path: Path) -> None:
    document = _document(tmp_path)
    document["info"] = {**document["info"], "version": "(version)"}  # type: ignore[dict-item]
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if os.environ.get("STEWARD_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text)
    assert json.loads(SNAPSHOT.read_text()) == json.loads(text), (
        "the API changed: review it, then STEWARD_UPDATE_SNAPSHOTS=1 pytest tests/service"
    )


def test_openapi_is_served_and_lists_every_route(sqlite_world: World) -> None:
    served = sqlite_world.client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    paths = served.json()["paths"]
    for path in (
        "/api/v1/projects/{project_id}/assessments",
        "/api/v1/projects/{project_id}/sboms",
        "/api/v1/projects/{project_id}/vex",
        "/api/v1/projects/{project_id}/vulnerabilities",
        "/api/v1/cases/{case_id}/events",
        "/api/v1/cases/{case_id}/reports/{stage}",
        "/api/v1/cases/{case_id}/advisories/{advisory_format}",
        "/api/v1/portfolio/summary",
        "/api/v1/portfolio/export",
        "/api/v1/jobs",
        "/api/v1/tokens",
        "/api/v1/session",
    ):
        assert path in paths, path
