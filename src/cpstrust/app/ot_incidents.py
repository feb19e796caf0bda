"""OT incidents: alert findings correlated with the supply-chain graph (``ot.incidents``),
kept in the store, with the evidence behind each and a ranked plan (``ot.plans``).

Correlation runs in the transaction that stores alert findings (``app.ot_findings``),
for the kinds it touched, and again before incidents are listed or shown, so that a
vulnerability found or an attestation failed since raises what is listed. Correlating
the same facts again changes nothing (an incident's ``updated_at`` moves only when it
changed). When findings join, the incidents holding them merge into the oldest, the
others kept as ``merged`` with the number they went to.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from cpstrust.app.catalogs import control_set
from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.model.ot_detect import AlertKind
from cpstrust.model.ot_incident import (
    DEFAULT_WINDOW_HOURS,
    Anomaly,
    IncidentFacts,
    IncidentReport,
    IncidentStatus,
    StoredIncident,
)
from cpstrust.ot.deidentify import deidentify
from cpstrust.ot.incidents import assess, correlate, reconcile_incidents
from cpstrust.ot.plans import plan
from cpstrust.store import ot_incidents as incident_store

ALERT_KINDS = frozenset(k.value for k in AlertKind)
CPSF_CATALOGUE = "cpsf"


@dataclass(frozen=True, slots=True)
class IncidentChanges:
    opened: int = 0
    updated: int = 0
    merged: int = 0


def correlate_kinds(session: Session, kinds: Collection[str] | None, at: datetime,
                    window_hours: float = DEFAULT_WINDOW_HOURS) -> IncidentChanges:
    """Correlate the alert findings of ``kinds`` (every alert kind when None) into the
    stored incidents, in the caller's transaction. Kinds never share an incident, so
    correlating some of them leaves the others' incidents as they are."""
    scope = ALERT_KINDS if kinds is None else ALERT_KINDS & set(kinds)
    if not scope:
        return IncidentChanges()
    found = incident_store.anomalies(session, scope)
    facts = _facts(session, found)
    by_id = {a.finding_id: a for a in found}
    groups = correlate(found, window_hours * 3600)
    stored = incident_store.incidents(session, kinds=scope)
    decisions = reconcile_incidents(
        groups, incident_store.membership(session, list(by_id)), stored)
    updated = 0
    holder: dict[tuple[int, ...], int] = {}
    for incident_id, group in decisions.kept.items():
        holder[group.finding_ids] = incident_id
        assessed = assess([by_id[f] for f in group.finding_ids], facts)
        old = stored[incident_id]
        if (old.merged_into, old.finding_ids, old.basis, old.assessment) != (
                None, group.finding_ids, group.basis, assessed):
            incident_store.update_incident(session, incident_id, group, assessed, at)
            updated += 1
    for group in decisions.new:
        assessed = assess([by_id[f] for f in group.finding_ids], facts)
        holder[group.finding_ids] = incident_store.insert_incident(session, group, assessed,
                                                                   at)
    merged = 0
    for incident_id, index in decisions.absorbed.items():
        into = holder[groups[index].finding_ids]
        if stored[incident_id].merged_into != into:
            incident_store.mark_merged(session, incident_id, into, at)
            merged += 1
    return IncidentChanges(len(decisions.new), updated, merged)


def _facts(session: Session, found: Sequence[Anomaly]) -> IncidentFacts:
    devices = {a.device.device_id: a.device for a in found if a.device}
    return IncidentFacts(
        tuple(found),
        incident_store.open_vulnerabilities(session, {d.release_id for d in devices.values()}),
        incident_store.latest_attestations(session, devices),
        incident_store.declared_ips(session))


def refresh_incidents(services: Services) -> IncidentChanges:
    """Correlate every alert finding again (after advisories, scans or attestations)."""
    with services.store.transaction() as session:
        return correlate_kinds(session, None, datetime.now(UTC))


def list_incidents(services: Services, status: IncidentStatus | None = None,
                   ) -> list[IncidentReport]:
    """Incidents, correlated afresh, with their evidence and plans; worst first, then
    the most recent. Merged ones only when ``status`` asks for them (they hold no
    findings)."""
    with services.store.transaction() as session:
        correlate_kinds(session, None, datetime.now(UTC))
        found = [i for i in incident_store.incidents(session).values()
                 if i.status is status or (status is None
                                           and i.status is not IncidentStatus.MERGED)]
        gathered = _gathered(session, found)
    reports = _reports(services, gathered, deidentified=False)
    return sorted(reports, key=lambda r: (-r.incident.assessment.severity,
                                          -r.incident.assessment.last_seen, r.incident.id))


def incident_report(services: Services, incident_id: int, *,
                    deidentified: bool = False) -> IncidentReport:
    """One incident with its findings, devices, releases, open vulnerabilities, latest
    attestations and its ranked plan; with addresses and names replaced by pseudonyms
    when ``deidentified``."""
    with services.store.transaction() as session:
        correlate_kinds(session, None, datetime.now(UTC))
        incident = incident_store.incidents(session, ids=[incident_id]).get(incident_id)
        if incident is None:
            raise NotFoundError("app_no_incident", incident=incident_id)
        if incident.merged_into is not None:
            raise InputError("app_incident_merged", incident=incident_id,
                             into=incident.merged_into)
        gathered = _gathered(session, [incident])
    return _reports(services, gathered, deidentified=deidentified)[0]


# An incident with its findings and the facts about their devices.
_Gathered = tuple[StoredIncident, list[Anomaly], IncidentFacts]


def _gathered(session: Session, incidents: Sequence[StoredIncident]) -> list[_Gathered]:
    kinds = {i.kind for i in incidents}
    by_id = {a.finding_id: a for a in incident_store.anomalies(session, kinds)} if kinds else {}
    out = []
    for incident in incidents:
        members = [by_id[f] for f in incident.finding_ids if f in by_id]
        out.append((incident, members, _facts(session, members)))
    return out


def _reports(services: Services, gathered: Sequence[_Gathered], *, deidentified: bool,
             ) -> list[IncidentReport]:
    built = [_report(incident, members, facts, deidentified)
             for incident, members, facts in gathered]
    titles = _titles(services, {r for report in built for step in report.plan
                                for r in step.requirements})
    return [replace(r, requirement_titles={k: titles[k] for k in sorted(
        {q for step in r.plan for q in step.requirements}) if k in titles}) for r in built]


def _report(incident: StoredIncident, members: list[Anomaly], facts: IncidentFacts,
            deidentified: bool) -> IncidentReport:
    if deidentified:
        pseudonymous, declared = deidentify(members, facts.declared_ips)
        members = list(pseudonymous)
        facts = replace(facts, anomalies=pseudonymous, declared_ips=declared)
    assessed = assess(members, facts) if members else incident.assessment
    devices = {a.device.device_id: a.device for a in members if a.device}
    return IncidentReport(
        replace(incident, assessment=assessed),
        tuple(sorted(members, key=lambda a: (a.first_seen, a.finding_id))),
        tuple(v for d in sorted({d.release_id for d in devices.values()})
              for v in facts.vulnerabilities.get(d, ())),
        tuple((devices[k].name, v) for k, v in sorted(
            facts.attestations.items(), key=lambda i: devices[i[0]].name)),
        plan(members, facts, assessed.severity), {}, deidentified)


def _titles(services: Services, labels: Collection[str],
            ) -> dict[str, tuple[str, str | None, bool]]:
    """The shipped CPSF catalogue's title (en, ja) and whether it is provisional, of
    each of ``labels`` it holds."""
    if not labels:
        return {}
    held = {f.requirement.label: f.requirement
            for f in control_set(services, CPSF_CATALOGUE).items}
    return {label: (held[label].title, held[label].title_ja,
                    held[label].provisional is not None)
            for label in sorted(labels) if label in held}
