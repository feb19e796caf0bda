"""The dashboard of a tenant, one use case for the API and the web page alike: every
number counted over what the caller's organisation may see (``app.tenancy``). Its
findings are the open ones (by severity, of any kind) and the open vulnerabilities (the
most widespread), read from the counts kept as findings change (``app.finding_counts``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from cpstrust.app.services import Services
from cpstrust.app.tenancy import require
from cpstrust.model.dashboard import Dashboard
from cpstrust.model.events import EventKind
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.identity import Action, Caller
from cpstrust.store import dashboard as dashboard_store

WIDESPREAD_SHOWN = 10
RECENT_SHOWN = 20
CHANGES_WINDOW = timedelta(days=1)  # "what changed since yesterday"


def dashboard(services: Services, caller: Caller, at: datetime) -> Dashboard:
    require(caller, Action.READ)
    since = at - CHANGES_WINDOW
    viewer = caller.organisation_id
    with services.tenant_transaction(caller) as session:
        by_kind = dashboard_store.changes_by_kind(session, viewer, since)
        return Dashboard(
            since=since,
            by_severity=tuple(dashboard_store.findings_by_severity(
                session, viewer, FindingStatus.OPEN)),
            widespread=tuple(dashboard_store.widespread_vulnerabilities(
                session, viewer, FindingStatus.OPEN, FindingKind.VULNERABILITY,
                WIDESPREAD_SHOWN)),
            devices_by_verdict=tuple(dashboard_store.devices_by_verdict(session, viewer)),
            changes_by_kind=tuple((kind, by_kind.get(kind, 0)) for kind in EventKind),
            recent=tuple(dashboard_store.recent_changes(session, viewer, since,
                                                        RECENT_SHOWN)),
        )
