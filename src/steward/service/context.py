"""What every request handler reaches: the store, the settings, the vulnerability database."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request

from steward.service.config import Settings
from steward.store.cases import CaseStore


@dataclass
class ServiceContext:
    settings: Settings
    store: CaseStore
    #: serialises the service's matching runs against the vulnerability database file
    match_lock: threading.Lock = field(default_factory=threading.Lock)

    def vulndb_path(self) -> Path:
        from steward.store.vulndb import default_path

        return Path(self.settings.vulndb) if self.settings.vulndb else default_path()


def context(request: Request) -> ServiceContext:
    ctx: ServiceContext = request.app.state.ctx
    return ctx
