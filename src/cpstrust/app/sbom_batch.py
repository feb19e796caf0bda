"""Storing many SBOMs at once: worker processes read, validate and turn each into rows.

Reading and validating an SBOM costs more CPU than writing it (ADR 0003), and one
Python process parses on one core. Workers therefore do everything that needs no
database — read the file, validate, build the component and dependency rows, hash and
compress the document — and send back a :class:`~cpstrust.store.sboms.PreparedSbom` of
flat tuples, cheap to unpickle, so that the process holding the transaction only
writes, all of the batch in one transaction.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.context import BaseContext
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.advisory_lookup import AdvisoryCache
from cpstrust.app.evaluation import evaluate_releases
from cpstrust.app.events import FindingWatch, record_events
from cpstrust.app.licence_findings import evaluate_licences, stored_policy
from cpstrust.app.planner_statistics import refresh_outgrown_statistics
from cpstrust.errors import CpstrustError
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Message
from cpstrust.model.events import Cause, CauseKind
from cpstrust.store import findings as findings_store
from cpstrust.store.graph import named_release_ids
from cpstrust.store.sboms import (
    Destination,
    PreparedSbom,
    StoredSbom,
    destination,
    prepare_sbom,
    store_prepared,
)
from cpstrust.store.tables import ComponentDependencyRow, ComponentRow, FindingRow

# Releases evaluated together after a batch: ~50,000 components' matches in memory at once.
_RELEASES_PER_EVALUATION = 50
# The tables a batch fills and then reads by release and component: their planner
# statistics are refreshed between the batch's steps once they outgrew them.
_FILLED = (ComponentRow, ComponentDependencyRow, FindingRow)
# Results waiting per worker: enough to keep workers busy while the writer catches up,
# few enough that a thousand 1 MB documents are not all held in memory.
_AHEAD_PER_WORKER = 2


@dataclass(frozen=True, slots=True)
class _Failure:
    """A CpstrustError as data: exceptions pickle only their text, and the caller must
    get back the same error type with its file, place and problem (code and facts)."""

    kind: type[CpstrustError]
    message: Message
    source: str | None
    location: str | None

    def error(self) -> CpstrustError:
        return self.kind(self.message.code, source=self.source, location=self.location,
                         **self.message.facts)


def prepare_file(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> PreparedSbom:
    """Read, validate and prepare the SBOM at ``path`` (errors name the file)."""
    sbom, raw = read_sbom_file(path, limits)
    return prepare_sbom(sbom, raw)


def _start_worker() -> None:
    """A worker process is an entry point of its own: it makes acyclic rows and keeps
    caches, over which collector passes cost ~1 ms an SBOM of 1,000 components and free
    nothing, so it runs without the cyclic collector."""
    gc.disable()


def _prepare_in_worker(path: Path, limits: ReadLimits) -> PreparedSbom | _Failure:
    try:
        return prepare_file(path, limits)
    except CpstrustError as exc:
        return _Failure(type(exc), exc.message, exc.source, exc.location)


def _start_method() -> BaseContext:
    """fork where it is safe: it starts a worker in ~15 ms sharing the compiled schemas
    (forkserver and spawn take 0.5-0.6 s), but a child forked while another thread holds
    a lock inherits it held, so a threaded caller (a server) gets a fresh interpreter."""
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def prepared_sboms(
    paths: Sequence[Path], limits: ReadLimits = DEFAULT_LIMITS, *, workers: int | None = None
) -> Iterator[PreparedSbom]:
    """Prepare the SBOMs at ``paths``, yielded in order, read by ``workers`` processes.

    The first unreadable file raises its error (``InputError``: file, place, problem)
    when its turn comes; work not yet started is cancelled. A single file, or a single
    worker, is read in this process: a pool would only add its start-up time.
    """
    workers = default_workers() if workers is None else workers
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield prepare_file(path, limits)
        return
    queue = iter(paths)
    pending: deque[Future[PreparedSbom | _Failure]] = deque()
    with ProcessPoolExecutor(min(workers, len(paths)), _start_method(),
                             initializer=_start_worker) as pool:

        def submit_next() -> None:
            path = next(queue, None)
            if path is not None:
                pending.append(pool.submit(_prepare_in_worker, path, limits))

        try:
            for _ in range(workers * _AHEAD_PER_WORKER):
                submit_next()
            while pending:
                result = pending.popleft().result()
                if isinstance(result, _Failure):
                    raise result.error()
                submit_next()  # one out, one in: the workers never wait for the writer
                yield result
        finally:
            for future in pending:  # after an error, or when the caller stops early
                future.cancel()


@dataclass(frozen=True, slots=True)
class SbomToImport:
    """One SBOM of a batch: its file and the release it describes."""

    path: Path
    product: str
    version: str
    supplier: str | None = None  # creates the product under it when new
    source_name: str | None = None  # the name kept with the document; the file's by default


@dataclass(frozen=True, slots=True)
class BatchEvaluation:
    """Counts only: a million components' matches are not worth keeping in memory."""

    components: int
    findings: int
    new: int
    cleared: int


@dataclass(frozen=True, slots=True)
class BatchImport:
    stored: tuple[StoredSbom, ...]
    evaluation: BatchEvaluation | None  # None when asked not to evaluate


def store_batch(
    session: Session,
    items: Sequence[SbomToImport],
    *,
    evaluate: bool,
    limits: ReadLimits,
    workers: int | None,
    at: datetime,
    cache: AdvisoryCache | None = None,
) -> BatchImport:
    """Write ``items`` in the caller's transaction while workers prepare the next ones,
    then evaluate their releases (people's decisions on replaced SBOMs carried over)."""
    destinations: dict[tuple[str, str | None], Destination] = {}  # one lookup per product
    watch = FindingWatch(session, named_release_ids(session,
                                                    ((i.product, i.version) for i in items)))
    stored = []
    prepared = prepared_sboms([item.path for item in items], limits, workers=workers)
    for item, ready in zip(items, prepared, strict=True):
        key = (item.product, item.supplier)
        if key not in destinations:
            destinations[key] = destination(session, item.product, item.supplier)
        stored.append(
            store_prepared(
                session,
                ready,
                destinations[key],
                item.version,
                source_name=item.source_name or item.path.name,
                received_at=at,
            )
        )
    evaluation = _evaluate_releases(session, stored, at, cache) if evaluate else None
    # The last SBOM stored for a release is its SBOM, and the cause of its events.
    causes = {s.release_id: Cause(CauseKind.SBOM, f"sha256 {s.sha256}") for s in stored}
    record_events(session, watch, list(causes), causes, at)
    return BatchImport(tuple(stored), evaluation)


def _evaluate_releases(session: Session, stored: Sequence[StoredSbom], at: datetime,
                       cache: AdvisoryCache | None) -> BatchEvaluation:
    """Evaluate the batch's releases a slice at a time (their licences too when a licence
    policy is stored), then carry the decisions over."""
    decisions: dict[int, dict[tuple[str, str], tuple[str, str | None]]] = {}
    for s in stored:
        # A release named twice in a batch: the first replacement holds the decisions.
        decisions[s.release_id] = {**s.decisions, **decisions.get(s.release_id, {})}
    release_ids = list(decisions)
    components = findings = new = cleared = 0
    for start in range(0, len(release_ids), _RELEASES_PER_EVALUATION):
        refresh_outgrown_statistics(session, _FILLED)  # findings grow slice by slice
        evaluation = evaluate_releases(
            session, release_ids[start : start + _RELEASES_PER_EVALUATION], at, cache
        )
        components += evaluation.components
        findings += len(evaluation.matches)
        new += len(evaluation.new)
        cleared += evaluation.cleared
    refresh_outgrown_statistics(session, _FILLED)
    policy = stored_policy(session)
    if policy is not None:
        evaluate_licences(session, release_ids, policy, at)
    for release_id, kept in decisions.items():
        findings_store.restore_decisions(session, release_id, kept)
    return BatchEvaluation(components, findings, new, cleared)
