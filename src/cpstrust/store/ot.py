"""The OT asset inventory and OT findings in the database. Loads and saves; what
merges and which finding opens, refreshes or resolves is decided in the model and the
application layer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingStatus
from cpstrust.model.lifecycle import Decider, KeptFinding
from cpstrust.model.ot_inventory import (
    DeclaredDevice,
    InventoryAsset,
    OtObservation,
    StoredOtFinding,
)
from cpstrust.store.tables import DeviceRow, OtAssetRow, OtFindingRow, ReleaseRow, SiteRow

_CHUNK = 500


def _asset(row: OtAssetRow) -> InventoryAsset:
    f: dict[str, Any] = orjson.loads(row.facts)
    return InventoryAsset(row.ip, tuple(f["macs"]), tuple(f["roles"]), tuple(f["protocols"]),
                          tuple(f["unit_ids"]),
                          tuple((int(i), v) for i, v in f["bacnet_devices"]),
                          tuple(f["talkers"]), row.first_seen, row.last_seen)


def _facts(a: InventoryAsset) -> str:
    return orjson.dumps({"macs": a.macs, "roles": a.roles, "protocols": a.protocols,
                         "unit_ids": a.unit_ids, "bacnet_devices": a.bacnet_devices,
                         "talkers": a.talkers}).decode()


def inventory(session: Session, site: str) -> dict[str, InventoryAsset]:
    """The stored inventory of ``site`` ("" for none), by IP."""
    return {row.ip: _asset(row) for row in
            session.scalars(select(OtAssetRow).where(OtAssetRow.site == site))}


def save_assets(session: Session, site: str, assets: Iterable[InventoryAsset]) -> None:
    """Write these (already merged) entries of ``site``'s inventory."""
    rows = {row.ip: row for row in
            session.scalars(select(OtAssetRow).where(OtAssetRow.site == site))}
    for a in assets:
        row = rows.get(a.ip)
        if row is None:
            session.add(OtAssetRow(site=site, ip=a.ip, facts=_facts(a),
                                   first_seen=a.first_seen, last_seen=a.last_seen))
        else:
            row.facts, row.first_seen, row.last_seen = _facts(a), a.first_seen, a.last_seen
    session.flush()


def site_exists(session: Session, site: str) -> bool:
    return session.scalar(select(SiteRow.id).where(SiteRow.name == site)) is not None


def declared_devices(session: Session, site: str | None) -> list[DeclaredDevice]:
    """The devices of ``site`` (every site's when None) with their addresses."""
    query = (select(DeviceRow.id, DeviceRow.name, SiteRow.name, DeviceRow.ip, DeviceRow.mac)
             .join(SiteRow, SiteRow.id == DeviceRow.site_id))
    if site is not None:
        query = query.where(SiteRow.name == site)
    return [DeclaredDevice(*row) for row in session.execute(query.order_by(DeviceRow.name))]


def device_release(session: Session, device_id: int) -> tuple[int, str] | None:
    """The release id and version a device runs."""
    row = session.execute(select(ReleaseRow.id, ReleaseRow.version)
                          .join(DeviceRow, DeviceRow.release_id == ReleaseRow.id)
                          .where(DeviceRow.id == device_id)).first()
    return None if row is None else (row[0], row[1])


# A stored OT finding as the lifecycle and events need it.
KeptOt = tuple[int, KeptFinding, StoredOtFinding]


def kept_ot_findings(session: Session, *, keys: Sequence[str] = (),
                     kinds: Sequence[str] = (), site: str | None = None,
                     ) -> dict[str, KeptOt]:
    """Stored OT findings with one of ``keys``, or of ``kinds`` (of ``site``), by key."""
    out: dict[str, KeptOt] = {}
    if keys:
        for start in range(0, len(keys), _CHUNK):
            query = _listing().where(OtFindingRow.key.in_(keys[start:start + _CHUNK]))
            out.update(_kept(session, query))
    if kinds:
        query = _listing().where(OtFindingRow.kind.in_(list(kinds)))
        if site is not None:
            query = query.where(OtFindingRow.site == site)
        out.update(_kept(session, query))
    return out


def _kept(session: Session, query: Any) -> dict[str, KeptOt]:
    found = {}
    for row, device in session.execute(query):
        finding = _stored(row, device)
        found[row.key] = (row.id, KeptFinding(FindingStatus(row.status),
                                              Decider(row.decided_by)), finding)
    return found


def _listing() -> Any:
    return (select(OtFindingRow, DeviceRow.name)
            .outerjoin(DeviceRow, DeviceRow.id == OtFindingRow.device_id))


def _stored(row: OtFindingRow, device: str | None) -> StoredOtFinding:
    facts = tuple((str(k), str(v)) for k, v in orjson.loads(row.facts).items())
    return StoredOtFinding(row.id, row.key, row.kind, row.site, device, row.src, row.dst,
                           Severity(row.severity), row.technique, row.explanation, facts,
                           row.count, row.first_seen, row.last_seen, row.status,
                           row.decided_by, row.note)


def insert_ot_finding(session: Session, o: OtObservation, device_id: int | None) -> int:
    row = OtFindingRow(key=o.key, kind=o.kind, site=o.site, device_id=device_id, src=o.src,
                       dst=o.dst, severity=int(o.severity), technique=o.technique,
                       explanation=o.explanation,
                       facts=orjson.dumps(dict(o.facts)).decode(),
                       count=max(o.occurrences, 1), first_seen=o.first_seen,
                       last_seen=o.last_seen, status=FindingStatus.OPEN.value,
                       decided_by=Decider.ENGINE.value)
    session.add(row)
    session.flush()
    return row.id


def refresh_ot_finding(session: Session, finding_id: int, o: OtObservation, *,
                       reopen: bool) -> None:
    """Seen again: count and last seen grow; ``reopen`` sets it open, by the engine."""
    values: dict[str, object] = {"count": OtFindingRow.count + o.occurrences,
                                 "severity": int(o.severity)}
    if reopen:
        values |= {"status": FindingStatus.OPEN.value, "decided_by": Decider.ENGINE.value,
                   "note": None}
    session.execute(update(OtFindingRow).where(OtFindingRow.id == finding_id).values(values))
    session.execute(update(OtFindingRow)
                    .where(OtFindingRow.id == finding_id, OtFindingRow.last_seen < o.last_seen)
                    .values(last_seen=o.last_seen))


def resolve_ot_findings(session: Session, finding_ids: Sequence[int], note: str) -> None:
    for start in range(0, len(finding_ids), _CHUNK):
        session.execute(update(OtFindingRow)
                        .where(OtFindingRow.id.in_(finding_ids[start:start + _CHUNK]))
                        .values(status=FindingStatus.FIXED.value, note=note,
                                decided_by=Decider.ENGINE.value))


def ot_finding_exists(session: Session, finding_id: int) -> bool:
    return session.get(OtFindingRow, finding_id) is not None


def ot_finding_kinds(session: Session, finding_ids: Sequence[int]) -> set[str]:
    return set(session.scalars(select(OtFindingRow.kind)
                               .where(OtFindingRow.id.in_(list(finding_ids)))))


def set_ot_status(session: Session, finding_id: int, status: FindingStatus,
                  note: str | None) -> None:
    """A person's decision on an OT finding."""
    session.execute(update(OtFindingRow).where(OtFindingRow.id == finding_id)
                    .values(status=status.value, note=note, decided_by=Decider.PERSON.value))


def list_ot_findings(session: Session, status: str | None, site: str | None,
                     min_severity: Severity) -> list[StoredOtFinding]:
    """OT findings, worst first, then the most recent."""
    query = _listing().where(OtFindingRow.severity >= int(min_severity))
    if status is not None:
        query = query.where(OtFindingRow.status == status)
    if site is not None:
        query = query.where(OtFindingRow.site == site)
    query = query.order_by(OtFindingRow.severity.desc(), OtFindingRow.last_seen.desc(),
                           OtFindingRow.id)
    return [_stored(row, device) for row, device in session.execute(query)]
