"""Running background jobs: a worker takes a job, runs the use case its kind names with
progress recorded as it goes, and records how it ended.

A job is run by the same use cases the CLI calls (``advisories.update_from_osv``,
``scanning.rescan``, ``tenancy.upload_sbom``), fed the progress callbacks the CLI's bars
use. Progress is written by a thread of its own, at most twice a second: a use case never
waits for it (on SQLite it waits for the job's own write transaction to end), and each
write also renews the job's lease.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cpstrust.app import tenancy
from cpstrust.app.advisories import Progress, update_from_osv
from cpstrust.app.scanning import rescan
from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError, StoreError
from cpstrust.feeds.osv_exports import OSV_EXPORT_BASE_URL
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Lang, message
from cpstrust.model.identity import Caller, Role
from cpstrust.model.jobs import JobFailure, JobKind, JobStage, JobState
from cpstrust.store import jobs as job_store

logger = logging.getLogger(__name__)

RELEASES_PER_TRANSACTION = 25  # a re-evaluation commits, and tells its progress, this often
PROGRESS_INTERVAL = 0.5  # seconds between progress writes


@dataclass(frozen=True, slots=True)
class WorkerSettings:
    # A job whose worker was silent this long is another worker's to run (its worker
    # died); on SQLite it must outlast a job's longest transaction, during which the
    # lease cannot be renewed.
    lease: timedelta = timedelta(seconds=60)
    poll_seconds: float = 1.0  # SQLite: how often an idle worker looks for a job
    osv_base_url: str = OSV_EXPORT_BASE_URL
    allow_insecure_http: bool = False
    limits: ReadLimits = field(default_factory=lambda: DEFAULT_LIMITS)


def worker_name() -> str:
    """This process, as the job rows name the worker that ran them."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_next(services: Services, settings: WorkerSettings, worker: str) -> int | None:
    """Claim the oldest job the job table holds (SQLite) and run it; its id, or None when
    there was none to claim."""
    at = datetime.now(UTC)
    try:
        with services.store.transaction() as session:
            job_id = job_store.claim_next(session, worker, at, at + settings.lease)
    except StoreError:
        return None  # another writer held the database: the next poll tries again
    if job_id is not None:
        _execute(services, settings, worker, job_id)
    return job_id


def run_given(services: Services, settings: WorkerSettings, worker: str, job_id: int) -> None:
    """Run the job procrastinate's queue gave this worker (PostgreSQL)."""
    with services.store.transaction() as session:
        started = job_store.start_run(session, job_id, worker, datetime.now(UTC))
    if started:
        _execute(services, settings, worker, job_id)


def _execute(services: Services, settings: WorkerSettings, worker: str, job_id: int) -> None:
    with services.store.transaction() as session:
        work = job_store.work_of(session, job_id)
    assert work is not None  # claimed a moment ago; jobs are never deleted
    kind, organisation_id, organisation, requested_by, parameters, payload = work
    logger.info("job %d (%s of %s) started by %s", job_id, kind.value, organisation, worker)
    with _progress_writer(services, settings, worker, job_id) as progress:
        try:
            if kind is JobKind.REEVALUATE:
                result = _reevaluate(services, organisation_id, progress)
            elif kind is JobKind.ADVISORY_UPDATE:
                result = _update_advisories(services, settings, parameters, progress)
            else:
                caller = Caller(organisation_id, organisation, Role(parameters["role"]),
                                requested_by)
                result = _store_upload(services, settings, caller, parameters, payload or b"",
                                       progress)
        except CpstrustError as exc:
            _finish(services, job_id, worker, JobState.FAILED,
                    failure=JobFailure(exc.code, exc.diagnostics(Lang.EN),
                                       exc.diagnostics(Lang.JA)))
            return
        except Exception as exc:
            logger.exception("job %d failed", job_id)
            told = message("jobs_failed_unexpectedly", problem=type(exc).__name__)
            _finish(services, job_id, worker, JobState.FAILED,
                    failure=JobFailure(told.code, told.text(Lang.EN), told.text(Lang.JA)))
            return
    _finish(services, job_id, worker, JobState.DONE, result=result)


def _finish(services: Services, job_id: int, worker: str, state: JobState, *,
            result: dict[str, int] | None = None, failure: JobFailure | None = None) -> None:
    with services.store.transaction() as session:
        job_store.finish(session, job_id, worker, state, datetime.now(UTC), result=result,
                         failure=failure)
    logger.info("job %d %s", job_id, state.value)


Report = Callable[[JobStage, int, int | None], None]


def _reevaluate(services: Services, organisation_id: int, progress: Report) -> dict[str, int]:
    with services.store.transaction() as session:
        ids = job_store.owned_release_ids(session, organisation_id)
    progress(JobStage.RELEASES, 0, len(ids))
    matches = new = cleared = components = 0
    for start in range(0, len(ids), RELEASES_PER_TRANSACTION):
        batch = ids[start:start + RELEASES_PER_TRANSACTION]
        with services.store.transaction() as session:
            done = rescan(session, services, batch, "every release of the organisation")
        components += done.evaluation.components
        matches += len(done.evaluation.matches)
        new += len(done.evaluation.new)
        cleared += done.evaluation.cleared
        progress(JobStage.RELEASES, start + len(batch), len(ids))
    return {"releases": len(ids), "components": components, "matches": matches,
            "new_findings": new, "cleared": cleared}


def _update_advisories(services: Services, settings: WorkerSettings, parameters: dict[str, Any],
                       progress: Report) -> dict[str, int]:
    def downloaded(_ecosystem: str, received: int, size: int | None) -> None:
        progress(JobStage.DOWNLOAD, received, size)

    def import_counter() -> Progress:
        return lambda records: progress(JobStage.RECORDS, records, None)

    done = update_from_osv(services, settings.osv_base_url, list(parameters["ecosystems"]),
                           allow_insecure_http=settings.allow_insecure_http,
                           progress=downloaded, import_progress=import_counter)
    updated = sum(1 for e in done.fetched.exports if e.status == "updated")
    if done.imported is None:
        return {"exports_updated": 0, "added": 0, "updated": 0, "findings_changed": 0}
    return {"exports_updated": updated, "added": done.imported.result.added,
            "updated": done.imported.result.updated, "findings_changed": done.imported.events}


def _store_upload(services: Services, settings: WorkerSettings, caller: Caller,
                  parameters: dict[str, Any], body: bytes, progress: Report) -> dict[str, int]:
    progress(JobStage.STORE, 0, 1)
    handle, name = tempfile.mkstemp(prefix="cpstrust-upload-")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        done = tenancy.upload_sbom(services, caller, path,
                                   source_name=str(parameters["source_name"]),
                                   product_name=str(parameters["product"]),
                                   version=str(parameters["version"]),
                                   at=datetime.now(UTC), limits=settings.limits)
    finally:
        path.unlink(missing_ok=True)
    progress(JobStage.STORE, 1, 1)
    return {"components": done.stored.components, "matches": len(done.evaluation.matches),
            "new_findings": len(done.evaluation.new)}


@contextmanager
def _progress_writer(services: Services, settings: WorkerSettings, worker: str,
                     job_id: int) -> Iterator[Report]:
    """A report function for the use case; a thread writes the newest report (and renews
    the lease) every PROGRESS_INTERVAL, and once more at the end."""
    latest: list[tuple[JobStage | None, int, int | None]] = [(None, 0, None)]
    stop = threading.Event()

    def report(stage: JobStage, done: int, total: int | None) -> None:
        latest[0] = (stage, done, total)

    def write() -> None:
        stage, done, total = latest[0]
        try:
            with services.store.transaction() as session:
                job_store.record_progress(session, job_id, worker, stage, done, total,
                                          datetime.now(UTC) + settings.lease)
        except (StoreError, OSError) as exc:  # progress may lag; the job goes on
            logger.warning("job %d: progress not recorded: %s", job_id, exc)

    def keep_writing() -> None:
        while not stop.wait(PROGRESS_INTERVAL):
            write()

    thread = threading.Thread(target=keep_writing, name=f"job-{job_id}-progress", daemon=True)
    thread.start()
    try:
        yield report
    finally:
        stop.set()
        thread.join()
        write()
