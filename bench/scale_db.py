"""How fast ``assess-many --db`` stores assessments in the service database (SQLite, and
PostgreSQL when ``STEWARD_TEST_POSTGRES_URL`` names a server).

Usage:
    python bench/scale_db.py [--projects 200] [--revisions 3]

One real assessment document (``steward assess`` of a generated repository) is stored through
:class:`steward.scale.database.DatabaseSink` as ``PROJECTS`` x ``REVISIONS`` rows: the first
revision of each repository creates its project, the later ones are new assessments of
existing projects, and a last pass sends every row again (each found there already, nothing
stored). Printed: rows per second for each pass. PostgreSQL runs in a database of its own,
dropped afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scale.gen import generate  # noqa: E402


@contextlib.contextmanager
def _postgres() -> Iterator[str | None]:
    base = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if not base:
        yield None
        return
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"steward_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _document(work: Path) -> dict[str, Any]:
    from steward.evaluate import assess

    checkout = generate(work / "bench", "bench", commits=20, tags=3)
    return assess(checkout).to_dict()


def _run(url: str, document: dict[str, Any], projects: int, revisions: int) -> list[str]:
    from steward.scale.database import DatabaseSink
    from steward.store import accounts
    from steward.store.base import Database

    db = Database(url)
    now = datetime.now(UTC)
    db.write(lambda s: accounts.create_organisation(s, "bench", "Bench", actor="bench", now=now))
    db.close()
    sink = DatabaseSink(url, "bench", actor="bench")

    def rows(revision: int) -> list[dict[str, Any]]:
        return [
            {
                "target": f"https://git.example.org/team/p{i}",
                "location": f"https://git.example.org/team/p{i}",
                "name": f"p{i}",
                "status": "assessed",
                "assessment": {**document, "revision": f"{revision:08x}{i:032x}"},
            }
            for i in range(projects)
        ]

    out = []
    for label, batch in (
        ("new projects", rows(0)),
        (f"{revisions - 1} more revisions", [r for n in range(1, revisions) for r in rows(n)]),
        ("again (nothing stored)", [r for n in range(revisions) for r in rows(n)]),
    ):
        started = time.perf_counter()
        for row in batch:
            sink.write(row)
        seconds = time.perf_counter() - started
        out.append(f"  {label:28} {len(batch):6} rows  {len(batch) / seconds:8.1f} rows/s")
    sink.close(True)
    assert sink.stored == projects * revisions and sink.already == projects * revisions
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--revisions", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="steward-bench-db-") as tmp:
        work = Path(tmp)
        document = _document(work)
        print(f"one assessment document: {len(document['findings'])} findings")
        print("SQLite (file):")
        for line in _run(str(work / "service.sqlite"), document, args.projects, args.revisions):
            print(line)
        with _postgres() as url:
            if url is None:
                print("PostgreSQL: STEWARD_TEST_POSTGRES_URL not set, skipped")
            else:
                print("PostgreSQL:")
                for line in _run(url, document, args.projects, args.revisions):
                    print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
