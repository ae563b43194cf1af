"""Start-up time of every `steward` command, beside peer command-line tools on this machine.

    .venv/bin/python bench/startup.py [--repeat 5] [--only case] [--json OUT.json]
                                      [--compare BEFORE.json] [--markdown]

Runs, as separate processes, ``steward <command> --help`` for every command and sub-command
(what it costs to load a command), light real runs (``steward --version``, ``case list`` and
``db status`` on an empty store, ``catalog list``, ``sbom`` and ``vulns`` on a two-package
project), real runs of the cheap `case`, `csaf` and `init` commands on a one-case database,
real runs of every `case` command that writes (``new``, ``add-product``, ``set``,
``release``, ``request-report``, ``submitted``, ``embargo``, ``event``, ``close``,
``profile set``: each run on a fresh copy of the same small store, so every run records the
same thing; ``case new`` and ``profile set`` also on no store at all, creating
it), ``csaf validate`` on real advisories (the OASIS CSAF 2.0 examples in
``../shared/data/csaf-2.0``, ``STEWARD_SHARED_DATA`` overrides; skipped when absent),
and the peers: the interpreter alone (``python -c pass``), cvelib's ``cve --help`` and
csaf-lib's ``csaf-lib --help``. Each figure is the MEDIAN of ``--repeat`` runs of the whole
process: wall seconds and CPU seconds (user + system of the child, from ``wait4``). Targets:
0.3 s for ``sbom`` and ``vulns`` (their help and their light runs), 0.5 s for every other
command; rows whose median CPU time is above their target are marked (on a shared, loaded
machine wall time mostly measures the other processes, so CPU time is the figure to compare;
on an idle machine the two are close). ``--json`` saves the rows; ``--compare`` prints a
saved run's figures beside this one's (``--markdown`` as a table for bench/README.md).
Steward's source (and the ``--before`` tree) is first compiled to bytecode, as ``pip install``
does: an editable install run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile
every module it loads on every run (about a quarter of a `case` command's CPU), a cost no
installed copy pays. ``--no-compile`` measures the other way (no bytecode for Steward's
modules: its ``__pycache__`` directories are removed and the runs write none), how the first
three steps below were measured. Bounded: about 90 commands x repeat.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

TARGET = 0.5
FAST_TARGET = 0.3  # sbom and vulns
HERE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SHARED = Path(os.environ.get("STEWARD_SHARED_DATA", HERE.parent / "shared" / "data"))
#: real CSAF 2.0 advisories of the OASIS examples: the largest one, and a typical one
CSAF_EXAMPLES = ("cisco-sa-20180328-smi2.json", "rhsa-2022_0011.json")

#: A self-written OSV record (not a real advisory) so that `vulns` has a database to read.
OSV_RECORD = {
    "schema_version": "1.6.0",
    "id": "BENCH-2026-0001",
    "modified": "2026-01-01T00:00:00Z",
    "summary": "Start-up benchmark advisory",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "urllib3"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.26.18"}]}
            ],
        }
    ],
}


#: the floor of any typer command that takes a value: typer converts it with pydantic
TYPER_FLOOR = """
import typer
app = typer.Typer()
@app.command()
def main(name: str = "x") -> None:
    print(name)
app(["--name", "y"])
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall s, cpu s, exit code) of one process (CPU = user + system, from ``wait4``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


Prepare = Callable[[], None]


def measure(
    argv: list[str],
    env: dict[str, str],
    repeat: int,
    base_env: dict[str, str] | None = None,
    prepare: Prepare | None = None,
) -> dict[str, Any]:
    """Median (and least) wall and CPU seconds over ``repeat`` runs, after one warm-up run.

    With ``base_env`` (the environment that runs the other version), that version runs too,
    alternating with this one run by run, so both see the same load: ``base_wall`` and
    ``base_cpu`` are its medians, ``ratio`` the median of the pairs' CPU ratios (now/before).
    ``prepare`` (untimed) runs before every run: it puts back the store a write changes.
    """

    def once(environment: dict[str, str]) -> tuple[float, float, int]:
        if prepare is not None:
            prepare()
        return run(argv, environment)

    once(env)
    if base_env is not None:
        once(base_env)
    runs, base = [], []
    for _ in range(repeat):
        runs.append(once(env))
        if base_env is not None:
            base.append(once(base_env))
    row = {
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "cpu_min": min(r[1] for r in runs),
        "exit": runs[-1][2],
    }
    if base:
        row["base_wall"] = statistics.median(r[0] for r in base)
        row["base_cpu"] = statistics.median(r[1] for r in base)
        row["base_exit"] = base[-1][2]
        row["ratio"] = statistics.median(a[1] / b[1] for a, b in zip(runs, base, strict=True))
    return row


def commands() -> Iterator[list[str]]:
    """Every command path of the CLI, groups included (``["case", "report"]``)."""
    import click
    import typer

    from steward.cli.app import app

    root = typer.main.get_command(app)

    def walk(group: Any, ctx: Any, path: list[str]) -> Iterator[list[str]]:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if command is None:
                continue
            yield [*path, name]
            if hasattr(command, "list_commands"):
                yield from walk(command, ctx, [*path, name])

    with click.Context(root) as ctx:
        yield from walk(root, ctx, [])


def _light(tmp: Path, env: dict[str, str]) -> dict[str, list[str]]:
    """Cheap real runs: an empty store, the catalog, SBOM and matching of a tiny project."""
    steward = str(BIN / "steward")
    project = tmp / "tiny"
    project.mkdir()
    (project / "requirements.txt").write_text("requests==2.31.0\nurllib3==1.26.5\n")
    osv = tmp / "osv"
    osv.mkdir()
    (osv / "BENCH-2026-0001.json").write_text(json.dumps(OSV_RECORD))
    vulndb = tmp / "vulndb.sqlite"
    subprocess.run(
        [steward, "db", "import", str(osv), "--db", str(vulndb)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    empty = tmp / "empty"
    return {
        "steward --version": [steward, "--version"],
        "steward --help": [steward, "--help"],
        "case list (empty store)": [steward, "case", "list", "--db", str(empty / "cases.sqlite")],
        "db status (empty cache)": [steward, "db", "status", "--db", str(empty / "vulndb.sqlite")],
        "catalog list": [steward, "catalog", "list"],
        "sbom PROJECT (2 packages)": [steward, "sbom", str(project)],
        "vulns PROJECT (2 packages, 1 advisory)": [steward, "vulns", str(project), "--db",
                                                   str(vulndb), "--fail-on", "none"],
    }  # fmt: skip


def _workspace(tmp: Path, env: dict[str, str]) -> dict[str, list[str]]:
    """A small case database and files, and the real runs to time on them."""
    steward = [str(BIN / "steward")]
    db = tmp / "cases.sqlite"
    env["STEWARD_DB"] = str(db)
    subprocess.run(
        [*steward, "case", "profile", "set", "--name", "Acme GmbH", "--country", "DE",
         "--website", "https://acme.example"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    made = subprocess.run(
        [*steward, "case", "new", "Heap overflow in parser", "--product", "acme-lib",
         "--ecosystem", "PyPI", "--affected", "<2.0.1", "--fixed", "2.0.1",
         "--alias", "CVE-2026-40001", "--cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    case_id = made.stdout.strip()
    subprocess.run(
        [*steward, "case", "event", case_id, "exploitation_aware"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*steward, "case", "set", case_id, "--reference", "https://acme.example/sa"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    csaf = tmp / "advisory.json"
    subprocess.run(
        [*steward, "case", "advisory", case_id, "-f", "csaf", "-o", str(csaf)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    project = tmp / "project"
    project.mkdir()
    return {
        "case list": [*steward, "case", "list"],
        "case show": [*steward, "case", "show", case_id, "-f", "json"],
        "case due": [*steward, "case", "due"],
        "case report (early warning)": [*steward, "case", "report", case_id, "--type",
                                        "early-warning"],
        "case report (notification, json)": [*steward, "case", "report", case_id, "--type",
                                             "notification", "-f", "json"],
        "case report (final report)": [*steward, "case", "report", case_id, "--type",
                                       "final-report"],
        "case report (intermediate report, json)": [*steward, "case", "report", case_id,
                                                    "--type", "intermediate-report", "-f",
                                                    "json"],
        "case advisory -f osv": [*steward, "case", "advisory", case_id, "-f", "osv"],
        "case advisory -f csaf": [*steward, "case", "advisory", case_id, "-f", "csaf"],
        "case advisory -f csaf-vex": [*steward, "case", "advisory", case_id, "-f", "csaf-vex"],
        "case advisory -f cve": [*steward, "case", "advisory", case_id, "-f", "cve",
                                 "--cna-org-id", "b3476cb9-2e3d-41a6-98d0-0f47421a65b6",
                                 "--cna-short-name", "acme"],
        "case profile show": [*steward, "case", "profile", "show"],
        "csaf validate": [*steward, "csaf", "validate", str(csaf)],
        "init security --dry-run": [*steward, "init", "security", str(project), "--name", "x",
                                    "--repository", "https://github.com/e/x", "--contact",
                                    "s@example.org", "--admin", "A <a@example.org>",
                                    "--dry-run"],
    }  # fmt: skip


def _copy_db(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (what its write-ahead log holds included)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def _writes(tmp: Path, env: dict[str, str]) -> dict[str, tuple[list[str], Prepare]]:
    """Every `case` command that writes, each run on a fresh copy of a two-case store.

    The store: a profile; case A confirmed with a product and awareness of exploitation;
    case B released (``fixed``, so that it may be closed). ``case new`` and ``profile set``
    also run with no store at all, creating it (a new local store's schema comes from the
    checked-in script, steward/store/sqlite_schema.sql, not from the migrations).
    """
    steward = [str(BIN / "steward")]
    pristine = tmp / "writes-pristine.sqlite"
    work = tmp / "writes.sqlite"
    fresh = tmp / "fresh" / "cases.sqlite"
    build_env = {**env, "STEWARD_DB": str(pristine)}

    def step(*args: str) -> str:
        done = subprocess.run(
            [*steward, *args], env=build_env, check=True, capture_output=True, text=True
        )
        return done.stdout.strip()

    step("case", "profile", "set", "--name", "Acme GmbH", "--country", "DE",
         "--website", "https://acme.example")  # fmt: skip
    case_a = step("case", "new", "Heap overflow in parser", "--product", "acme-lib",
                  "--ecosystem", "PyPI", "--affected", "<2.0.1", "--fixed", "2.0.1",
                  "--alias", "CVE-2026-40001")  # fmt: skip
    step("case", "event", case_a, "confirmed")
    step("case", "event", case_a, "exploitation_aware", "--data", "source=CISA KEV")
    case_b = step("case", "new", "Path traversal in loader", "--product", "acme-lib")
    step("case", "event", case_b, "confirmed")
    step("case", "release", case_b, "--version", "2.0.2")
    soon = (datetime.now(UTC) + timedelta(days=7)).replace(microsecond=0).isoformat()
    later = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0).isoformat()

    def restore() -> None:
        _copy_db(pristine, work)

    def remove() -> None:
        shutil.rmtree(fresh.parent, ignore_errors=True)

    db = ["--db", str(work)]
    new_db = ["--db", str(fresh)]
    new_case = [
        "case",
        "new",
        "Use after free in decoder",
        "--product",
        "acme-app",
        "--product-version",
        "3.1.0",
        "--component",
        "acme-lib",
        "--component-version",
        "2.0.0",
        "--cvss",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "--alias",
        "CVE-2026-40002",
    ]
    profile = [
        "case",
        "profile",
        "set",
        "--name",
        "Acme GmbH",
        "--country",
        "AT",
        "--contact-email",
        "psirt@acme.example",
        "--website",
        "https://acme.example",
    ]
    return {
        "case new": ([*steward, *new_case, *db], restore),
        "case add-product": ([*steward, "case", "add-product", case_a, "--product", "acme-app",
                              "--product-version", "3.1.0", "--component", "acme-lib",
                              "--component-version", "2.0.0", *db], restore),
        "case set": ([*steward, "case", "set", case_a, "--impact", "remote code execution",
                      "--cwe", "CWE-787", "--member-state", "DE", "--reference",
                      "https://acme.example/sa/1", *db], restore),
        "case release": ([*steward, "case", "release", case_a, "--version", "2.0.1",
                          "--description", "bounds check in the parser", *db], restore),
        "case request-report": ([*steward, "case", "request-report", case_a, "--due", soon,
                                 "--by", "CERT-Bund", *db], restore),
        "case submitted": ([*steward, "case", "submitted", case_a, "--report", "early-warning",
                            "--reference", "SRP-1", *db], restore),
        "case embargo": ([*steward, "case", "embargo", case_a, "--until", later, "--party",
                          "CERT-Bund", *db], restore),
        "case event": ([*steward, "case", "event", case_a, "note", "--data",
                        "text=patch under review", *db], restore),
        "case close": ([*steward, "case", "close", case_b, "--note", "released", *db], restore),
        "case profile set": ([*steward, *profile, *db], restore),
        "case new (creates the store)": ([*steward, *new_case, *new_db], remove),
        "case profile set (creates the store)": ([*steward, *profile, *new_db], remove),
    }  # fmt: skip


def _csaf_documents() -> dict[str, list[str]]:
    """``csaf validate`` on real advisories of the OASIS examples (when the corpus is here)."""
    examples = SHARED / "csaf-2.0" / "examples" / "csaf"
    found = {}
    for name in CSAF_EXAMPLES:
        document = examples / name
        if document.is_file():
            size = document.stat().st_size // 1024
            found[f"csaf validate {name} ({size} KB)"] = [
                str(BIN / "steward"), "csaf", "validate", str(document)
            ]  # fmt: skip
    return found


def target(what: str) -> float:
    """The start-up target of a row: 0.3 s for `sbom` and `vulns`, 0.5 s for the rest."""
    return FAST_TARGET if what.split()[0] in ("sbom", "vulns") else TARGET


def compile_sources(base_src: Path | None, *, compiled: bool = True) -> None:
    """Bytecode for Steward's modules (this version's and ``base_src``'s), as pip writes on
    install, so that no measured run compiles them; with ``compiled=False`` none at all."""
    import steward

    trees = [Path(steward.__file__).parent]
    if base_src is not None:
        trees.append(base_src / "steward")
    for tree in trees:
        if compiled:
            compileall.compile_dir(str(tree), quiet=1)
        else:
            for cache in tree.rglob("__pycache__"):
                shutil.rmtree(cache, ignore_errors=True)


def collect(
    repeat: int, only: list[str] | None, base_src: Path | None, *, compiled: bool = True
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    compile_sources(base_src, compiled=compiled)

    def add(
        what: str,
        kind: str,
        argv: list[str],
        env: dict[str, str],
        prepare: Prepare | None = None,
    ) -> None:
        if only and kind != "peer" and not what.startswith(tuple(only)):
            return
        base_env = None
        if base_src is not None and kind != "peer":
            base_env = {**env, "PYTHONPATH": str(base_src)}
        rows.append({"what": what, "kind": kind, **measure(argv, env, repeat, base_env, prepare)})
        was = f" (before: {rows[-1]['base_cpu']:.2f})" if base_env else ""
        print(f"  {what}: {rows[-1]['cpu']:.2f} s CPU{was}", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "STEWARD_HOME": str(tmp / "home"),
            "STEWARD_CACHE": str(tmp / "cache"),
            "NO_COLOR": "1",
        }
        env.pop("STEWARD_DB", None)
        if not compiled:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        add("python -c pass (interpreter)", "peer", [sys.executable, "-c", "pass"], env)
        add("typer app, one str option given", "peer", [sys.executable, "-c", TYPER_FLOOR], env)
        for name, tool in (("cve --help (cvelib)", "cve"), ("csaf-lib --help", "csaf-lib")):
            found = str(BIN / tool) if (BIN / tool).exists() else shutil.which(tool)
            if found:
                add(name, "peer", [found, "--help"], env)
        for label, argv in _light(tmp, env).items():
            add(label, "light", argv, env)
        for path in commands():
            add(" ".join(path) + " --help", "help", [str(BIN / "steward"), *path, "--help"], env)
        for label, argv in _workspace(tmp, env).items():
            add(label, "run", argv, env)
        for label, argv in _csaf_documents().items():
            add(label, "run", argv, env)
        write_env = {k: v for k, v in env.items() if k != "STEWARD_DB"}
        for label, (argv, prepare) in _writes(tmp, write_env).items():
            add(label, "write", argv, write_env, prepare)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only",
        action="append",
        help="only commands starting with this text (e.g. case); repeatable",
    )
    parser.add_argument("--json", type=Path, help="also save the rows as JSON to this file")
    parser.add_argument("--compare", type=Path, help="a saved --json run to print beside")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="SRC",
        help="also run another version's source tree (e.g. `git archive main src | tar -x -C "
        "/tmp/before` gives /tmp/before/src), alternating run by run with this one",
    )
    parser.add_argument(
        "--no-compile",
        action="store_true",
        help="no bytecode for Steward's modules: every run compiles what it loads",
    )
    args = parser.parse_args(argv)
    rows = collect(args.repeat, args.only, args.before, compiled=not args.no_compile)
    if args.before:  # the interleaved figures are the comparison
        before_rows = [
            {"what": r["what"], "wall": r["base_wall"], "cpu": r["base_cpu"]}
            for r in rows
            if "base_cpu" in r
        ]
        args.compare = None
    else:
        before_rows = []
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    if args.compare:
        before_rows = json.loads(args.compare.read_text())
    before = {r["what"]: r for r in before_rows}
    floor = next(r for r in rows if r["what"].startswith("python -c pass"))
    if args.markdown:
        head = (
            "| command | wall s | CPU s |"
            if not before
            else "| command | wall s before | wall s now | CPU s before | CPU s now | now/before |"
        )
        print(head)
        print("|" + "---|" * (head.count("|") - 1))
        for row in rows:
            old = before.get(row["what"])
            if before:
                ow = f"{old['wall']:.2f}" if old else "—"
                oc = f"{old['cpu']:.2f}" if old else "—"
                ratio = row.get("ratio")
                if ratio is None and old:
                    ratio = row["cpu"] / old["cpu"]
                rt = f"{ratio:.2f}" if ratio is not None else "—"
                print(
                    f"| `{row['what']}` | {ow} | {row['wall']:.2f} | {oc} | {row['cpu']:.2f} "
                    f"| {rt} |"
                )
            else:
                print(f"| `{row['what']}` | {row['wall']:.2f} | {row['cpu']:.2f} |")
        return 0
    print(f"{'command':52} {'wall s':>7} {'cpu s':>7} {'x interp.':>9}  exit  (medians)")
    for row in rows:
        limit = target(row["what"])
        flag = f"  > {limit} s CPU" if row["kind"] != "peer" and row["cpu"] > limit else ""
        old = before.get(row["what"])
        was = f"  (before {old['wall']:.2f} / {old['cpu']:.2f})" if old else ""
        ratio = row["wall"] / floor["wall"] if floor["wall"] else 0.0
        print(
            f"{row['what'][:52]:52} {row['wall']:7.2f} {row['cpu']:7.2f} {ratio:9.1f}  "
            f"{row['exit']}{flag}{was}"
        )
    ours = [r for r in rows if r["kind"] != "peer"]
    slow = [r for r in ours if r["cpu"] > target(r["what"])]
    print(
        f"\n{len(ours)} steward commands; slowest {max(r['wall'] for r in ours):.2f} s wall, "
        f"{max(r['cpu'] for r in ours):.2f} s CPU (medians); {len(slow)} above their target"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
