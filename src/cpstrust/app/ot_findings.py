"""OT findings: alerts, unknown and missing devices, kept on the one finding lifecycle
(``model.lifecycle.reconcile``) with events in the same transaction (ADR 0012).

An alert becomes a finding keyed by the alert's stable key, on the device whose
address it names (its destination's, else its source's) within the analysis' site.
A burst seen again adds its occurrences to the same finding's count and moves its
last seen; a capture analysed again adds nothing (its alerts end no later than what
was counted). An alert finding stays open until a person decides it, or until it has
not been seen for ``resolve_after_hours`` of capture time, when the engine resolves it
as fixed. Unknown and missing devices are resolved when the inventory no longer shows
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cpstrust.app.ot_incidents import correlate_kinds
from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.model.advisory import Severity
from cpstrust.model.events import (
    STANDING,
    Cause,
    CauseKind,
    EventKind,
    FindingChange,
    FindingState,
)
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.lifecycle import reconcile
from cpstrust.model.ot_detect import Alert, AlertKind
from cpstrust.model.ot_inventory import (
    DEFAULT_RESOLVE_AFTER_HOURS,
    DeclaredDevice,
    OtObservation,
    StoredOtFinding,
)
from cpstrust.store import ot as ot_store
from cpstrust.store.events import save_events

_ALERT_KINDS = tuple(k.value for k in AlertKind)
_RESOLVED_NOTE = "no longer observed"


@dataclass(frozen=True, slots=True)
class OtFindingChanges:
    """What one analysis did to the OT findings."""

    opened: int = 0
    refreshed: int = 0
    reopened: int = 0
    resolved: int = 0
    events: int = 0

    def __add__(self, other: OtFindingChanges) -> OtFindingChanges:
        return OtFindingChanges(self.opened + other.opened, self.refreshed + other.refreshed,
                                self.reopened + other.reopened, self.resolved + other.resolved,
                                self.events + other.events)


def alert_observation(alert: Alert, site: str, occurrences: int | None = None,
                      ) -> OtObservation:
    """What a stored finding keeps of an alert; ``occurrences`` its count by default."""
    profile = alert.profile
    return OtObservation(alert.key, alert.kind.value, site, alert.src, alert.dst,
                         profile.severity, profile.technique, alert.explanation, alert.facts,
                         alert.ts_first, alert.ts_last,
                         alert.count if occurrences is None else occurrences)


def merged_by_key(observations: Iterable[OtObservation]) -> list[OtObservation]:
    """Bursts of one deviation in one analysis: one observation, occurrences summed."""
    out: dict[str, OtObservation] = {}
    for o in observations:
        kept = out.get(o.key)
        out[o.key] = o if kept is None else replace(
            kept, first_seen=min(kept.first_seen, o.first_seen),
            last_seen=max(kept.last_seen, o.last_seen),
            occurrences=kept.occurrences + o.occurrences)
    return list(out.values())


def record_alerts(session: Session, observations: Sequence[OtObservation], site: str, *,
                  stale_before: float | None, counted_by_time: bool, cause: Cause,
                  at: datetime) -> OtFindingChanges:
    """Alerts into findings, in the caller's transaction. ``counted_by_time``: an
    observation ending no later than its finding's last seen was counted already (a
    capture analysed again). Standing alert findings of ``site`` last seen before
    ``stale_before`` are resolved."""
    merged = merged_by_key(observations)
    kept = ot_store.kept_ot_findings(session, keys=[o.key for o in merged])
    if stale_before is not None:
        for key, entry in ot_store.kept_ot_findings(session, kinds=_ALERT_KINDS,
                                                    site=site).items():
            if entry[2].last_seen < stale_before and entry[1].status in STANDING:
                kept.setdefault(key, entry)
    if counted_by_time:
        merged = [replace(o, occurrences=0) if o.key in kept
                  and o.last_seen <= kept[o.key][2].last_seen else o for o in merged]
    changes = apply_observations(session, kept, merged, site, cause, at)
    correlate_kinds(session, {o.kind for o in merged} | {e[2].kind for e in kept.values()},
                    at)
    return changes


def apply_observations(session: Session, kept: Mapping[str, ot_store.KeptOt],
                       observations: Sequence[OtObservation], site: str, cause: Cause,
                       at: datetime) -> OtFindingChanges:
    """The lifecycle's decisions for ``observations`` against ``kept``, stored, with
    their events."""
    decided = reconcile({k: v[1] for k, v in kept.items()}, [o.key for o in observations])
    by_key = {o.key: o for o in observations}
    devices = _DeviceIndex(ot_store.declared_devices(session, site or None))
    changes: list[FindingChange] = []
    named = {d.name: d for d in ot_store.declared_devices(session, None)
             } if decided.reopened or decided.resolved else {}
    for key in decided.opened:
        o = by_key[key]
        device = devices.of(o.dst) or devices.of(o.src)
        finding_id = ot_store.insert_ot_finding(session, o, device.device_id if device else None)
        changes.append(FindingChange(EventKind.INTRODUCED, _state(
            session, finding_id, o, device, FindingStatus.OPEN), None, FindingStatus.OPEN))
    for key in decided.refreshed:
        ot_store.refresh_ot_finding(session, kept[key][0], by_key[key], reopen=False)
    for key in decided.reopened:
        finding_id, state, stored = kept[key]
        ot_store.refresh_ot_finding(session, finding_id, by_key[key], reopen=True)
        changes.append(FindingChange(EventKind.REOPENED, _kept_state(
            session, stored, FindingStatus.OPEN, named), state.status, FindingStatus.OPEN))
    ot_store.resolve_ot_findings(session, [kept[k][0] for k in decided.resolved],
                                 _RESOLVED_NOTE)
    for key in decided.resolved:
        _, state, stored = kept[key]
        changes.append(FindingChange(EventKind.RESOLVED, _kept_state(
            session, stored, FindingStatus.FIXED, named), state.status, FindingStatus.FIXED))
    save_events(session, changes, cause, at)
    return OtFindingChanges(len(decided.opened), len(decided.refreshed),
                            len(decided.reopened), len(decided.resolved), len(changes))


class _DeviceIndex:
    """Declared devices by IP; an IP two sites both use names neither."""

    def __init__(self, devices: Iterable[DeclaredDevice]) -> None:
        self._by_ip: dict[str, DeclaredDevice | None] = {}
        for d in devices:
            if d.ip is not None:
                self._by_ip[d.ip] = None if d.ip in self._by_ip else d

    def of(self, ip: str | None) -> DeclaredDevice | None:
        return self._by_ip.get(ip) if ip is not None else None


def _state(session: Session, finding_id: int, o: OtObservation,
           device: DeclaredDevice | None, status: FindingStatus) -> FindingState:
    release = ot_store.device_release(session, device.device_id) if device else None
    subject = device.name if device else (o.site or "-")
    return FindingState(finding_id, release[0] if release else 0, subject,
                        release[1] if release else "", o.key, o.kind,
                        (o.technique,) if o.technique else (), o.severity, status, FindingKind.OT)


def _kept_state(session: Session, f: StoredOtFinding, status: FindingStatus,
                named: Mapping[str, DeclaredDevice]) -> FindingState:
    device = named.get(f.device) if f.device is not None else None
    observation = OtObservation(f.key, f.kind, f.site, f.src, f.dst, f.severity, f.technique,
                                f.explanation, f.facts, f.first_seen, f.last_seen, 0)
    return _state(session, f.id, observation, device, status)




def store_alerts(services: Services, alerts: Sequence[Alert], source: str, *,
                 site: str = "", last_ts: float | None,
                 resolve_after_hours: float = DEFAULT_RESOLVE_AFTER_HOURS,
                 ) -> OtFindingChanges:
    """An analysis' alerts as findings, in one transaction; alert findings of ``site``
    not seen for ``resolve_after_hours`` before the capture's end resolved."""
    with services.store.transaction() as session:
        check_site(session, site)
        stale = None if last_ts is None else last_ts - resolve_after_hours * 3600
        return record_alerts(session, [alert_observation(a, site) for a in alerts], site,
                             stale_before=stale, counted_by_time=True,
                             cause=Cause(CauseKind.OT, source), at=datetime.now(UTC))


def check_site(session: Session, site: str) -> None:
    if site and not ot_store.site_exists(session, site):
        raise NotFoundError("store_no_site", name=site)


def list_ot_findings(services: Services, status: FindingStatus | None = None,
                     site: str | None = None, min_severity: Severity = Severity.UNKNOWN,
                     ) -> list[StoredOtFinding]:
    """Stored OT findings, worst first."""
    with services.store.transaction() as session:
        return ot_store.list_ot_findings(session, status.value if status else None, site,
                                         min_severity)


def set_ot_finding_status(services: Services, finding_id: int, status: FindingStatus,
                          note: str | None) -> None:
    """A person's decision on an OT finding: it stands while the finding is observed."""
    with services.store.transaction() as session:
        if not ot_store.ot_finding_exists(session, finding_id):
            raise NotFoundError("app_no_finding", finding_id=f"ot-{finding_id}")
        ot_store.set_ot_status(session, finding_id, status, note)
        correlate_kinds(session, ot_store.ot_finding_kinds(session, [finding_id]),
                        datetime.now(UTC))
