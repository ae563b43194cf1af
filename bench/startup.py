"""Start-up time of every `steward` command, beside peer command-line tools on this machine.

    .venv/bin/python bench/startup.py [--repeat 3] [--only case]

Runs, as separate processes, ``steward <command> --help`` for every command and sub-command
(what it costs to load a command), then real runs of the cheap `case`, `csaf` and `init`
commands on a small case database, and the peers: the interpreter alone (``python -c
pass``), cvelib's ``cve --help`` and csaf-lib's ``csaf-lib --help``. Each figure is the best
of ``--repeat`` runs: wall seconds and CPU seconds (user + system of the child). The target
is under 0.5 s per command; rows whose CPU time is above it are marked (on a shared, loaded
machine wall time mostly measures the other processes, so CPU time is the figure to compare;
on an idle machine the two are close). Bounded: about 50 commands x repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TARGET = 0.5
HERE = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(argv: list[str], env: dict[str, str], stdin: str | None = None) -> tuple[float, float, int]:
    """(wall s, cpu s, exit code) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        argv,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode


def best(argv: list[str], env: dict[str, str], repeat: int) -> tuple[float, float, int]:
    runs = [run(argv, env) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def commands() -> Iterator[list[str]]:
    """Every command path of the CLI, groups included (``["case", "report"]``)."""
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

    import click

    with click.Context(root) as ctx:
        yield from walk(root, ctx, [])


def _workspace(tmp: Path, env: dict[str, str]) -> dict[str, list[list[str]]]:
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
        "case advisory -f osv": [*steward, "case", "advisory", case_id, "-f", "osv"],
        "case advisory -f csaf": [*steward, "case", "advisory", case_id, "-f", "csaf"],
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="only commands starting with this word (e.g. case)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {
            **os.environ,
            "STEWARD_HOME": str(tmp / "home"),
            "STEWARD_CACHE": str(tmp / "cache"),
            "NO_COLOR": "1",
        }
        peers = {"python -c pass (interpreter)": [sys.executable, "-c", "pass"]}
        for name, tool in (("cve --help (cvelib)", "cve"), ("csaf-lib --help", "csaf-lib")):
            if (BIN / tool).exists() or shutil.which(tool):
                peers[name] = [str(BIN / tool) if (BIN / tool).exists() else tool, "--help"]
        for label, argv_ in peers.items():
            wall, cpu, code = best(argv_, env, args.repeat)
            rows.append({"what": label, "kind": "peer", "wall": wall, "cpu": cpu, "exit": code})
        for path in commands():
            if args.only and path[0] != args.only:
                continue
            wall, cpu, code = best([str(BIN / "steward"), *path, "--help"], env, args.repeat)
            rows.append(
                {"what": " ".join(path) + " --help", "kind": "load", "wall": wall, "cpu": cpu,
                 "exit": code}
            )  # fmt: skip
        for label, argv_ in _workspace(tmp, env).items():
            if args.only and not label.startswith(args.only):
                continue
            wall, cpu, code = best(argv_, env, args.repeat)
            rows.append({"what": label, "kind": "run", "wall": wall, "cpu": cpu, "exit": code})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    floor = next(r for r in rows if r["what"].startswith("python -c pass"))
    print(f"{'command':52} {'wall s':>7} {'cpu s':>7} {'x interp.':>9}  exit")
    for row in rows:
        flag = "  > 0.5 s CPU" if row["kind"] != "peer" and row["cpu"] > TARGET else ""
        ratio = row["wall"] / floor["wall"] if floor["wall"] else 0.0
        print(
            f"{row['what'][:52]:52} {row['wall']:7.2f} {row['cpu']:7.2f} {ratio:9.1f}  "
            f"{row['exit']}{flag}"
        )
    ours = [r for r in rows if r["kind"] != "peer"]
    slow = [r for r in ours if r["cpu"] > TARGET]
    print(
        f"\n{len(ours)} steward commands; slowest {max(r['wall'] for r in ours):.2f} s wall, "
        f"{max(r['cpu'] for r in ours):.2f} s CPU; {len(slow)} above {TARGET} s CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
