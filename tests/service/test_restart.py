"""Jobs survive a restart of a real `steward serve` (uvicorn on loopback): queued in the
database by one server (started without a worker), killed without warning, and run by the
next server on the same database, watched over HTTP."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db: str, tmp: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {**os.environ, "STEWARD_HOME": str(tmp / "home"), "STEWARD_CACHE": str(tmp / "cache")}
    command = [sys.executable, "-m", "steward", "serve", "--db", db, "--port", str(port)]
    log_path = tmp / f"serve-{port}.log"
    with log_path.open("wb") as log:  # the server keeps its own descriptor
        proc = subprocess.Popen(
            [*command, "--vulndb", str(tmp / "vulndb.sqlite"), *extra],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,  # a file: an undrained pipe can fill and stall the server
        )
    url = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 120  # a loaded 2-core CI machine starts it slowly
    while True:
        try:
            if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(10)
            raise AssertionError(f"server did not start: {log_path.read_text()}")
        time.sleep(0.2)


def test_queued_jobs_run_after_the_server_is_killed_and_restarted(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "service.sqlite")
    assert cli("serve", "--db", db, "--migrate-only").exit_code == 0
    for args in (
        ("create-user", "mona", "--no-password"),
        ("create-org", "acme"),
        ("create-project", "acme", "widget"),
        ("grant", "mona", "maintainer", "--org", "acme"),
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        assert cli("admin", *args, "--db", db).exit_code == 0
    made = cli("admin", "token", "mona", "--scope", "upload", "--db", db)
    headers = {"Authorization": f"Bearer {made.stdout.strip()}"}
    first, url = _serve(db, tmp_path, "--no-worker", "--insecure-cookies")
    try:
        ids = []
        for _ in range(2):
            r = httpx.post(
                f"{url}/jobs", json={"kind": "rematch", "project_id": 1}, headers=headers
            )
            assert r.status_code == 202, r.text
            ids.append(r.json()["id"])
        assert {httpx.get(f"{url}/jobs/{i}", headers=headers).json()["status"] for i in ids} == {
            "queued"
        }
    finally:
        first.send_signal(signal.SIGKILL)  # no shutdown: the jobs live only in the database
        first.wait(10)
    second, url = _serve(db, tmp_path, "--insecure-cookies")
    try:
        deadline = time.monotonic() + 60
        while True:
            jobs = httpx.get(f"{url}/jobs?project_id=1", headers=headers).json()
            if {j["status"] for j in jobs["items"]} == {"done"} or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert jobs["total"] == 2
        assert [(j["id"], j["status"], j["attempts"]) for j in jobs["items"]] == [
            (i, "done", 1) for i in sorted(ids, reverse=True)
        ]
        assert all(j["progress"]["done"] == j["progress"]["total"] for j in jobs["items"])
    finally:
        second.terminate()
        second.wait(10)
