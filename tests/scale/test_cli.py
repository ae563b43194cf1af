"""`steward assess-many`: lists, manifests and SBOMs end to end, Dask, interrupt and resume,
and every kind of bad input (exit 2, one line naming the file, no traceback)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from steward.errors import UsageError
from steward.scale.executors import dask_executor
from tests.scale.gen import generate, serve


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_list_end_to_end(cli: Any, tmp_path: Path) -> None:
    generate(tmp_path / "good", "good", commits=3, tags=1)
    generate(tmp_path / "weak", "weak", commits=2, tags=0, healthy=False)
    listing = tmp_path / "repos.txt"
    listing.write_text(f"good\nweak\n{(tmp_path / 'gone.git').as_uri()}\n")
    out = tmp_path / "rows.jsonl"
    result = cli("assess-many", str(listing), "-o", str(out), "--no-cache", "-j", "2")
    assert result.exit_code == 0, result.stderr
    found = {r["name"]: r for r in rows(out)}
    assert set(found) == {"good", "weak", "gone"}
    assert found["gone"]["status"] == "error"
    assert found["good"]["assessment"]["project"] == "good"
    assert found["good"]["assessment"]["findings"][0]["evidence"] is not None  # full detail
    assert not out.with_name("rows.jsonl.partial").exists()
    # the summary: level progress per project, the worst gaps, the errors
    assert "Projects" in result.stdout and "L1 met" in result.stdout
    assert "Worst gaps across the portfolio" in result.stdout
    assert "gone" in result.stdout and "revision: git ls-remote failed" in result.stdout
    assert "1 repository could not be assessed" in result.stderr


def test_rows_stream_to_stdout(cli: Any, tmp_path: Path) -> None:
    generate(tmp_path / "one", "one", commits=1, tags=0)
    listing = tmp_path / "repos.txt"
    listing.write_text("one\n")
    result = cli("assess-many", str(listing), "--no-cache", "--detail", "summary")
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["status"] == "assessed"
    finding = row["assessment"]["findings"][0]
    assert set(finding) == {"requirement_id", "title", "level", "must", "status"}
    assert "Projects" in result.stderr  # the summary goes to stderr when rows use stdout


def test_sbom_due_diligence(cli: Any, tmp_path: Path) -> None:
    url = serve(generate(tmp_path / "lib", "lib", commits=3, tags=1), tmp_path / "lib.git")
    bom = tmp_path / "bom.cdx.json"
    bom.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": [
            {"type": "library", "name": "lib", "purl": "pkg:pypi/lib@1.0"},
            {"type": "library", "name": "lib-extra", "purl": "pkg:pypi/lib-extra@1.0"},
            {"type": "library", "name": "orphan", "purl": "pkg:npm/orphan@0.1.0"},
        ],
    }))  # fmt: skip
    mapping = tmp_path / "map.yml"
    mapping.write_text(f"pkg:pypi/lib: {url}\npkg:pypi/lib-extra: {url}\n")
    out = tmp_path / "dd.jsonl"
    result = cli("assess-many", "--from-sbom", str(bom), "--map", str(mapping), "-o", str(out),
                 "--no-cache", "--role", "manufacturer")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    by_status = {r["status"]: r for r in rows(out)}
    assert set(by_status) == {"assessed", "unresolved"}
    assessed = by_status["assessed"]
    assert assessed["components"] == ["pkg:pypi/lib-extra@1.0", "pkg:pypi/lib@1.0"]
    assert assessed["via"] == "mapping"
    assert assessed["assessment"]["role"] == "manufacturer"
    assert by_status["unresolved"]["target"] == "pkg:npm/orphan@0.1.0"
    assert "Components without a known repository" in result.stdout


def test_manifest_on_dask(cli: Any, tmp_path: Path, dask_address: str) -> None:
    generate(tmp_path / "libs" / "core", "core", commits=2, tags=1)
    url = serve(generate(tmp_path / "tool", "tool", commits=2, tags=0), tmp_path / "tool.git")
    manifest = tmp_path / "steward.yml"
    manifest.write_text(f"projects:\n  - path: libs/core\n  - {{url: '{url}', name: Tool}}\n")
    out = tmp_path / "org.jsonl"
    result = cli("assess-many", str(manifest), "--scheduler", dask_address, "-o", str(out),
                 "--cache", str(tmp_path / "cache.sqlite"))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert {r["name"]: r["status"] for r in rows(out)} == {"core": "assessed", "Tool": "assessed"}
    assert "Dask at" in result.stderr
    again = cli("assess-many", str(manifest), "--scheduler", dask_address, "-o", str(out),
                "--cache", str(tmp_path / "cache.sqlite"))  # fmt: skip
    assert again.exit_code == 0
    assert {r["status"] for r in rows(out)} == {"cached"}


def test_interrupt_with_sigint_then_resume(tmp_path: Path) -> None:
    names = [f"r{i}" for i in range(3)]
    for name in names:
        generate(tmp_path / name, name, commits=2, tags=0)
    listing = tmp_path / "repos.txt"
    listing.write_text("\n".join(names) + "\n")
    out = tmp_path / "rows.jsonl"
    journal = tmp_path / "rows.jsonl.partial"
    env = {**os.environ, "STEWARD_CACHE": str(tmp_path / "cache")}
    work = tmp_path / "work"
    cmd = [sys.executable, "-m", "steward", "assess-many", str(listing), "-o", str(out), "-j",
           "1", "--no-cache", "--work-dir", str(work)]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (journal.exists() and journal.read_bytes()):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert b"interrupted; continue with --resume" in stderr
    assert b"Traceback" not in stderr
    assert not out.exists()
    done = [r["target"] for r in rows(journal)]
    assert 1 <= len(done) < 3
    assert list(work.iterdir()) == []  # the interrupted assessment cleaned up after itself

    fresh = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert fresh.returncode == 2
    assert "continue it with --resume, or delete it" in fresh.stderr

    resumed = subprocess.run([*cmd, "--resume"], env=env, capture_output=True, text=True,
                             timeout=120)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {len(done)} repositories already done" in resumed.stderr
    final = [r["target"] for r in rows(out)]
    assert sorted(final) == sorted(str((tmp_path / n).resolve()) for n in names)
    assert final[: len(done)] == done  # the journal's rows kept, not redone
    assert not journal.exists()


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo"
    os.mkfifo(path)
    return path


def _symlink(tmp_path: Path) -> Path:
    (tmp_path / "elsewhere.jsonl").write_text("keep\n")
    path = tmp_path / "link.jsonl"
    path.symlink_to(tmp_path / "elsewhere.jsonl")
    return path


BAD: list[tuple[str, Any, str]] = [
    ("no-input", lambda t, lst: [], "give either LIST or --from-sbom FILE"),
    ("both", lambda t, lst: [lst, "--from-sbom", lst], "give either LIST or --from-sbom FILE"),
    ("map-alone", lambda t, lst: [lst, "--map", lst], "--map: --map only applies with"),
    ("resume-stdout", lambda t, lst: [lst, "--resume"], "--resume needs --output FILE"),
    ("jobs-and-dask", lambda t, lst: [lst, "-j", "2", "--scheduler", "tcp://h:1"],
     "--jobs is for the local pool"),
    ("missing-list", lambda t, lst: [str(t / "nope.txt")], "nope.txt: not a readable file"),
    ("bad-line", lambda t, lst: [_write(t / "l.txt", "one\nnowhere\n")],
     "l.txt:2: not a git URL or a directory: nowhere"),
    ("bad-manifest", lambda t, lst: [_write(t / "m.yml", "projects:\n  - {url: x, path: y}\n")],
     "m.yml:2: projects[0]"),
    ("not-sbom", lambda t, lst: ["--from-sbom", _write(t / "b.json", '{"a": 1}')],
     "b.json: not an SBOM"),
    ("bad-map", lambda t, lst: ["--from-sbom", _bom(t), "--map", _write(t / "m.yml", "- x\n")],
     "m.yml: expected a mapping of purl"),
    ("out-dir", lambda t, lst: [lst, "-o", str(t)], "not a regular file"),
    ("out-symlink", lambda t, lst: [lst, "-o", str(_symlink(t))], "link.jsonl: not a regular"),
    ("out-fifo", lambda t, lst: [lst, "-o", str(_fifo(t))], "fifo: not a regular file"),
    ("bad-cache", lambda t, lst: [lst, "--cache", _write(t / "c.sqlite", "not sqlite " * 200)],
     "c.sqlite: not a usable assess-many cache"),
    ("bad-only", lambda t, lst: [lst, "--only", "BOGUS"], "--only: unknown requirement"),
    ("bad-scheduler", lambda t, lst: [lst, "--scheduler", "h:1"], "expected tcp://HOST:PORT"),
    ("bad-jobs", lambda t, lst: [lst, "-j", "0"], "Invalid value for '--jobs'"),
]  # fmt: skip


def _write(path: Path, text: str) -> str:
    path.write_text(text)
    return str(path)


def _bom(tmp_path: Path) -> str:
    return _write(
        tmp_path / "bom.json",
        json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []}),
    )


@pytest.mark.parametrize(("args", "message"), [(b[1], b[2]) for b in BAD],
                         ids=[b[0] for b in BAD])  # fmt: skip
def test_bad_input(cli: Any, tmp_path: Path, args: Any, message: str) -> None:
    generate(tmp_path / "one", "one", commits=1, tags=0)
    listing = _write(tmp_path / "repos.txt", "one\n")
    result = cli("assess-many", *args(tmp_path, listing))
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert message in " ".join(result.stderr.split()), result.stderr
    if (tmp_path / "elsewhere.jsonl").exists():
        assert (tmp_path / "elsewhere.jsonl").read_text() == "keep\n"


def test_resume_refuses_a_journal_of_other_options(cli: Any, tmp_path: Path) -> None:
    generate(tmp_path / "one", "one", commits=1, tags=0)
    listing = _write(tmp_path / "repos.txt", "one\n")
    journal = tmp_path / "rows.jsonl.partial"
    journal.write_text(json.dumps({"target": "x", "status": "error", "catalog_version": "0.1",
                                   "steward_version": "0", "options": {}}) + "\n")  # fmt: skip
    result = cli("assess-many", listing, "-o", str(tmp_path / "rows.jsonl"), "--resume")
    assert result.exit_code == 2
    assert "written by a run with another catalog version" in result.stderr
    assert journal.read_text().count("\n") == 1  # left as it was


def test_unreachable_scheduler_is_a_usage_error() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(UsageError, match="cannot connect to the Dask scheduler"):  # noqa: SIM117
        with dask_executor("tcp://127.0.0.1:9", timeout=1):
            pass


def test_help_loads_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom steward.cli.app import main\n"
        "try:\n    main(['assess-many', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'distributed', 'dask', 'steward.evaluate', 'steward.sbom.read', 'sqlite3',"
        " 'steward.scale.engine', 'steward.service.client', 'httpx'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=60)  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_progress_bar_with_eta_on_a_terminal(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    from rich.console import Console

    from steward.cli import console

    generate(tmp_path / "one", "one", commits=1, tags=0)
    listing = _write(tmp_path / "repos.txt", "one\n")
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, width=120)
    monkeypatch.setattr(console, "err", lambda: terminal)
    result = cli("assess-many", listing, "--no-cache", "-o", str(tmp_path / "rows.jsonl"))
    assert result.exit_code == 0
    drawn = screen.getvalue()
    assert "Assessing" in drawn and "ETA" in drawn and "0/1" in drawn
