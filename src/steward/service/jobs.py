"""The background worker: runs jobs queued in the database, one at a time, in a thread of
``steward serve`` (several servers on one database share the queue safely).

Jobs:

- ``assess``: clone the project's repository (``https://`` only, unless the server allows
  local paths) and store the assessment, exactly as ``steward assess --format json`` then an
  upload would.
- ``rematch``: match a project's current SBOMs again, or every project's (no project id).
- ``import-vulndb``: import OSV files/directories and the KEV, EUVD, EPSS feeds from paths
  on the server into the server's vulnerability database, then queue a re-match of all.

The worker also notices when the vulnerability database changed underneath (say, ``steward
db update`` run by cron) and queues a re-match of every project, so new advisories raise new
findings with their first-seen time. Progress is written to the job row (which is also the
heartbeat); a job whose worker died is re-queued by the next worker (store.jobs). A worker
whose lease expired meanwhile records nothing: its finish or fail is refused and logged
(warning, logger ``steward.service.jobs``), and an assess job does not store its assessment.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.errors import InputError, StewardError
from steward.service.context import ServiceContext
from steward.service.matching import rematch_project, vulndb_fingerprint
from steward.store import jobs, portfolio
from steward.store.access import Principal
from steward.store.jobs import JobInfo
from steward.store.models import SbomRecord, ServiceState

FINGERPRINT_KEY = "vulndb_fingerprint"
HEARTBEAT_SECONDS = 15.0
_HTTPS = re.compile(r"^https://[^\s/@]*@?[A-Za-z0-9.-]+(:\d+)?/[^\s]*$")
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/@\s]*@", re.IGNORECASE)

LOG = logging.getLogger(__name__)

Report = Callable[[int, int | None, str], None]


class LeaseLost(StewardError):
    """The worker's claim on a job expired and the job was handed on (nothing is stored)."""


def _now() -> datetime:
    return datetime.now(UTC)


class Worker:
    """Polls the queue until :meth:`stop`; :meth:`run_once` runs at most one job."""

    def __init__(self, ctx: ServiceContext, name: str | None = None) -> None:
        self.ctx = ctx
        self.name = name or f"worker-{os.getpid()}-{threading.get_ident()}"
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        stale = timedelta(seconds=self.ctx.settings.job_stale_seconds)
        self.ctx.store.write(lambda s: jobs.requeue_stale(s, _now(), stale))
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:  # keep serving; the job row says what failed
                ran = False
            if not ran:
                self._stop.wait(self.ctx.settings.worker_poll_seconds)

    def run_once(self) -> bool:
        """Check the vulnerability database, then run the oldest queued job, if any."""
        stale = timedelta(seconds=self.ctx.settings.job_stale_seconds)
        self.ctx.store.write(lambda s: jobs.requeue_stale(s, _now(), stale))
        self.check_vulndb()
        job = self.ctx.store.write(lambda s: jobs.claim(s, self.name, _now()))
        if job is None:
            return False
        self.execute(job)
        return True

    def check_vulndb(self) -> None:
        """Queue a re-match of every project when the vulnerability database changed."""
        fingerprint = vulndb_fingerprint(self.ctx.vulndb_path())

        def work(session: Session) -> None:
            row = session.get(ServiceState, FINGERPRINT_KEY)
            if row is not None and row.value == fingerprint:
                return
            if row is None:
                session.add(ServiceState(key=FINGERPRINT_KEY, value=fingerprint))
            else:
                row.value = fingerprint
            has_sboms = session.scalar(select(SbomRecord.id).limit(1)) is not None
            if (row is not None or has_sboms) and jobs.pending(session, "rematch", None) is None:
                jobs.enqueue(
                    session,
                    kind="rematch",
                    params={"reason": "vulnerability database changed"},
                    actor="steward (worker)",
                    now=_now(),
                )

        self.ctx.store.write(work)

    def execute(self, job: JobInfo) -> None:
        store = self.ctx.store
        last = [0.0]

        def report(done: int, total: int | None, message: str) -> None:
            now = time.monotonic()
            if now - last[0] < 0.5 and (total is None or done < total):
                return
            last[0] = now
            store.write(
                lambda s: jobs.progress(s, job.id, job.attempts, done, total, message, _now())
            )

        stop = threading.Event()
        beater = threading.Thread(target=self._beat, args=(job, stop), daemon=True)
        beater.start()
        try:
            result = self._dispatch(job, report)
        except (StewardError, OSError, ValueError) as exc:
            reason = str(exc)
            held = store.write(lambda s: jobs.fail(s, job.id, job.attempts, reason, _now()))
            outcome = f"failed: {reason}"
        except Exception as exc:
            message = f"internal error: {type(exc).__name__}: {exc}"
            held = store.write(lambda s: jobs.fail(s, job.id, job.attempts, message, _now()))
            outcome = f"failed: {message}"
        else:
            held = store.write(
                lambda s: jobs.finish(s, job.id, job.attempts, result, "done", _now())
            )
            outcome = "done"
        finally:
            stop.set()
        if not held:
            LOG.warning(
                "%s: job %d (claim %d) %s, but its lease had expired and the job was handed "
                "on; the outcome was not recorded",
                self.name,
                job.id,
                job.attempts,
                outcome[:200],
            )

    def _beat(self, job: JobInfo, stop: threading.Event) -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            self.ctx.store.write(lambda s: jobs.beat(s, job.id, job.attempts, _now()))

    def _dispatch(self, job: JobInfo, report: Report) -> dict[str, Any]:
        if job.kind == "rematch":
            return self._rematch(job, report)
        if job.kind == "import-vulndb":
            return self._import(job, report)
        if job.kind == "assess":
            return self._assess(job, report)
        raise InputError(f"unknown job kind {job.kind!r}")

    def _rematch(self, job: JobInfo, report: Report) -> dict[str, Any]:
        if job.project_id is not None:
            counts = rematch_project(
                self.ctx,
                job.project_id,
                progress=lambda done, total: report(done, total, "matching components"),
            )
            return {"projects": 1, **counts}
        project_ids = self.ctx.store.read(portfolio.projects_with_sboms)
        totals = {"projects": 0, "new": 0, "open": 0, "reopened": 0, "resolved": 0}
        for index, project_id in enumerate(project_ids):
            report(index, len(project_ids), f"project {index + 1} of {len(project_ids)}")
            counts = rematch_project(self.ctx, project_id)
            totals["projects"] += 1
            for key, value in counts.items():
                totals[key] += value
        report(len(project_ids), len(project_ids), "done")
        return totals

    def _import(self, job: JobInfo, report: Report) -> dict[str, Any]:
        from steward.store.vulndb import VulnDB
        from steward.vuln.feeds import import_epss, import_euvd, import_kev
        from steward.vuln.osv_import import import_osv

        params = job.params
        result: dict[str, Any] = {}
        self.ctx.forget_vulndb()  # the cached handle would keep advisories from before
        with self.ctx.match_lock, VulnDB(self.ctx.vulndb_path()) as db:
            sources = [Path(p) for p in params.get("osv", [])]
            if sources:
                stats = import_osv(
                    db,
                    sources,
                    progress=lambda done, total: report(done, total, "importing OSV records"),
                )
                result["osv"] = {
                    "added": stats.added,
                    "updated": stats.updated,
                    "unchanged": stats.unchanged,
                    "withdrawn": stats.withdrawn,
                }
            if params.get("kev"):
                report(0, None, "importing KEV")
                result["kev"] = import_kev(db, Path(params["kev"]))
            if params.get("euvd"):
                report(0, None, "importing EUVD")
                result["euvd"] = import_euvd(db, Path(params["euvd"])).exploited
            if params.get("epss"):
                report(0, None, "importing EPSS")
                result["epss"] = import_epss(db, Path(params["epss"]))
        # the worker's next poll sees the new fingerprint and queues the re-match
        return result

    def _assess(self, job: JobInfo, report: Report) -> dict[str, Any]:
        from steward.evaluate import assess as run_assessment

        url = str(job.params.get("repository_url") or "")
        revision = job.params.get("revision")
        self._check_url(url)
        assert job.project_id is not None
        with tempfile.TemporaryDirectory(prefix="steward-job-") as tmp:
            report(0, None, "cloning")
            root = _clone(url, Path(tmp), revision if isinstance(revision, str) else None)

            def tick(stage: str, done: int, total: int) -> None:
                report(done, total, f"assessing: {stage}")

            assessment = run_assessment(root, progress=tick)
        summary, document = portfolio.assessment_summary(assessment)
        principal = Principal(name=job.created_by, admin=True)  # checked when it was queued
        project_id = job.project_id

        def store(session: Session) -> int:
            if not jobs.holds(session, job.id, job.attempts):
                # the lease expired: the worker that took over stores its own assessment
                raise LeaseLost(f"job {job.id}: lost to another worker; assessment not stored")
            return portfolio.add_assessment(
                session, principal, project_id, summary, document, _now()
            )

        assessment_id = self.ctx.store.write(store)
        return {"assessment": assessment_id, "level_achieved": summary.level_achieved}

    def _check_url(self, url: str) -> None:
        check_clone_url(url, allow_local=self.ctx.settings.allow_local_git)


def check_clone_url(url: str, *, allow_local: bool) -> None:
    """Refuse a repository URL the assess job would not clone (InputError): only
    ``https://`` without credentials (they would be stored in the job and shown to every
    reader of the project; give the server a git credential helper instead), local paths
    only when the server allows them (``--allow-local-git``)."""
    if _HTTPS.fullmatch(url):
        host = url[len("https://") :].split("/", 1)[0]
        if "@" in host:
            raise InputError(
                "repository URL must not carry credentials (user:token@): they would be "
                "stored with the job; configure a git credential helper on the server"
            )
        return
    if allow_local and (url.startswith("file://") or Path(url).is_absolute()):
        return
    raise InputError(
        "repository URL must be https:// (local paths only with --allow-local-git)",
        source=redact_url(url),
    )


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@``."""
    return _USERINFO.sub(r"\1***@", url)


def _clone(url: str, target: Path, revision: str | None) -> Path:
    checkout = target / "checkout"
    from steward.gitsafe import git_command, git_env

    command = git_command("clone", "--quiet", "--no-recurse-submodules")
    if revision and re.fullmatch(r"[A-Za-z0-9._/-]{1,200}", revision):
        command += ["--branch", revision]
    command += ["--", url, str(checkout)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
            env={**git_env(), "GIT_ALLOW_PROTOCOL": "https:file"},
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"git clone failed: {exc}", source=redact_url(url)) from None
    if done.returncode != 0:
        from steward.scale.checkout import git_reason

        reason = git_reason(done.stderr)
        raise InputError(f"git clone failed: {reason}", source=redact_url(url))
    return checkout
