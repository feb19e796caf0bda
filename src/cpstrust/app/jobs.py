"""Background jobs as a caller starts and follows them: each start checks what the
caller's role permits, records the job for its organisation and queues it, in one
transaction; a job of another organisation is not found. Running them is
``app.job_runner``'s.

Who sees which job: a role that reads sees every job of its organisation; an uploader,
which reads nothing else, sees the jobs it started (to follow its own upload).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from cpstrust.app.services import Services
from cpstrust.app.tenancy import require
from cpstrust.errors import ConflictError, InputError, NotFoundError
from cpstrust.formats.files import read_limited
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.identity import Action, Caller, permits
from cpstrust.model.jobs import Job, JobKind
from cpstrust.model.pages import Page, PageRequest
from cpstrust.store import identity as identity_store
from cpstrust.store import jobs as job_store

MAX_ECOSYSTEMS = 64  # OSV publishes about forty


def start_reevaluation(services: Services, caller: Caller, at: datetime) -> Job:
    """Queue the re-evaluation of every stored release of the caller's products."""
    require(caller, Action.SCAN)
    return _start(services, caller, JobKind.REEVALUATE, {}, None, at)


def start_advisory_update(services: Services, caller: Caller, ecosystems: Sequence[str],
                          at: datetime) -> Job:
    """Queue an update of the advisory database from OSV's exports of ``ecosystems``.
    The database is shared by every tenant, so only the server's operator may update it."""
    require(caller, Action.IMPORT_ADVISORIES)
    named = list(dict.fromkeys(e.strip() for e in ecosystems if e.strip()))
    if not named or len(named) > MAX_ECOSYSTEMS or any(len(e) > 64 for e in named):
        raise InputError("jobs_ecosystems_invalid", maximum=MAX_ECOSYSTEMS,
                         source="request", location="ecosystems")
    return _start(services, caller, JobKind.ADVISORY_UPDATE, {"ecosystems": named}, None, at)


def start_sbom_upload(services: Services, caller: Caller, path: Path, *, source_name: str,
                      product_name: str, version: str, at: datetime,
                      limits: ReadLimits = DEFAULT_LIMITS) -> Job:
    """Queue an uploaded SBOM (the server's file at ``path``, within ``limits``) to be
    validated, stored and scanned as ``tenancy.upload_sbom`` does. A product name
    another organisation holds is refused now rather than when the job runs."""
    require(caller, Action.UPLOAD)
    body = read_limited(path, limits)
    with services.store.transaction() as session:  # names are global: not the tenant's scope
        held = identity_store.product_of(session, product_name)
    if held is not None and held[1] != caller.organisation_id:
        raise ConflictError("tenancy_product_name_taken", product=product_name)
    parameters = {"product": product_name, "version": version, "source_name": source_name,
                  "role": caller.role.value}
    return _start(services, caller, JobKind.SBOM_UPLOAD, parameters, body, at)


def jobs(services: Services, caller: Caller, page: PageRequest) -> Page[Job]:
    """The caller's organisation's jobs, newest first."""
    with services.tenant_transaction(caller) as session:
        return job_store.jobs(session, caller.organisation_id, page, _only_own(caller))


def job(services: Services, caller: Caller, job_id: int) -> Job:
    with services.tenant_transaction(caller) as session:
        found = job_store.visible_job(session, caller.organisation_id, job_id,
                                      _only_own(caller))
    if found is None:
        raise NotFoundError("jobs_no_job", job_id=job_id)
    return found


def _only_own(caller: Caller) -> str | None:
    return None if permits(caller, Action.READ) else caller.actor


def _start(services: Services, caller: Caller, kind: JobKind, parameters: dict[str, Any],
           payload: bytes | None, at: datetime) -> Job:
    with services.tenant_transaction(caller) as session:
        job_id = job_store.add_job(session, kind=kind, organisation_id=caller.organisation_id,
                                   requested_by=caller.actor, parameters=parameters,
                                   payload=payload, at=at)
        found = job_store.visible_job(session, caller.organisation_id, job_id)
    assert found is not None  # written a moment ago, in this transaction
    return found
