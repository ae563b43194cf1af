"""A real ``steward serve`` for the browser tests and the screenshots: the demo portfolio
behind uvicorn on a free loopback port (plain HTTP, so cookies are not marked Secure)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.service.conftest import build_world
from tests.service.web.seed import Demo, seed

CHROMIUM = Path("/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def live_demo(
    workdir: Path, shared_data: Path, *, extra_projects: int = 3
) -> Iterator[tuple[Demo, str]]:
    """The demo portfolio served over HTTP on loopback: (demo, base URL)."""
    world = build_world(str(workdir / "service.sqlite"), workdir, secure_cookies=False)
    try:
        demo = seed(world, workdir, shared_data, extra_projects=extra_projects)
        with serve(world.client.app) as url:
            yield demo, url
    finally:
        world.client.close()
        world.store.close()


def launch(playwright: Any) -> Any:
    """Debian's chromium through Playwright (no browser download)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
    )
