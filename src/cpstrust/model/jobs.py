"""Background jobs: what was asked for (a kind, for an organisation, by whom), how far it
is, and how it ended. No I/O: the queue is the store's, the running the application
layer's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class JobKind(StrEnum):
    REEVALUATE = "reevaluate"  # every stored release of the organisation, afresh
    ADVISORY_UPDATE = "advisory-update"  # OSV's exports fetched and imported (shared data)
    SBOM_UPLOAD = "sbom-upload"  # a large SBOM stored and scanned after its upload


class JobStage(StrEnum):
    """What a running job's ``done`` and ``total`` count."""

    RELEASES = "releases"  # releases re-evaluated
    DOWNLOAD = "download"  # bytes of an export downloaded
    RECORDS = "records"  # advisory records imported
    STORE = "store"  # an SBOM being validated, stored and scanned (0 or 1 of 1)


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED)


@dataclass(frozen=True, slots=True)
class JobFailure:
    """Why a job failed: the message code and its text in each language, kept as the
    worker rendered them (its facts may be messages themselves)."""

    code: str
    english: str
    japanese: str


@dataclass(frozen=True, slots=True)
class Job:
    """A job as its organisation sees it. ``total`` is None until the work is counted;
    ``runs`` counts the times a worker started it (more than one after a restart)."""

    id: int
    kind: JobKind
    organisation: str
    requested_by: str
    state: JobState
    stage: JobStage | None
    done: int
    total: int | None
    runs: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: Mapping[str, int] = field(default_factory=dict)
    failure: JobFailure | None = None
