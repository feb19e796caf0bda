"""Correlating OT alert findings into incidents, and how grave each is. Pure.

Two findings are one incident when they are of the same kind and technique, on devices
of the same supplier (the graph: device → release → product → supplier; the same
release is the narrowest case), and their time spans come within ``window`` seconds of
each other. The link is transitive (single linkage): findings swept in order of first
seen join the running group while each starts within the window of the latest end so
far. The result depends only on the set of findings, never on the order they arrived,
so correlating again is idempotent. A finding on no declared device is an incident of
its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingStatus
from cpstrust.model.ot_incident import (
    RAISING_SEVERITY,
    Anomaly,
    Assessment,
    Basis,
    CorrelatedGroup,
    IncidentFacts,
    IncidentStatus,
)


def correlate(anomalies: Iterable[Anomaly], window: float) -> list[CorrelatedGroup]:
    """The incidents ``anomalies`` make, ordered by their lowest finding id."""
    buckets: dict[tuple[str, str, str], list[Anomaly]] = {}
    groups: list[CorrelatedGroup] = []
    for a in anomalies:
        if a.device is None:
            groups.append(CorrelatedGroup(a.kind, a.technique, Basis.UNMATCHED,
                                          (a.finding_id,)))
        else:
            key = (a.kind, a.technique or "", a.device.supplier)
            buckets.setdefault(key, []).append(a)
    for members in buckets.values():
        groups.extend(_sweep(members, window))
    return sorted(groups, key=lambda g: g.finding_ids[0])


def _sweep(members: list[Anomaly], window: float) -> Iterable[CorrelatedGroup]:
    members.sort(key=lambda a: (a.first_seen, a.finding_id))
    current: list[Anomaly] = []
    reach = 0.0
    for a in members:
        if current and a.first_seen - reach > window:
            yield _group(current)
            current = []
        reach = a.last_seen if not current else max(reach, a.last_seen)
        current.append(a)
    if current:
        yield _group(current)


def _group(members: Sequence[Anomaly]) -> CorrelatedGroup:
    devices = {a.device.device_id for a in members if a.device}
    releases = {a.device.release_id for a in members if a.device}
    basis = (Basis.DEVICE if len(devices) == 1
             else Basis.RELEASE if len(releases) == 1 else Basis.SUPPLIER)
    return CorrelatedGroup(members[0].kind, members[0].technique, basis,
                           tuple(sorted(a.finding_id for a in members)))


def assess(members: Sequence[Anomaly], facts: IncidentFacts) -> Assessment:
    """The severity of the incident ``members`` make, with the reasons it was raised."""
    base = max(a.severity for a in members)
    devices = {a.device.device_id: a.device for a in members if a.device}
    reasons: list[Message] = []
    for release_id, device in sorted({d.release_id: d for d in devices.values()}.items()):
        raising = [v for v in facts.vulnerabilities.get(release_id, ())
                   if v.severity >= RAISING_SEVERITY]
        if raising:
            worst = max(raising, key=lambda v: (v.severity, v.vulnerability_id))
            reasons.append(Message("incident_open_vulnerability", {
                "product": device.product, "version": device.version, "count": len(raising),
                "worst": worst.vulnerability_id, "severity": worst.severity.label}))
    vulnerable = bool(reasons)
    failed = False
    for device in sorted(devices.values(), key=lambda d: d.name):
        latest = facts.attestations.get(device.device_id)
        if latest is not None and latest.failed:
            failed = True
            reasons.append(Message("incident_attestation_failed", {
                "device": device.name, "verdict": latest.verdict,
                "at": latest.appraised_at.isoformat(timespec="seconds")}))
    raises = int(vulnerable) + int(failed)  # one step for each kind of fact
    severity = Severity(min(int(Severity.CRITICAL), int(base) + raises))
    return Assessment(base, severity, tuple(reasons), _status(members),
                      min(a.first_seen for a in members), max(a.last_seen for a in members),
                      len(devices), len({a.site for a in members}))


def _status(members: Sequence[Anomaly]) -> IncidentStatus:
    statuses = {a.status for a in members}
    if FindingStatus.OPEN.value in statuses:
        return IncidentStatus.OPEN
    if FindingStatus.ACCEPTED.value in statuses:
        return IncidentStatus.ACCEPTED
    return IncidentStatus.RESOLVED


@dataclass(frozen=True, slots=True)
class IncidentDecisions:
    """What correlating again does to the stored incidents: ``kept`` maps a stored
    incident to the group it now is; ``new`` are groups no stored incident holds;
    ``absorbed`` maps a stored incident whose findings all went elsewhere to the index
    in ``groups`` of the group that holds its lowest finding."""

    kept: dict[int, CorrelatedGroup]
    new: tuple[CorrelatedGroup, ...]
    absorbed: dict[int, int]


def reconcile_incidents(groups: Sequence[CorrelatedGroup], membership: Mapping[int, int],
                        stored: Iterable[int]) -> IncidentDecisions:
    """``membership``: finding id → the stored incident holding it; ``stored``: the ids
    of the stored incidents in scope. A group keeps the lowest-numbered stored incident
    among its findings' that no earlier group kept: incidents merge into the oldest, and
    a split leaves the old number with the group of its lowest finding."""
    kept: dict[int, CorrelatedGroup] = {}
    new: list[CorrelatedGroup] = []
    where: dict[int, int] = {}
    for index, group in enumerate(groups):
        owners = sorted({membership[f] for f in group.finding_ids if f in membership})
        owner = next((o for o in owners if o not in kept), None)
        if owner is None:
            new.append(group)
        else:
            kept[owner] = group
        for f in group.finding_ids:
            where[f] = index
    lowest: dict[int, int] = {}
    for finding, incident in membership.items():
        lowest[incident] = min(finding, lowest.get(incident, finding))
    absorbed = {incident: where[lowest[incident]] for incident in sorted(set(stored))
                if incident not in kept and incident in lowest and lowest[incident] in where}
    return IncidentDecisions(kept, tuple(new), absorbed)
