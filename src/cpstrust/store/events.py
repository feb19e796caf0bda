"""Events in the database: the findings' states a change is compared by, the events it
wrote, and each sink's delivery cursor. Loads and saves; the transitions are decided in
``model.events``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import orjson
from sqlalchemy import Insert, Select, func, insert, literal, null, select, update
from sqlalchemy.orm import Session

from cpstrust.model.advisory import Severity
from cpstrust.model.events import (
    STANDING,
    Cause,
    CauseKind,
    Event,
    EventKind,
    EventSelection,
    FindingChange,
    FindingState,
)
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.store.tables import (
    ComponentRow,
    EventRow,
    EventSinkRow,
    FindingRow,
    ProductRow,
    ReleaseRow,
    VulnerabilityRow,
    table_of,
)

_CHUNK = 500


def finding_states(session: Session, release_ids: Sequence[int],
                   kind: FindingKind | None = None) -> list[FindingState]:
    """The findings of these releases (of ``kind``, else of every kind), as events
    compare them."""
    of_kind = () if kind is None else (FindingRow.kind == kind.value,)
    states: list[FindingState] = []
    ids = sorted(set(release_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(FindingRow.id, FindingRow.release_id, ProductRow.name, ReleaseRow.version,
                   ComponentRow.purl, FindingRow.vulnerability_id, VulnerabilityRow.aliases,
                   FindingRow.severity, FindingRow.status, FindingRow.kind, FindingRow.licence)
            .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
            .join(ReleaseRow, ReleaseRow.id == FindingRow.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .outerjoin(VulnerabilityRow, VulnerabilityRow.id == FindingRow.vulnerability_id)
            .where(FindingRow.release_id.in_(ids[start : start + _CHUNK]), *of_kind))
        states.extend(
            FindingState(fid, rid, product, version, purl or "", vid,
                         tuple(orjson.loads(aliases)) if aliases else (), Severity(severity),
                         FindingStatus(status), FindingKind(kind), licence)
            for fid, rid, product, version, purl, vid, aliases, severity, status, kind, licence
            in rows)
    return states


def save_events(session: Session, changes: Sequence[FindingChange], cause: Cause,
                at: datetime) -> None:
    """One event per change, in the caller's transaction."""
    if not changes:
        return
    _lock_event_ids(session)
    session.execute(insert(table_of(EventRow)), [_row(c, cause, at) for c in changes])


def save_introduced(session: Session, release_ids: Sequence[int], cause: Cause,
                    at: datetime, kind: FindingKind | None = None) -> int:
    """For releases that had no findings before the change: an ``introduced`` event for
    every finding standing now, one per key as ``model.events.by_key`` keeps them,
    written by the database from the findings (a new SBOM brings thousands; reading
    them back into Python to compare with nothing cost more than matching them); of
    ``kind`` only when given. How many."""
    if not release_ids:
        return 0
    _lock_event_ids(session)
    ids = sorted(set(release_ids))
    return sum(_insert_counted(session, insert(table_of(EventRow)).from_select(
                   _INTRODUCED_COLUMNS, _introduced(ids[start : start + _CHUNK], cause, at,
                                                    kind)))
               for start in range(0, len(ids), _CHUNK))


def _insert_counted(session: Session, statement: Insert) -> int:
    """Write the rows of an INSERT ... SELECT; how many. psycopg leaves the rowcount at -1
    for it, so on PostgreSQL the rows are counted as the statement returns them: counting
    the new ids afterwards was planned as a scan of every event while a batch filled the
    table in its transaction (no statistics of it yet: ADR 0025), once per release."""
    if session.connection().dialect.name == "postgresql":
        inserted = statement.returning(EventRow.id).cte("inserted")
        return session.scalar(select(func.count()).select_from(inserted)) or 0
    return session.connection().execute(statement).rowcount


_INTRODUCED_COLUMNS = ("at", "kind", "finding_id", "release_id", "product", "version",
                       "vulnerability_id", "aliases", "purl", "severity", "old_status",
                       "new_status", "cause", "cause_reference", "finding_kind", "licence")


def _introduced(release_ids: Sequence[int], cause: Cause, at: datetime,
                kind: FindingKind | None) -> Select[tuple[object, ...]]:
    purl = func.coalesce(ComponentRow.purl, "")
    standing = (FindingRow.release_id.in_(release_ids),
                FindingRow.status.in_([s.value for s in STANDING]),
                *(() if kind is None else (FindingRow.kind == kind.value,)))
    # A purl written twice in one SBOM gives two findings of one key: one event.
    first_of_key = (select(func.min(FindingRow.id))
                    .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
                    .where(*standing)
                    .group_by(FindingRow.release_id, purl, FindingRow.vulnerability_id))
    columns = table_of(EventRow).c
    return (select(literal(at, columns.at.type), literal(EventKind.INTRODUCED.value),
                   FindingRow.id, FindingRow.release_id, ProductRow.name, ReleaseRow.version,
                   FindingRow.vulnerability_id, func.coalesce(VulnerabilityRow.aliases, "[]"),
                   purl, FindingRow.severity, null(), FindingRow.status,
                   literal(cause.kind.value), literal(cause.reference), FindingRow.kind,
                   FindingRow.licence)
            .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
            .join(ReleaseRow, ReleaseRow.id == FindingRow.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .outerjoin(VulnerabilityRow, VulnerabilityRow.id == FindingRow.vulnerability_id)
            .where(FindingRow.id.in_(first_of_key))
            .order_by(FindingRow.release_id, purl, FindingRow.vulnerability_id))


def _lock_event_ids(session: Session) -> None:
    if session.connection().dialect.name == "postgresql":
        # Ids from a sequence are handed out in the order transactions ask, not the order
        # they commit: a sink past id 11 would never see a 10 committed later. Holding
        # this lock from the first id to the commit makes ids commit in order (readers
        # are not blocked); SQLite's single writer does the same by itself.
        session.connection().exec_driver_sql("LOCK TABLE event IN EXCLUSIVE MODE")


def _row(change: FindingChange, cause: Cause, at: datetime) -> dict[str, object]:
    f = change.finding
    return {"at": at, "kind": change.kind.value, "finding_id": f.finding_id,
            "release_id": f.release_id, "product": f.product, "version": f.version,
            "vulnerability_id": f.vulnerability_id,
            "aliases": orjson.dumps(list(f.aliases)).decode(), "purl": f.purl,
            "severity": int(f.severity),
            "old_status": change.old_status.value if change.old_status else None,
            "new_status": change.new_status.value if change.new_status else None,
            "cause": cause.kind.value, "cause_reference": cause.reference,
            "finding_kind": f.kind.value, "licence": f.licence}


def events_after(session: Session, which: EventSelection, limit: int) -> list[Event]:
    """Up to ``limit`` events of ``which``, by id."""
    query: Select[EventRow] = select(EventRow).where(EventRow.id > which.after_id)
    if which.since is not None:
        query = query.where(EventRow.at >= which.since)
    if which.kinds:
        query = query.where(EventRow.kind.in_([k.value for k in which.kinds]))
    if which.product is not None:
        query = query.where(EventRow.product == which.product)
    return [_event(row) for row in session.scalars(query.order_by(EventRow.id).limit(limit))]


def _event(row: EventRow) -> Event:
    # A finding gone is shown as it last was.
    status = FindingStatus(row.new_status or row.old_status or FindingStatus.OPEN)
    finding = FindingState(row.finding_id, row.release_id, row.product, row.version, row.purl,
                           row.vulnerability_id, tuple(orjson.loads(row.aliases)),
                           Severity(row.severity), status, FindingKind(row.finding_kind),
                           row.licence)
    change = FindingChange(EventKind(row.kind), finding, _status(row.old_status),
                           _status(row.new_status))
    return Event(row.id, row.at, change, Cause(CauseKind(row.cause), row.cause_reference))


def _status(value: str | None) -> FindingStatus | None:
    return FindingStatus(value) if value is not None else None


def delivered_up_to(session: Session, sink: str) -> int:
    """The id up to which every event was delivered to ``sink`` (0: none yet)."""
    return session.scalar(select(EventSinkRow.delivered_id).where(EventSinkRow.name == sink)) or 0


def record_delivery(session: Session, sink: str, event_id: int, at: datetime) -> None:
    """Every event up to ``event_id`` was delivered to ``sink``."""
    done = session.execute(update(EventSinkRow).where(EventSinkRow.name == sink)
                           .values(delivered_id=event_id, delivered_at=at))
    if not done.rowcount:  # type: ignore[attr-defined]
        session.add(EventSinkRow(name=sink, delivered_id=event_id, delivered_at=at))
