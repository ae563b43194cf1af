"""What every request handler reaches: the store, the settings, the vulnerability database.

The vulnerability database handle is kept between matches (its parsed advisories are cached,
which makes a second 10k-component match about twice as fast) and reopened when the file
changes underneath (an import by a job or by ``steward db`` in another process). Callers
hold ``match_lock`` while they use it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from steward.service.config import Settings
from steward.store.cases import CaseStore


@dataclass
class ServiceContext:
    settings: Settings
    store: CaseStore
    #: serialises the service's matching runs against the vulnerability database file
    match_lock: threading.RLock = field(default_factory=threading.RLock)
    _vulndb: Any = None
    _vulndb_stamp: tuple[int, ...] | None = None

    def vulndb_path(self) -> Path:
        from steward.store.vulndb import default_path

        return Path(self.settings.vulndb) if self.settings.vulndb else default_path()

    def _stamp(self, path: Path) -> tuple[int, ...]:
        stamp: list[int] = []
        for suffix in ("", "-wal"):
            try:
                info = Path(f"{path}{suffix}").stat()
            except OSError:
                stamp += [0, 0]
            else:
                stamp += [info.st_mtime_ns, info.st_size]
        return tuple(stamp)

    def vulndb(self) -> Any:
        """The open vulnerability database (call with ``match_lock`` held)."""
        from steward.store.vulndb import VulnDB

        path = self.vulndb_path()
        stamp = self._stamp(path)
        if self._vulndb is None or stamp != self._vulndb_stamp:
            if self._vulndb is not None:
                self._vulndb.close()
            self._vulndb = VulnDB(path)
            self._vulndb_stamp = self._stamp(path)
        return self._vulndb

    def close(self) -> None:
        with self.match_lock:
            if self._vulndb is not None:
                self._vulndb.close()
                self._vulndb = None


def context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx
