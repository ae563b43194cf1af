"""Settings of a running service (``steward serve`` options; tests build them directly)."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """How the service runs.

    ``database``: SQLite path or ``postgresql://`` URL of the store. ``vulndb``: the OSV
    database (SQLite file of ``steward db``) that SBOMs are matched against; None: the
    default cache location. ``secure_cookies``: session cookies only over HTTPS (switch off
    only for plain-HTTP development on loopback). ``max_body_bytes``: larger request bodies
    get 413; ``max_inflated_bytes`` bounds gzip-encoded uploads after decompression.
    ``allow_local_git``: the assess job may clone ``file://`` and local paths (tests, single
    machine set-ups); otherwise only ``https://`` repositories.
    """

    database: str
    vulndb: str | None = None
    secure_cookies: bool = True
    session_hours: int = 12
    max_body_bytes: int = 100 * MiB
    max_inflated_bytes: int = 512 * MiB
    login_window_minutes: int = 15
    login_max_failures: int = 5  # per account name within the window
    login_max_failures_address: int = 50  # per client address within the window
    run_worker: bool = True
    worker_poll_seconds: float = 1.0
    job_stale_seconds: int = 120
    allow_local_git: bool = False
