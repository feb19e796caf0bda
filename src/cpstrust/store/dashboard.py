"""The counts of a tenant's dashboard (``model.dashboard``), each one query filtered by
the viewer: findings (from their kept counts) and events of the products it sees
(``tenancy.product_visible_to``), devices of the sites it operates."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, CompoundSelect, Integer, Select, bindparam, func, select
from sqlalchemy.orm import Session

from cpstrust.model.advisory import Severity
from cpstrust.model.dashboard import (
    RecentChange,
    SeverityCount,
    VerdictCount,
    WidespreadVulnerability,
)
from cpstrust.model.events import EventKind
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.trustpolicy import Verdict
from cpstrust.store import finding_counts
from cpstrust.store.identity import aware
from cpstrust.store.tables import (
    DeviceRow,
    EventRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
    TrustDeviceVerdictRow,
)
from cpstrust.store.tenancy import (
    VIEWER,
    product_counted_for,
    product_visible_to,
    visible_product_ids,
)


def findings_by_severity(session: Session, viewer: int,
                         status: FindingStatus) -> list[SeverityCount]:
    """The findings in ``status`` of the releases the viewer sees, by severity, from the
    kept counts (``store.finding_counts``)."""
    counts = finding_counts.by_severity(session, _counted_products(), status=status.value,
                                        values={"viewer": viewer})
    return [SeverityCount(s, counts.get(int(s), 0)) for s in sorted(Severity, reverse=True)]


def widespread_vulnerabilities(session: Session, viewer: int, status: FindingStatus,
                               kind: FindingKind, limit: int) -> list[WidespreadVulnerability]:
    """The vulnerabilities in most releases the viewer sees, then most findings, of
    findings in ``status`` and of ``kind``, from the kept counts."""
    rows = finding_counts.widest_vulnerabilities(
        session, _visible_product_ids(), status=status.value, kind=kind.value,
        limit=limit, values={"viewer": viewer})
    return [WidespreadVulnerability(vid, Severity(sev), n_rel, n)
            for vid, sev, n_rel, n in rows]


# Each statement below is built once, with the viewer and the window as parameters
# (``store.tenancy.VIEWER``): building one cost about what SQLite's executing it did.


@cache
def _counted_products() -> ColumnElement[bool]:
    return product_counted_for(VIEWER)


@cache
def _visible_product_ids() -> CompoundSelect[int]:
    return visible_product_ids(VIEWER)


def devices_by_verdict(session: Session, viewer: int) -> list[VerdictCount]:
    """The devices at the viewer's own sites, by their stored trust verdict."""
    rows = session.execute(_devices_by_verdict(), {"viewer": viewer})
    return [VerdictCount(Verdict(v) if v is not None else None, int(n)) for v, n in rows]


@cache
def _devices_by_verdict() -> Select[str | None, int]:
    return (select(TrustDeviceVerdictRow.verdict, func.count())
            .select_from(DeviceRow)
            .join(SiteRow, SiteRow.id == DeviceRow.site_id)
            .outerjoin(TrustDeviceVerdictRow, TrustDeviceVerdictRow.device_id == DeviceRow.id)
            .where(SiteRow.operator_id == VIEWER)
            .group_by(TrustDeviceVerdictRow.verdict))


def _visible_events() -> tuple[ColumnElement[bool], ...]:
    since = bindparam("since", type_=EventRow.at.type)
    return (EventRow.at >= since, EventRow.finding_kind != FindingKind.OT.value,
            product_visible_to(VIEWER))


def changes_by_kind(session: Session, viewer: int, since: datetime) -> dict[EventKind, int]:
    """Events since ``since`` of the products the viewer sees, by kind. OT events are
    about a site's traffic, not a product, and are left to the site's pages."""
    rows = session.execute(_changes_by_kind(), {"viewer": viewer, "since": since})
    return {EventKind(kind): int(n) for kind, n in rows}


@cache
def _changes_by_kind() -> Select[str, int]:
    return (select(EventRow.kind, func.count())
            .join(ReleaseRow, ReleaseRow.id == EventRow.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .where(*_visible_events())
            .group_by(EventRow.kind))


def recent_changes(session: Session, viewer: int, since: datetime,
                   limit: int) -> list[RecentChange]:
    rows = session.execute(_recent_changes(), {"viewer": viewer, "since": since,
                                               "shown": limit})
    return [RecentChange(aware(at), EventKind(kind), product, version, vid, Severity(sev))
            for at, kind, product, version, vid, sev in rows]


@cache
def _recent_changes() -> Select[datetime, str, str, str, str, int]:
    return (select(EventRow.at, EventRow.kind, EventRow.product, EventRow.version,
                   EventRow.vulnerability_id, EventRow.severity)
            .join(ReleaseRow, ReleaseRow.id == EventRow.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .where(*_visible_events())
            # by time (ix_event_at), so that only the window's events are read; ids follow
            # time within it, as events are written
            .order_by(EventRow.at.desc(), EventRow.id.desc())
            .limit(bindparam("shown", type_=Integer)))
