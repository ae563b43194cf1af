"""A job's lease: a worker whose claim expired (no heartbeat, the job re-queued and taken by
another worker) can no longer finish, fail, beat or report progress on it; its outcome is
refused and logged. On SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from steward.service.config import Settings
from steward.service.context import ServiceContext
from steward.service.jobs import Report, Worker
from steward.store import jobs
from steward.store.cases import CaseStore
from steward.store.jobs import JobInfo

STALE = timedelta(seconds=120)


@pytest.fixture
def store(service_db: str) -> Iterator[CaseStore]:
    opened = CaseStore(service_db)
    yield opened
    opened.close()


def _queue(store: CaseStore, when: datetime) -> int:
    return store.write(
        lambda s: jobs.enqueue(s, kind="rematch", params={"reason": "test"}, actor="ada", now=when)
    )


def _claim(store: CaseStore, worker: str, when: datetime) -> JobInfo:
    job = store.write(lambda s: jobs.claim(s, worker, when))
    assert job is not None
    return job


def _row(store: CaseStore, job_id: int) -> tuple[str, int, str, dict[str, Any] | None]:
    from steward.store.models import Job

    def read(session: Any) -> tuple[str, int, str, dict[str, Any] | None]:
        row = session.get(Job, job_id)
        return row.status, row.attempts, row.message, row.result

    return store.read(read)


def _hand_on(store: CaseStore, job_id: int, worker: str) -> JobInfo:
    """The first claim's heartbeat stopped long ago: re-queue it and let ``worker`` take it."""
    now = datetime.now(UTC)
    assert store.write(lambda s: jobs.requeue_stale(s, now, STALE)) == 1
    taken = _claim(store, worker, now)
    assert taken.id == job_id
    return taken


def test_a_stale_claim_cannot_finish_or_fail_the_job(store: CaseStore) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    job_id = _queue(store, long_ago)
    first = _claim(store, "worker-a", long_ago)
    second = _hand_on(store, job_id, "worker-b")
    assert (first.attempts, second.attempts) == (1, 2)
    now = datetime.now(UTC)

    assert not store.write(lambda s: jobs.finish(s, job_id, first.attempts, {"x": 1}, "done", now))
    assert not store.write(lambda s: jobs.fail(s, job_id, first.attempts, "boom", now))
    assert not store.write(lambda s: jobs.progress(s, job_id, first.attempts, 5, 9, "half", now))
    assert not store.write(lambda s: jobs.beat(s, job_id, first.attempts, now))
    assert not store.write(lambda s: jobs.holds(s, job_id, first.attempts))
    assert _row(store, job_id) == ("running", 2, "running on worker-b", None)

    assert store.write(lambda s: jobs.holds(s, job_id, second.attempts))
    assert store.write(lambda s: jobs.progress(s, job_id, second.attempts, 1, 2, "half", now))
    assert store.write(lambda s: jobs.finish(s, job_id, second.attempts, {"x": 2}, "done", now))
    assert _row(store, job_id) == ("done", 2, "done", {"x": 2})
    # once done, no claim (not even the one that finished it) changes the outcome
    assert not store.write(lambda s: jobs.fail(s, job_id, second.attempts, "late", now))
    assert not store.write(lambda s: jobs.fail(s, job_id, first.attempts, "late", now))
    assert _row(store, job_id) == ("done", 2, "done", {"x": 2})


def test_a_claim_re_queued_but_not_yet_taken_cannot_finish(store: CaseStore) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    job_id = _queue(store, long_ago)
    first = _claim(store, "worker-a", long_ago)
    now = datetime.now(UTC)
    assert store.write(lambda s: jobs.requeue_stale(s, now, STALE)) == 1
    assert not store.write(lambda s: jobs.finish(s, job_id, first.attempts, {}, "done", now))
    status, attempts, _message, _result = _row(store, job_id)
    assert (status, attempts) == ("queued", 1)  # it runs again, as re-queued


class _Overtaken(Worker):
    """A worker that, half-way through its job, is overtaken: its heartbeat is taken to have
    stopped, the job is re-queued and another worker claims it."""

    taken: JobInfo | None = None

    def _dispatch(self, job: JobInfo, report: Report) -> dict[str, Any]:
        self.taken = _hand_on(self.ctx.store, job.id, "worker-b")
        return {"stale": True}


class _OvertakenThenFails(_Overtaken):
    def _dispatch(self, job: JobInfo, report: Report) -> dict[str, Any]:
        super()._dispatch(job, report)
        raise ValueError("clone failed")


@pytest.mark.parametrize("worker_class", [_Overtaken, _OvertakenThenFails])
def test_the_worker_logs_and_records_nothing_once_overtaken(
    store: CaseStore,
    service_db: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    worker_class: type[_Overtaken],
) -> None:
    settings = Settings(database=service_db, vulndb=str(tmp_path / "v.sqlite"), run_worker=False)
    worker = worker_class(ServiceContext(settings=settings, store=store), name="worker-a")
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    job_id = _queue(store, long_ago)
    job = _claim(store, "worker-a", long_ago)
    with caplog.at_level(logging.WARNING, logger="steward.service.jobs"):
        worker.execute(job)
    assert _row(store, job_id) == ("running", 2, "running on worker-b", None)
    [record] = [r for r in caplog.records if r.name == "steward.service.jobs"]
    assert record.levelno == logging.WARNING
    text = record.getMessage()
    assert f"job {job_id} (claim 1)" in text and "lease had expired" in text
    assert ("done" in text) is (worker_class is _Overtaken)
    # the worker that took over still records its outcome
    assert worker.taken is not None
    now = datetime.now(UTC)
    assert store.write(lambda s: jobs.finish(s, job_id, 2, {"ok": True}, "done", now))
    assert _row(store, job_id) == ("done", 2, "done", {"ok": True})
