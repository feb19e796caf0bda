"""OT incidents in the database, and the facts their correlation reads: alert findings
with their device's place in the graph, open vulnerability findings of releases, the
latest attestation of devices. Loads and saves; the rules are ``ot.incidents``."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cpstrust.formats.attestation import read_message, write_message
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.ot_incident import (
    Anomaly,
    Assessment,
    Basis,
    CorrelatedGroup,
    DeviceFacts,
    IncidentStatus,
    LatestAttestation,
    OpenVulnerability,
    StoredIncident,
)
from cpstrust.store.tables import (
    ComponentRow,
    DeviceAttestationRow,
    DeviceRow,
    FindingRow,
    OrganizationRow,
    OtFindingRow,
    OtIncidentFindingRow,
    OtIncidentRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
)
from cpstrust.timeutil import as_utc

_CHUNK = 500


def anomalies(session: Session, kinds: Collection[str]) -> list[Anomaly]:
    """The OT findings of ``kinds``, each with its device's release, product and
    supplier; by id."""
    query = (
        select(OtFindingRow, DeviceRow.id, DeviceRow.name, SiteRow.name, DeviceRow.ip,
               DeviceRow.mac, ReleaseRow.id, ProductRow.name, ReleaseRow.version,
               OrganizationRow.name)
        .outerjoin(DeviceRow, DeviceRow.id == OtFindingRow.device_id)
        .outerjoin(SiteRow, SiteRow.id == DeviceRow.site_id)
        .outerjoin(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
        .outerjoin(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .outerjoin(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
        .where(OtFindingRow.kind.in_(sorted(kinds)))
        .order_by(OtFindingRow.id))
    return [_anomaly(row[0], row[1:]) for row in session.execute(query)]


def _anomaly(row: OtFindingRow, device: Sequence[Any]) -> Anomaly:
    facts = tuple((str(k), str(v)) for k, v in orjson.loads(row.facts).items())
    return Anomaly(row.id, row.key, row.kind, row.technique, row.site, row.src, row.dst,
                   Severity(row.severity), row.explanation, facts, row.count,
                   row.first_seen, row.last_seen, row.status,
                   DeviceFacts(*device) if device[0] is not None else None)


def open_vulnerabilities(session: Session, release_ids: Collection[int],
                         ) -> dict[int, tuple[OpenVulnerability, ...]]:
    """The open vulnerability findings of these releases, by release id."""
    out: dict[int, list[OpenVulnerability]] = {}
    ids = sorted(release_ids)
    for start in range(0, len(ids), _CHUNK):
        query = (select(FindingRow.release_id, FindingRow.vulnerability_id,
                        FindingRow.severity, ComponentRow.name, ComponentRow.version,
                        FindingRow.fixed_versions)
                 .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
                 .where(FindingRow.release_id.in_(ids[start:start + _CHUNK]),
                        FindingRow.kind == FindingKind.VULNERABILITY.value,
                        FindingRow.status == FindingStatus.OPEN.value)
                 .order_by(FindingRow.id))
        for release_id, vid, severity, name, version, fixed in session.execute(query):
            out.setdefault(release_id, []).append(OpenVulnerability(
                release_id, vid, Severity(severity), name, version,
                tuple(str(v) for v in orjson.loads(fixed))))
    return {k: tuple(v) for k, v in out.items()}


def latest_attestations(session: Session, device_ids: Collection[int],
                        ) -> dict[int, LatestAttestation]:
    """The latest appraisal of each of these devices that has one, by device id."""
    out: dict[int, LatestAttestation] = {}
    ids = sorted(device_ids)
    for start in range(0, len(ids), _CHUNK):
        latest = (select(func.max(DeviceAttestationRow.id))
                  .where(DeviceAttestationRow.device_id.in_(ids[start:start + _CHUNK]))
                  .group_by(DeviceAttestationRow.device_id))
        query = select(DeviceAttestationRow.device_id, DeviceAttestationRow.verdict,
                       DeviceAttestationRow.appraised_at
                       ).where(DeviceAttestationRow.id.in_(latest))
        for device_id, verdict, at in session.execute(query):
            out[device_id] = LatestAttestation(device_id, verdict, as_utc(at))
    return out


def declared_ips(session: Session) -> frozenset[str]:
    return frozenset(session.scalars(select(DeviceRow.ip).where(DeviceRow.ip.is_not(None))))


def membership(session: Session, finding_ids: Collection[int]) -> dict[int, int]:
    """Finding id → the incident holding it, for these findings."""
    out: dict[int, int] = {}
    ids = sorted(finding_ids)
    for start in range(0, len(ids), _CHUNK):
        for finding_id, incident_id in session.execute(
                select(OtIncidentFindingRow.finding_id, OtIncidentFindingRow.incident_id)
                .where(OtIncidentFindingRow.finding_id.in_(ids[start:start + _CHUNK]))):
            out[finding_id] = incident_id
    return out


def incidents(session: Session, *, kinds: Collection[str] | None = None,
              ids: Collection[int] | None = None) -> dict[int, StoredIncident]:
    """Stored incidents of ``kinds`` or with ``ids`` (all when neither), by id."""
    query = select(OtIncidentRow).order_by(OtIncidentRow.id)
    if kinds is not None:
        query = query.where(OtIncidentRow.kind.in_(sorted(kinds)))
    if ids is not None:
        query = query.where(OtIncidentRow.id.in_(sorted(ids)))
    rows = list(session.scalars(query))
    members: dict[int, list[int]] = {}
    chosen = [r.id for r in rows]
    for start in range(0, len(chosen), _CHUNK):
        for finding_id, incident_id in session.execute(
                select(OtIncidentFindingRow.finding_id, OtIncidentFindingRow.incident_id)
                .where(OtIncidentFindingRow.incident_id.in_(chosen[start:start + _CHUNK]))):
            members.setdefault(incident_id, []).append(finding_id)
    return {r.id: _stored(r, tuple(sorted(members.get(r.id, ())))) for r in rows}


def _stored(row: OtIncidentRow, finding_ids: tuple[int, ...]) -> StoredIncident:
    assessment = Assessment(
        Severity(row.base_severity), Severity(row.severity),
        tuple(read_message(m) for m in orjson.loads(row.reasons)),
        IncidentStatus(row.status) if row.status != IncidentStatus.MERGED.value
        else IncidentStatus.RESOLVED,
        row.first_seen, row.last_seen, row.devices, row.sites)
    return StoredIncident(row.id, row.kind, row.technique, Basis(row.basis), assessment,
                          row.merged_into, as_utc(row.created_at), as_utc(row.updated_at),
                          finding_ids)


def _values(group: CorrelatedGroup, a: Assessment) -> dict[str, Any]:
    return {"kind": group.kind, "technique": group.technique, "basis": group.basis.value,
            "base_severity": int(a.base_severity), "severity": int(a.severity),
            "reasons": orjson.dumps([write_message(r) for r in a.reasons]).decode(),
            "status": a.status.value, "first_seen": a.first_seen, "last_seen": a.last_seen,
            "devices": a.devices, "sites": a.sites}


def insert_incident(session: Session, group: CorrelatedGroup, a: Assessment,
                    at: datetime) -> int:
    row = OtIncidentRow(**_values(group, a), merged_into=None, created_at=at, updated_at=at)
    session.add(row)
    session.flush()
    _set_members(session, row.id, group.finding_ids)
    return row.id


def update_incident(session: Session, incident_id: int, group: CorrelatedGroup,
                    a: Assessment, at: datetime) -> None:
    row = session.get_one(OtIncidentRow, incident_id)
    for name, value in _values(group, a).items():
        setattr(row, name, value)
    row.merged_into, row.updated_at = None, at
    _set_members(session, incident_id, group.finding_ids)


def mark_merged(session: Session, incident_id: int, into: int, at: datetime) -> None:
    row = session.get_one(OtIncidentRow, incident_id)
    row.status, row.merged_into, row.updated_at = IncidentStatus.MERGED.value, into, at


def _set_members(session: Session, incident_id: int, finding_ids: Iterable[int]) -> None:
    ids = sorted(finding_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        session.execute(delete(OtIncidentFindingRow)
                        .where(OtIncidentFindingRow.finding_id.in_(chunk)))
        session.add_all(OtIncidentFindingRow(finding_id=f, incident_id=incident_id)
                        for f in chunk)
    session.flush()
