"""Benchmark: how long the web pages take as the portfolio grows (in-process, one client).

    .venv/bin/python bench/web_pages.py [--sizes 100,500,2000] [--repeat 5]

For each size N: a fresh SQLite store with N projects in one organisation, each with two
assessments (every catalog requirement with a status drawn at random, weighted like real
small projects) and project figures, 30 cases (a third of them private); an organisation
admin signs in through the sign-in form; then the dashboard (first page of 50, and sorted by
failing requirements), the gaps heat map, the cases board and one project page are each
fetched ``--repeat`` times -> median and max in milliseconds.

Assessment documents are stored trimmed (the pages measured read the per-requirement rows
and the summary columns, not the documents), so seeding stays fast.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUSES = ["pass"] * 3 + ["fail"] * 3 + ["needs-attestation"] * 3 + ["not-applicable"]


def seed(database: str, size: int) -> tuple[Any, Any, int]:
    from fastapi.testclient import TestClient

    from steward.catalog.loader import load_catalog
    from steward.disclosure.cases import Cases, Draft
    from steward.disclosure.events import EventKind
    from steward.disclosure.model import CaseKind
    from steward.service.app import create_app
    from steward.service.config import Settings
    from steward.service.passwords import hash_password
    from steward.store import accounts, portfolio
    from steward.store.access import Principal, Role
    from steward.store.cases import CaseStore

    rng = random.Random(size)
    requirements = [(r.id, r.level) for r in load_catalog().requirements]
    store = CaseStore(database)
    now = datetime.now(UTC)
    root = Principal(name="root", admin=True)

    def setup(session: Any) -> list[int]:
        accounts.create_user(
            session, "ada", hash_password("bench password 123"), actor="b", now=now
        )
        accounts.create_organisation(session, "acme", "Acme", actor="b", now=now)
        site = Principal(name="root", site_admin=True)
        accounts.grant(session, site, "ada", Role.ADMIN, organisation="acme", now=now)
        ids = []
        for i in range(size):
            pid = portfolio.create_project(session, root, "acme", f"p{i:05d}", now=now)
            ids.append(pid)
            for when in (now - timedelta(weeks=6), now - timedelta(days=1)):
                results = [(rid, rng.choice(STATUSES), level) for rid, level in requirements]
                failed = sum(1 for _r, s, _l in results if s == "fail")
                summary = portfolio.AssessmentSummary(
                    revision=None,
                    assessed_at=when.isoformat(),
                    catalog_version="bench",
                    role="project",
                    level_achieved=rng.choice([0, 0, 1, 2]),
                    passed=sum(1 for _r, s, _l in results if s == "pass"),
                    failed=failed,
                    needs_attestation=sum(1 for _r, s, _l in results if s == "needs-attestation"),
                    not_applicable=0,
                    errors=0,
                    results=results,
                )
                portfolio.add_assessment(session, root, pid, summary, {"findings": []}, when)
        return ids

    ids = store.write(setup)
    cases = Cases(store, root)
    for i in range(30):
        drafts = [Draft(EventKind.CONFIRMED, {})]
        if i % 3:
            drafts.append(Draft(EventKind.PUBLISHED, {}))
        if i % 5 == 0:
            drafts.append(
                Draft(EventKind.EXPLOITATION_AWARE, {}, now - timedelta(hours=rng.randint(1, 40)))
            )
        cases.new_case(
            kind=CaseKind.VULNERABILITY,
            title=f"Case {i}",
            project=f"p{rng.randrange(size):05d}",
            organisation="acme",
            drafts=drafts,
            received_at=now - timedelta(days=rng.randint(1, 20)),
            now=now,
        )
    app = create_app(
        Settings(database=database, run_worker=False, secure_cookies=False), store=store
    )
    client = TestClient(app, base_url="https://testserver")
    return client, store, ids[0]


def sign_in(client: Any) -> None:
    import re

    form = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    r = client.post(
        "/sign-in",
        data={"username": "ada", "password": "bench password 123", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| projects | page | median ms | max ms |")
    print("|---:|---|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="steward-webbench-") as tmp:
            started = time.perf_counter()
            client, store, first = seed(str(Path(tmp) / "bench.sqlite"), size)
            seeded = time.perf_counter() - started
            sign_in(client)
            pages = {
                "dashboard": "/",
                "dashboard by failing": "/?sort=-failing",
                "gaps heat map": "/gaps",
                "cases board": "/cases",
                "project": f"/projects/{first}",
            }
            for name, path in pages.items():
                times = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    r = client.get(path)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert r.status_code == 200, (path, r.status_code)
                print(f"| {size} | {name} | {statistics.median(times):.0f} | {max(times):.0f} |")
            print(f"<!-- seeded {size} projects in {seeded:.1f} s -->")
            client.close()
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
