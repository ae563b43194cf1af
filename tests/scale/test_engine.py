"""The bulk-assessment engine on a generated portfolio: executors agree, the cache, resuming,
limits, and hostile or failing repositories that cost one error row and nothing else."""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from steward import __version__
from steward.catalog.loader import load_catalog
from steward.scale import task
from steward.scale.cache import Cache, Context
from steward.scale.engine import Limits, run_many
from steward.scale.executors import dask_executor, local_executor
from steward.scale.sinks import JsonlFile, read_journal
from steward.scale.targets import Target, target_for
from tests.scale.conftest import Portfolio, arm, make_hostile
from tests.scale.gen import generate, serve

CONTEXT = Context(load_catalog().version, __version__, {"role": "project", "level": None,
                                                        "only": []})  # fmt: skip


class Rows:
    """A sink that keeps rows."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def write(self, row: dict[str, Any]) -> None:
        self.rows.append(row)

    def close(self, complete: bool) -> None:
        pass

    def by_target(self) -> dict[str, dict[str, Any]]:
        return {r["target"]: r for r in self.rows}


def normal(row: dict[str, Any]) -> dict[str, Any]:
    """A row without what differs from run to run (wall times, the assessment's clock)."""
    row = copy.deepcopy(row)
    row.pop("seconds")
    if row.get("clone"):
        row["clone"].pop("seconds")
    if row.get("assessment"):
        row["assessment"].pop("timestamp")
    return row


def run(targets: list[Target], executor: Executor, **kwargs: Any) -> Rows:
    sink = Rows()
    run_many(targets, executor, context=CONTEXT, sinks=[sink], window=4, **kwargs)
    return sink


def test_local_pool_and_dask_give_identical_results(
    portfolio: Portfolio, dask_address: str
) -> None:
    with local_executor(2) as pool:
        local = run(portfolio.targets, pool.executor)
    with dask_executor(dask_address) as pool:
        assert pool.slots == 2
        distributed = run(portfolio.targets, pool.executor)
    assert len(local.rows) == len(portfolio.targets)
    a, b = local.by_target(), distributed.by_target()
    assert set(a) == {t.key for t in portfolio.targets}
    for key in a:
        assert normal(a[key]) == normal(b[key]), key

    alpha, beta, hostile, missing, hostile_remote = (a[t.key] for t in portfolio.targets)
    assert [r["status"] for r in (alpha, beta, hostile, hostile_remote)] == ["assessed"] * 4
    assert missing["status"] == "error"
    assert missing["error"]["stage"] == "revision"
    assert "missing.git" in missing["error"]["message"]
    assert alpha["assessment"]["project"] == "alpha"
    assert alpha["assessment"]["root"] == alpha["location"]  # not a temporary path
    assert beta["assessment"]["project"] == "beta"  # the clone is named after the repository
    assert beta["clone"]["filter"] == "tree:0" and beta["clone"]["bytes"] > 0
    assert alpha["clone"] is None  # a local checkout is read in place
    # the treeless clone has every tag, also the one on a release branch main lacks
    rel01 = next(f for f in beta["assessment"]["findings"] if f["requirement_id"] == "STW-REL-01")
    assert rel01["message"] == "4 version tags"
    met = {r["name"]: r["assessment"]["levels"][0]["met"] for r in (alpha, beta)}
    assert met["alpha"] > met["beta"]  # the project files count
    # the hostile repositories were assessed and none of their programs ran
    assert hostile["revision"] == _head(portfolio.checkouts["hostile"])
    assert hostile_remote["revision"] == hostile["revision"]
    assert not portfolio.marker.exists()


def test_the_hostile_repository_is_armed(tmp_path: Path) -> None:
    """The canary: plain git on an armed copy does run its programs (so the test above
    would notice if Steward's guards failed)."""
    marker = tmp_path / "MARKER"
    root = make_hostile(tmp_path / "copy")
    arm(root / ".git", marker, root)
    (root / "README.md").write_text("touched\n")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(root), "status"], env=env, capture_output=True)
    subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%G?"], env=env,
                   capture_output=True)  # fmt: skip
    ran = marker.read_text()
    assert "evil" in ran  # fsmonitor / clean filter / gpg from the repository's config


def _head(root: Path) -> str:
    return subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip


class Counting(Executor):
    """An executor that records what it is asked to run."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.submitted: list[str] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.submitted.append(args[0]["target"]["key"])
        return self.inner.submit(fn, *args, **kwargs)


def test_cache_reuses_unchanged_repositories(tmp_path: Path) -> None:
    local = generate(tmp_path / "local", "local", commits=3, tags=1)
    remote_checkout = generate(tmp_path / "src", "remote", commits=3, tags=1)
    bare = tmp_path / "remote.git"
    url = serve(remote_checkout, bare)
    targets = [target_for(str(local), base=tmp_path, source="t"),
               target_for(url, base=tmp_path, source="t")]  # fmt: skip
    cache = Cache(tmp_path / "cache.sqlite")
    started: list[Path] = []
    real = task.child_command

    def counting(request_file: Path) -> list[str]:
        started.append(request_file)
        return real(request_file)

    with pytest.MonkeyPatch.context() as mp, ThreadPoolExecutor(2) as pool:
        mp.setattr(task, "child_command", counting)
        first = run(targets, pool, cache=cache)
        assert [r["status"] for r in first.rows] == ["assessed", "assessed"]
        assert len(started) == 2
        second = run(targets, pool, cache=cache)
        assert {r["status"] for r in second.rows} == {"cached"}
        assert len(started) == 2  # nothing cloned or assessed again
        for key, row in first.by_target().items():
            assert second.by_target()[key]["assessment"] == row["assessment"]
            assert second.by_target()[key]["revision"] == row["revision"]
        # a new commit upstream and an edit in the checkout: both assessed again
        subprocess.run(["git", "-C", str(bare), "update-ref", "refs/heads/main",
                        _commit_on(bare)], check=True)  # fmt: skip
        (local / "SECURITY.md").write_text("# Security\n\nMail security@local.example.\n")
        third = run(targets, pool, cache=cache)
    assert {r["status"] for r in third.rows} == {"assessed"}
    assert len(started) == 4
    assert third.by_target()[targets[1].key]["revision"] != first.rows[1]["revision"]
    assert len(cache) == 2  # one entry per repository, the newest
    other = Context(CONTEXT.catalog_version, CONTEXT.steward_version,
                    {**CONTEXT.options, "role": "manufacturer"})  # fmt: skip
    assert cache.known(targets[0].key, other) is None  # options are part of the key


def _commit_on(bare: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x.example",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x.example"}  # fmt: skip
    tree = subprocess.run(["git", "-C", str(bare), "rev-parse", "main^{tree}"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    cmd = ["git", "-C", str(bare), "commit-tree", tree, "-p", "main", "-m", "n"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


class Interrupting:
    """A sink that passes rows to a journal and raises KeyboardInterrupt after ``after``."""

    def __init__(self, journal: JsonlFile, after: int) -> None:
        self.journal = journal
        self.after = after
        self.count = 0

    def write(self, row: dict[str, Any]) -> None:
        self.journal.write(row)
        self.count += 1
        if self.count == self.after:
            raise KeyboardInterrupt

    def close(self, complete: bool) -> None:
        self.journal.close(complete)


def test_interrupt_and_resume_repeat_no_finished_work(tmp_path: Path) -> None:
    targets = [
        target_for(str(generate(tmp_path / f"p{i}", f"p{i}", commits=2, tags=0)),
                   base=tmp_path, source=f"t:{i}")
        for i in range(3)
    ]  # fmt: skip
    output = tmp_path / "rows.jsonl"
    journal = JsonlFile(output, resume=False)
    sink = Interrupting(journal, after=2)
    with ThreadPoolExecutor(1) as pool, pytest.raises(KeyboardInterrupt):
        run_many(targets, pool, context=CONTEXT, sinks=[sink], window=1)
    journal.close(False)
    assert not output.exists()  # the result file only appears complete
    done = {r["target"] for r in read_journal(journal.journal)}
    assert len(done) == 2
    assert not list((tmp_path).glob("steward-many-*"))

    resumed = JsonlFile(output, resume=True)
    assert {r["target"] for r in resumed.previous()} == done
    counting = Counting(ThreadPoolExecutor(2))
    run_many(targets, counting, context=CONTEXT, sinks=[resumed], window=2, done=done)
    resumed.close(True)
    assert sorted(counting.submitted) == sorted({t.key for t in targets} - done)
    rows = list(read_journal(output))
    assert sorted(r["target"] for r in rows) == sorted(t.key for t in targets)
    assert not journal.journal.exists()


def test_torn_journal_line_is_cut_on_resume(tmp_path: Path) -> None:
    output = tmp_path / "rows.jsonl"
    journal = tmp_path / "rows.jsonl.partial"
    journal.write_bytes(b'{"target": "a", "status": "error"}\n{"target": "b", "sta')
    resumed = JsonlFile(output, resume=True)
    assert [r["target"] for r in resumed.previous()] == ["a"]
    assert journal.read_bytes() == b'{"target": "a", "status": "error"}\n'


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    checkout = generate(tmp_path / "slow", "slow", commits=1, tags=0)
    pidfile = tmp_path / "grandchild.pid"

    def hanging(request_file: Path) -> list[str]:
        return ["sh", "-c", f"echo stage clone >&2; sleep 60 & echo $! > {pidfile}; sleep 60"]

    with pytest.MonkeyPatch.context() as mp, ThreadPoolExecutor(1) as pool:
        mp.setattr(task, "child_command", hanging)
        started = time.monotonic()
        rows = run([target_for(str(checkout), base=tmp_path, source="t")], pool,
                   limits=Limits(timeout=2), work_dir=str(tmp_path / "work"))  # fmt: skip
    assert time.monotonic() - started < 15
    (row,) = rows.rows
    assert row["status"] == "error"
    assert row["error"] == {"stage": "clone", "message": "timed out after 2 s (clone)"}
    grandchild = int(pidfile.read_text())
    time.sleep(0.2)
    assert not _alive(grandchild)
    assert list((tmp_path / "work").iterdir()) == []  # the work directory is gone


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat")
    return not (state.exists() and state.read_text().split()[2] == "Z")


def test_disk_budget(tmp_path: Path) -> None:
    checkout = generate(tmp_path / "big", "big", commits=1, tags=0)
    (checkout / "blob.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    subprocess.run(["git", "-C", str(checkout), "add", "blob.bin"], check=True)
    subprocess.run(["git", "-C", str(checkout), "-c", "user.name=A", "-c", "user.email=a@x",
                    "commit", "-qm", "big"], check=True)  # fmt: skip
    url = serve(checkout, tmp_path / "big.git")
    with ThreadPoolExecutor(1) as pool:
        rows = run([target_for(url, base=tmp_path, source="t")], pool,
                   limits=Limits(disk=1024 * 1024), work_dir=str(tmp_path / "work"))  # fmt: skip
    (row,) = rows.rows
    assert row["status"] == "error"
    assert row["error"]["stage"] == "clone"
    assert row["assessment"] is None
    assert list((tmp_path / "work").iterdir()) == []


def test_memory_limit_is_an_error_row(portfolio: Portfolio, tmp_path: Path) -> None:
    with ThreadPoolExecutor(1) as pool:
        rows = run(portfolio.targets[:1], pool, limits=Limits(memory=16 * 1024 * 1024))
    (row,) = rows.rows
    assert row["status"] == "error" and row["assessment"] is None
    assert row["error"]["stage"] == "start"
    # where the interpreter runs out depends on the machine: usually a MemoryError while
    # importing, sometimes another exception that an allocation failure surfaces as
    message = row["error"]["message"]
    assert message == "out of memory (limit 16 MiB)" or message.startswith("internal error")


def test_a_remote_that_never_answers_times_out(tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # accept, never answer
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        target = target_for(f"git://127.0.0.1:{port}/silent.git", base=tmp_path, source="t")
        with ThreadPoolExecutor(1) as pool:
            rows = run([target], pool, limits=Limits(timeout=2))
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
    (row,) = rows.rows
    assert row["status"] == "error"
    assert row["error"] == {"stage": "revision", "message": "git ls-remote timed out after 2 s"}


def test_a_worker_with_another_catalog_gives_an_error_row(portfolio: Portfolio) -> None:
    other = Context("0.0.1-other", CONTEXT.steward_version, CONTEXT.options)
    sink = Rows()
    with ThreadPoolExecutor(1) as pool:
        run_many(portfolio.targets[:1], pool, context=other, sinks=[sink])
    (row,) = sink.rows
    assert row["status"] == "error"
    assert "catalog" in row["error"]["message"]


def test_credentials_in_a_list_never_reach_the_rows(tmp_path: Path) -> None:
    target = target_for("https://alice:s3cret-token@127.0.0.1:1/acme/x.git", base=tmp_path,
                        source="t")  # fmt: skip
    assert "s3cret" not in target.key
    with ThreadPoolExecutor(1) as pool:
        rows = run([target], pool, limits=Limits(timeout=20))
    (row,) = rows.rows
    assert row["status"] == "error"
    assert row["location"] == "https://127.0.0.1:1/acme/x.git"
    assert "s3cret" not in json.dumps(row)
