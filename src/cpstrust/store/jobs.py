"""Loads and saves background jobs (0022), and queues them where the database keeps its
queue: on PostgreSQL procrastinate's (deferred in the caller's transaction, so that a job
row and its queue entry are committed together or not at all); on SQLite the job rows
themselves, claimed by lease. What a job does is the application layer's."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine, and_, or_, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cpstrust.errors import StoreError
from cpstrust.model.jobs import Job, JobFailure, JobKind, JobStage, JobState
from cpstrust.model.pages import Page, PageRequest
from cpstrust.store.identity import aware
from cpstrust.store.tables import JobRow, OrganizationRow, ProductRow, ReleaseRow, table_of

QUEUE = "cpstrust"  # procrastinate's queue of our jobs
RUN_TASK = "cpstrust.run_job"  # the task that runs one, given the job's id

# procrastinate 3.10's own function, as its connectors call it (its schema, 0022).
_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, NULL, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])")


def uses_procrastinate(engine: Engine) -> bool:
    """Whether the queue is procrastinate's (PostgreSQL) rather than the job table's."""
    return engine.dialect.name == "postgresql"


def libpq_conninfo(engine: Engine) -> str:
    """The database as libpq names it, for procrastinate's own connections."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def add_job(session: Session, *, kind: JobKind, organisation_id: int, requested_by: str,
            parameters: dict[str, Any], payload: bytes | None, at: datetime) -> int:
    row = JobRow(kind=kind.value, organisation_id=organisation_id, requested_by=requested_by,
                 parameters=orjson.dumps(parameters).decode(), payload=payload,
                 state=JobState.QUEUED.value, done=0, total=None, runs=0, created_at=at)
    session.add(row)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_DEFER, {"queue": QUEUE, "task": RUN_TASK,
                                 "args": orjson.dumps({"job_id": row.id}).decode()})
    return row.id


def claim_next(session: Session, worker: str, at: datetime, lease_until: datetime) -> int | None:
    """The job table as a queue (SQLite): take the oldest job queued, or running under a
    lease that ran out (its worker died), in one UPDATE whose condition is checked again
    as it writes, so two workers never take the same job."""
    claimable = or_(JobRow.state == JobState.QUEUED.value,
                    and_(JobRow.state == JobState.RUNNING.value, JobRow.lease_until < at))
    oldest = select(JobRow.id).where(claimable).order_by(JobRow.id).limit(1)
    if session.execute(oldest).first() is None:
        return None  # an idle worker's poll reads only: SQLite's write lock stays free
    try:
        claimed = session.execute(
            update(table_of(JobRow)).where(JobRow.id == oldest.scalar_subquery(), claimable)
            .values(state=JobState.RUNNING.value, runs=JobRow.runs + 1, worker=worker,
                    lease_until=lease_until, started_at=at, stage=None, done=0, total=None)
            .returning(JobRow.id)).scalar()
    except OperationalError as exc:  # SQLite: another writer kept the lock too long
        raise StoreError("jobs_store_busy", detail=str(exc.orig)) from exc
    return None if claimed is None else int(claimed)


def start_run(session: Session, job_id: int, worker: str, at: datetime) -> bool:
    """Mark a job running for a worker procrastinate gave it to; False when it is already
    finished (a retry of a job whose worker died after finishing it)."""
    started = session.execute(
        update(table_of(JobRow))
        .where(JobRow.id == job_id, JobRow.state.in_([JobState.QUEUED.value,
                                                      JobState.RUNNING.value]))
        .values(state=JobState.RUNNING.value, runs=JobRow.runs + 1, worker=worker,
                started_at=at, stage=None, done=0, total=None)
        .returning(JobRow.id)).scalar()
    return started is not None


def record_progress(session: Session, job_id: int, worker: str, stage: JobStage | None,
                    done: int, total: int | None, lease_until: datetime) -> None:
    """Progress, and a longer lease, while ``worker`` still holds the job."""
    try:
        session.execute(update(table_of(JobRow))
                        .where(JobRow.id == job_id, JobRow.worker == worker,
                               JobRow.state == JobState.RUNNING.value)
                        .values(stage=None if stage is None else stage.value, done=done,
                                total=total, lease_until=lease_until))
    except OperationalError as exc:  # SQLite: the job's own transaction held the lock
        raise StoreError("jobs_store_busy", detail=str(exc.orig)) from exc


def finish(session: Session, job_id: int, worker: str, state: JobState, at: datetime, *,
           result: dict[str, int] | None = None, failure: JobFailure | None = None) -> None:
    """The job's end; an upload's body goes (stored by then, or refused)."""
    failed = None if failure is None else orjson.dumps(
        {"code": failure.code, "english": failure.english, "japanese": failure.japanese})
    session.execute(update(table_of(JobRow))
                    .where(JobRow.id == job_id, JobRow.worker == worker,
                           JobRow.state == JobState.RUNNING.value)
                    .values(state=state.value, finished_at=at, lease_until=None, payload=None,
                            result=None if result is None else orjson.dumps(result).decode(),
                            failure=None if failed is None else failed.decode()))


def work_of(session: Session, job_id: int) -> tuple[JobKind, int, str, str, dict[str, Any],
                                                    bytes | None] | None:
    """What a worker needs to run a job: its kind, its organisation's id and name, who
    asked for it, its parameters and its payload."""
    row = session.execute(
        select(JobRow.kind, JobRow.organisation_id, OrganizationRow.name, JobRow.requested_by,
               JobRow.parameters, JobRow.payload)
        .join(OrganizationRow, OrganizationRow.id == JobRow.organisation_id)
        .where(JobRow.id == job_id)).first()
    if row is None:
        return None
    kind, organisation_id, organisation, requested_by, parameters, payload = row
    return (JobKind(kind), int(organisation_id), str(organisation), str(requested_by),
            orjson.loads(parameters), payload)


def owned_release_ids(session: Session, organisation_id: int) -> list[int]:
    """Every stored release of the organisation's own products, oldest first."""
    return list(session.execute(
        select(ReleaseRow.id).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.supplier_id == organisation_id).order_by(ReleaseRow.id)).scalars())


_SHOWN = (JobRow.id, JobRow.kind, OrganizationRow.name, JobRow.requested_by, JobRow.state,
          JobRow.stage, JobRow.done, JobRow.total, JobRow.runs, JobRow.created_at,
          JobRow.started_at, JobRow.finished_at, JobRow.result, JobRow.failure)


def jobs(session: Session, viewer: int, page: PageRequest,
         requested_by: str | None = None) -> Page[Job]:
    """The jobs of the viewer's organisation (those ``requested_by`` asked for, when
    given), newest first."""
    query = (select(*_SHOWN).join(OrganizationRow, OrganizationRow.id == JobRow.organisation_id)
             .where(JobRow.organisation_id == viewer))
    if requested_by is not None:
        query = query.where(JobRow.requested_by == requested_by)
    if page.after is not None:
        query = query.where(JobRow.id < page.after[1])
    rows = session.execute(query.order_by(JobRow.id.desc()).limit(page.limit + 1)).all()
    shown = [_job(row) for row in rows[:page.limit]]
    more = len(rows) > page.limit
    return Page(tuple(shown), (shown[-1].id, shown[-1].id) if more and shown else None)


def visible_job(session: Session, viewer: int, job_id: int,
                requested_by: str | None = None) -> Job | None:
    query = (select(*_SHOWN).join(OrganizationRow, OrganizationRow.id == JobRow.organisation_id)
             .where(JobRow.id == job_id, JobRow.organisation_id == viewer))
    if requested_by is not None:
        query = query.where(JobRow.requested_by == requested_by)
    row = session.execute(query).first()
    return None if row is None else _job(row)


def _job(row: Any) -> Job:
    (job_id, kind, organisation, requested_by, state, stage, done, total, runs, created, started,
     finished, result, failure) = row
    failed = orjson.loads(failure) if failure else None
    return Job(id=int(job_id), kind=JobKind(kind), organisation=str(organisation),
               requested_by=str(requested_by), state=JobState(state),
               stage=None if stage is None else JobStage(stage), done=int(done),
               total=None if total is None else int(total), runs=int(runs),
               created_at=aware(created),
               started_at=None if started is None else aware(started),
               finished_at=None if finished is None else aware(finished),
               result=orjson.loads(result) if result else {},
               failure=None if failed is None else JobFailure(**failed))
