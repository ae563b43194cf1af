"""Benchmark: the portfolio service under load, on loopback, bounded in count and time.

    .venv/bin/python bench/service_load.py [--sizes 100,1000,10000] [--postgres URL]
        [--clients 8] [--requests 400] [--uploads 3] [--components 10000]

For each portfolio size N (generated projects with figures, a few dozen cases, some private):

1. a fresh database (PostgreSQL when ``--postgres`` or STEWARD_TEST_POSTGRES_URL is given,
   else a SQLite file), migrated, seeded;
2. ``steward serve`` started as its own process (uvicorn, 127.0.0.1, no worker);
3. dashboard reads: single-client latency of ``GET /portfolio/summary`` (p50, p95), then
   ``--clients`` concurrent clients sending ``--requests`` requests in total (summary pages,
   project lists, the cases list) -> requests/s and p95; the full JSON export of N projects;
4. SBOM uploads: ``--uploads`` CycloneDX JSON SBOMs of ``--components`` components (10 % of
   them vulnerable package versions from the shared OSV corpus) -> seconds per upload,
   ingest and match included (the answer comes after the findings are stored).

Targets (issue 11): a 10k-component SBOM ingested and matched in under 5 s; the portfolio
summary of 10,000 projects in under 300 ms. The vulnerability database is the one
bench/vuln_match.py builds from ../shared/data/osv (imported on first run). No peer runs
here: Dependency-Track needs a JVM server and its own vulnerability mirror, neither of
which this machine can fetch; its users report tens of minutes per large BOM.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import insert

from steward.store.base import Database
from steward.store.models import Organisation, OrgMembership, Project, ProjectStats, User

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
DEADLINE_SECONDS = 120  # every phase stops by itself


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------- database


def fresh_database(postgres: str | None, tmp: Path, size: int) -> tuple[str, Callable[[], None]]:
    if not postgres:
        path = tmp / f"bench-{size}.sqlite"
        return str(path), lambda: None
    import psycopg
    from sqlalchemy.engine import make_url

    from steward.store.engine import normalise_url

    admin = make_url(normalise_url(postgres))
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"steward_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin.set(database=name).render_as_string(hide_password=False), drop


def seed(url: str, size: int, rng: random.Random) -> dict[str, Any]:
    """N projects with figures; a reader, a CI account and a security team; some cases."""
    from steward.disclosure.cases import Cases, Draft
    from steward.disclosure.events import EventKind
    from steward.disclosure.model import CaseKind
    from steward.store import accounts
    from steward.store.access import Principal, Scope
    from steward.store.cases import CaseStore

    now = datetime.now(UTC)
    store = CaseStore(url)
    with store.engine.begin() as conn:
        org_id = conn.execute(
            insert(Organisation).returning(Organisation.id),
            [{"slug": "bench", "name": "Bench Foundation", "is_steward": True}],
        ).scalar_one()
        rows = [
            {"organisation_id": org_id, "slug": f"project-{i:05d}", "name": f"Project {i}",
             "created_at": now, "cra_role": "steward"}
            for i in range(size)
        ]  # fmt: skip
        conn.execute(insert(Project), rows)
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM projects ORDER BY id")]
        stats = []
        for pid in ids:
            stats.append(
                {
                    "project_id": pid,
                    "assessed_at": now - timedelta(days=rng.randint(0, 60)),
                    "level_achieved": rng.randint(0, 3),
                    "failing": rng.randint(0, 40),
                    "needs_attestation": rng.randint(0, 15),
                    "components": rng.randint(10, 3000),
                    "critical": rng.randint(0, 3),
                    "high": rng.randint(0, 10),
                    "medium": rng.randint(0, 20),
                    "low": rng.randint(0, 20),
                    "unrated": rng.randint(0, 5),
                    "exploited": rng.randint(0, 1),
                }
            )
        conn.execute(insert(ProjectStats), stats)
        users = {}
        for name in ("reader", "ci", "psirt"):
            users[name] = conn.execute(
                insert(User).returning(User.id),
                [{"name": name, "is_admin": False, "disabled": False, "created_at": now}],
            ).scalar_one()
        for name, role in (("reader", "viewer"), ("ci", "maintainer"), ("psirt", "security-team")):
            conn.execute(
                insert(OrgMembership),
                [{"user_id": users[name], "organisation_id": org_id, "role": role}],
            )
    psirt = store.principal("psirt")
    cases = Cases(store, psirt)
    for i in range(min(60, size)):
        drafts = [Draft(EventKind.CONFIRMED, {})]
        if i % 3 == 0:
            drafts.append(Draft(EventKind.PUBLISHED, {}))
        if i % 5 == 0:
            drafts.append(Draft(EventKind.EXPLOITATION_AWARE, {}, now - timedelta(hours=2)))
        cases.new_case(
            kind=CaseKind.VULNERABILITY,
            title=f"Case {i}",
            project=f"project-{rng.randrange(size):05d}",
            organisation="bench",
            drafts=drafts,
            now=now,
        )

    def token(name: str, scopes: list[Scope]) -> str:
        principal = Principal(name=name, user_id=users[name])
        return store.write(
            lambda s: accounts.create_token(
                s, principal, name="bench", scopes=scopes, days=1, project_id=None, now=now
            )[0]
        )

    out = {
        "reader": token("reader", [Scope.READ]),
        "ci": token("ci", [Scope.UPLOAD]),
        "psirt": token("psirt", [Scope.CASES]),
        "project_ids": ids,
    }
    store.close()
    return out


def analyze(url: str) -> None:
    """Planner statistics for the seeded tables, as a running database has them (autovacuum
    analyzes a table within a minute of a bulk load; SQLite keeps none unless asked, so
    there nothing is done). Without them PostgreSQL takes the 10,000 seeded projects for a
    handful and joins cases to projects in a nested loop (33-58 ms instead of 0.2 ms)."""
    if not url.startswith("postgresql"):
        return
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE").close()
            conn.commit()
    finally:
        database.close()


# ----------------------------------------------------------------------------- server


def start_server(url: str, vulndb: Path, home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "STEWARD_HOME": str(home), "STEWARD_CACHE": str(home / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "steward", "serve", "--db", url, "--port", str(port),
         "--no-worker", "--insecure-cookies", "--vulndb", str(vulndb)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.request(method, path, **kwargs)
    return time.perf_counter() - start, response.status_code


def dashboard(base: str, token: str, clients: int, requests: int) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        timed(client, "GET", "/portfolio/summary")  # warm-up
        single = [timed(client, "GET", "/portfolio/summary?limit=50")[0] for _ in range(20)]
        export_s, status = timed(client, "GET", "/portfolio/export")
        assert status == 200
    paths = [
        "/portfolio/summary?limit=50&sort=-critical",
        "/portfolio/summary?limit=50&offset=100",
        "/projects?limit=50&q=project-00",
        "/cases?limit=50",
        "/portfolio/summary?limit=50&sort=-failing",
    ]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + DEADLINE_SECONDS
    per_client = max(1, requests // clients)

    def run(seed_: int) -> None:
        rng = random.Random(seed_)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for _ in range(per_client):
                if time.monotonic() > stop_at:
                    return
                seconds, status = timed(client, "GET", rng.choice(paths))
                with lock:
                    latencies.append(seconds)
                    errors[0] += status != 200

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return {
        "summary_p50_ms": statistics.median(single) * 1000,
        "summary_p95_ms": percentile(single, 0.95) * 1000,
        "export_s": export_s,
        "rps": len(latencies) / wall,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "errors": errors[0],
        "requests": len(latencies),
    }


def sbom_bytes(components: list[Any], serial: int) -> bytes:
    return orjson.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": f"urn:uuid:{uuid.UUID(int=serial)}",
            "version": 1,
            "metadata": {"component": {"type": "application", "name": f"app-{serial}",
                                        "version": "1.0.0", "bom-ref": "root"}},
            "components": [
                {"type": "library", "bom-ref": f"c{i}", "name": c.name, "version": c.version,
                 "purl": c.purl or f"pkg:pypi/{c.name}@{c.version}"}
                for i, c in enumerate(components)
            ],
        }
    )  # fmt: skip


def uploads(base: str, token: str, project_ids: list[int], sboms: list[bytes]) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    out = []
    with httpx.Client(base_url=base, headers=headers, timeout=300) as client:
        for index, data in enumerate(sboms):
            project = project_ids[index % len(project_ids)]
            start = time.perf_counter()
            response = client.post(f"/projects/{project}/sboms?name=app", content=data)
            out.append(time.perf_counter() - start)
            if response.status_code != 201:
                raise SystemExit(f"upload failed: {response.status_code} {response.text[:300]}")
            body = response.json()
            print(
                f"    upload {index + 1}: {out[-1]:.2f} s, {body['components']} components, "
                f"findings {body['findings']}"
            )
    return out


def vulndb_path() -> Path:
    """bench/vuln_match.py's database of the shared OSV corpus (built on first use)."""
    sys.path.insert(0, str(HERE))
    import vuln_match

    path = WORK / "vulndb.sqlite"
    if not path.exists():
        from steward.store.vulndb import VulnDB
        from steward.vuln.osv_import import import_osv

        WORK.mkdir(exist_ok=True)
        start = time.perf_counter()
        with VulnDB(path) as db:
            import_osv(db, vuln_match.sources())
        print(f"imported the shared OSV corpus in {time.perf_counter() - start:.1f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--postgres", default=os.environ.get("STEWARD_TEST_POSTGRES_URL"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--uploads", type=int, default=3)
    parser.add_argument("--components", type=int, default=10_000)
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="measure with the planner statistics of a freshly loaded database",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import vuln_match

    vulndb = vulndb_path()
    known, _records = vuln_match.corpus()
    components = vuln_match.build_components(known, 0.1)[: args.components]
    sboms = [sbom_bytes(components, i) for i in range(args.uploads)]
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"backend: {backend}; {args.clients} clients; SBOM of {len(components)} components")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        rng = random.Random(size)
        with tempfile.TemporaryDirectory(prefix="steward-bench-") as tmp:
            url, drop = fresh_database(args.postgres, Path(tmp), size)
            try:
                Database(url).close()  # migrate
                start = time.perf_counter()
                tokens = seed(url, size, rng)
                if args.analyze:
                    analyze(url)
                print(f"N={size}: seeded in {time.perf_counter() - start:.1f} s")
                proc, base = start_server(url, vulndb, Path(tmp) / "home")
                try:
                    reads = dashboard(base, tokens["reader"], args.clients, args.requests)
                    ups = uploads(base, tokens["ci"], tokens["project_ids"], sboms)
                finally:
                    proc.terminate()
                    proc.wait(20)
            finally:
                drop()
        results.append((size, reads, ups))
        print(
            f"  summary p50 {reads['summary_p50_ms']:.0f} ms, "
            f"p95 {reads['summary_p95_ms']:.0f} ms; "
            f"{reads['rps']:.0f} req/s, p95 {reads['p95_ms']:.0f} ms over {reads['requests']} "
            f"requests ({reads['errors']} errors); export {reads['export_s']:.2f} s"
        )
    print()
    print(f"| projects | summary p50 / p95 | dashboard req/s ({args.clients} clients) | p95 | "
          f"export (JSON) | {args.components}-component SBOM upload (median) |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for size, reads, ups in results:
        print(
            f"| {size:,} | {reads['summary_p50_ms']:.0f} / {reads['summary_p95_ms']:.0f} ms | "
            f"{reads['rps']:.0f} | {reads['p95_ms']:.0f} ms | {reads['export_s']:.2f} s | "
            f"{f'{statistics.median(ups):.2f} s' if ups else '-'} |"
        )


if __name__ == "__main__":
    main()
