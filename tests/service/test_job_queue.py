"""Background jobs through the use cases, on SQLite and PostgreSQL: started for a caller,
run by a worker with progress, tenant-scoped, failures recorded with their message."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tenants import GATEWAY_SBOM, Tenants

from cpstrust.app import jobs
from cpstrust.app.identity import authenticate
from cpstrust.app.job_runner import WorkerSettings, run_next
from cpstrust.app.job_workers import JobWorker
from cpstrust.errors import ConflictError, NotFoundError, PermissionDeniedError
from cpstrust.model.identity import Caller, Role
from cpstrust.model.jobs import Job, JobKind, JobStage, JobState
from cpstrust.model.pages import PageRequest
from cpstrust.store import jobs as job_store

FAST = WorkerSettings(lease=timedelta(seconds=3), poll_seconds=0.05)


def _caller(tenants: Tenants, org: str, role: Role = Role.ANALYST) -> Caller:
    return authenticate(tenants.services, tenants.keys[(org, role)], datetime.now(UTC))


def _wait_finished(tenants: Tenants, caller: Caller, job_id: int, seconds: float = 30) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = jobs.job(tenants.services, caller, job_id)
        if found.state.finished:
            return found
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not finished in {seconds} s: {found}")


def test_reevaluation_job_runs_every_release_of_the_organisation(tenants: Tenants) -> None:
    analyst = _caller(tenants, "A")
    started = jobs.start_reevaluation(tenants.services, analyst, datetime.now(UTC))
    assert (started.state, started.kind, started.runs) == (JobState.QUEUED,
                                                           JobKind.REEVALUATE, 0)
    worker = JobWorker(tenants.services, FAST)
    worker.start()
    try:
        done = _wait_finished(tenants, analyst, started.id)
    finally:
        worker.stop()
    assert done.state is JobState.DONE, done.failure
    assert (done.stage, done.done, done.total, done.runs) == (JobStage.RELEASES, 2, 2, 1)
    assert done.result["releases"] == 2 and done.result["components"] > 0
    assert done.requested_by == analyst.actor and done.finished_at is not None


def test_jobs_are_seen_by_their_organisation_and_an_uploader_sees_its_own(
        tenants: Tenants) -> None:
    analyst, uploader = _caller(tenants, "A"), _caller(tenants, "A", Role.UPLOADER)
    theirs = jobs.start_reevaluation(tenants.services, analyst, datetime.now(UTC))
    with pytest.raises(NotFoundError):
        jobs.job(tenants.services, _caller(tenants, "B"), theirs.id)
    assert jobs.jobs(tenants.services, _caller(tenants, "B"), PageRequest()).items == ()
    own = jobs.start_sbom_upload(tenants.services, uploader, GATEWAY_SBOM,
                                 source_name="gw.json", product_name="a-gw", version="2.0",
                                 at=datetime.now(UTC))
    assert [j.id for j in jobs.jobs(tenants.services, uploader, PageRequest()).items] == [
        own.id]
    with pytest.raises(NotFoundError):
        jobs.job(tenants.services, uploader, theirs.id)
    assert [j.id for j in jobs.jobs(tenants.services, analyst, PageRequest()).items] == [
        own.id, theirs.id]


def test_only_the_operator_may_update_the_shared_advisories_and_names_are_kept_apart(
        tenants: Tenants) -> None:
    for role in (Role.ANALYST, Role.ADMIN):
        with pytest.raises(PermissionDeniedError):
            jobs.start_advisory_update(tenants.services, _caller(tenants, "A", role), ["PyPI"],
                                       datetime.now(UTC))
    operator = authenticate(tenants.services, tenants.operator_key, datetime.now(UTC))
    queued = jobs.start_advisory_update(tenants.services, operator, ["PyPI", "PyPI"],
                                        datetime.now(UTC))
    assert queued.kind is JobKind.ADVISORY_UPDATE
    with pytest.raises(ConflictError):
        jobs.start_sbom_upload(tenants.services, _caller(tenants, "B", Role.UPLOADER),
                               GATEWAY_SBOM, source_name="x.json", product_name="a-gw",
                               version="9", at=datetime.now(UTC))


def test_an_upload_job_stores_the_sbom_or_records_why_not(tenants: Tenants,
                                                          tmp_path: Path) -> None:
    uploader = _caller(tenants, "A", Role.UPLOADER)
    good = jobs.start_sbom_upload(tenants.services, uploader, GATEWAY_SBOM,
                                  source_name="gw.json", product_name="a-gw", version="2.0",
                                  at=datetime.now(UTC))
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": ')
    bad = jobs.start_sbom_upload(tenants.services, uploader, broken, source_name="b.json",
                                 product_name="a-gw", version="3.0", at=datetime.now(UTC))
    while run_next(tenants.services, FAST, "test-worker") is not None:
        pass
    stored = jobs.job(tenants.services, uploader, good.id)
    assert stored.state is JobState.DONE and stored.result["components"] > 0
    failed = jobs.job(tenants.services, uploader, bad.id)
    assert failed.state is JobState.FAILED and failed.failure is not None
    assert "b.json" in failed.failure.english and failed.failure.japanese
    assert failed.failure.english != failed.failure.japanese
    with tenants.services.store.transaction() as session:
        kept = [job_store.work_of(session, job_id) for job_id in (good.id, bad.id)]
    assert [work[5] if work else b"" for work in kept] == [None, None]  # bodies gone


# PostgreSQL's queue is procrastinate's: see test_job_processes.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_claimed_job_is_not_claimed_again_until_its_lease_runs_out(
        tenants: Tenants) -> None:
    started = jobs.start_reevaluation(tenants.services, _caller(tenants, "A"),
                                      datetime.now(UTC))
    at = datetime.now(UTC)
    store = tenants.services.store
    with store.transaction() as session:
        assert job_store.claim_next(session, "w1", at, at + timedelta(seconds=60)) == started.id
    with store.transaction() as session:
        assert job_store.claim_next(session, "w2", at, at + timedelta(seconds=60)) is None
    later = at + timedelta(seconds=61)  # w1 died: its lease ran out
    with store.transaction() as session:
        assert job_store.claim_next(session, "w2", later,
                                    later + timedelta(seconds=60)) == started.id
    assert jobs.job(tenants.services, _caller(tenants, "A"), started.id).runs == 2


def test_a_worker_carries_on_after_the_database_failed_it_mid_job(tenants: Tenants) -> None:
    """SQLite: the job is claimed again when its lease runs out; PostgreSQL: procrastinate
    tries it again a lease later."""
    analyst = _caller(tenants, "A")
    started = jobs.start_reevaluation(tenants.services, analyst, datetime.now(UTC))
    engine = tenants.services.store.engine
    with engine.begin() as connection:  # the job is claimed, then cannot be read
        connection.exec_driver_sql("ALTER TABLE organization RENAME TO organization_away")
    worker = JobWorker(tenants.services, FAST)
    worker.start()
    try:
        time.sleep(1)
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE organization_away RENAME TO organization")
        done = _wait_finished(tenants, analyst, started.id)
    finally:
        worker.stop()
    assert (done.state, done.runs) == (JobState.DONE, 2)
