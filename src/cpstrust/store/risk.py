"""What the risk register of a site is computed from, read from the stored facts: its
zones with their criticality, its devices with their releases, suppliers and latest
attestation, the open vulnerability findings of those releases, the site's open OT
findings, the suppliers' stored trust verdicts and the operator's CPSF answers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from cpstrust.errors import NotFoundError
from cpstrust.model.advisory import Severity
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.model.trustpolicy import SubjectKind
from cpstrust.store.assessments import answers_of
from cpstrust.store.ot import list_ot_findings
from cpstrust.store.tables import (
    DeviceAttestationRow,
    DeviceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
    TrustVerdictRow,
    ZoneRow,
)
from cpstrust.timeutil import as_utc

_CHUNK = 900  # ids per IN list: under SQLite's oldest limit of 999 parameters


class StoredSite(NamedTuple):
    name: str
    kind: str
    operator: str
    zones: list[tuple[str, int | None]]  # in declaration order


class StoredDevice(NamedTuple):
    name: str
    zone: str | None
    release: int
    product: str
    version: str
    supplier: str
    attestation: str | None


class StoredVulnerability(NamedTuple):
    release: int
    vulnerability: str
    severity: int
    first_seen: datetime


class StoredOtSignal(NamedTuple):
    id: int
    device: str | None
    kind: str
    severity: Severity
    technique: str | None


def site(session: Session, name: str) -> StoredSite:
    row = session.execute(
        select(SiteRow.id, SiteRow.kind, OrganizationRow.name)
        .join(OrganizationRow, OrganizationRow.id == SiteRow.operator_id)
        .where(SiteRow.name == name)).first()
    if row is None:
        raise NotFoundError("risk_no_site", site=name)
    site_id, kind, operator = row
    zones = [(z, c) for z, c in session.execute(
        select(ZoneRow.name, ZoneRow.criticality).where(ZoneRow.site_id == site_id)
        .order_by(ZoneRow.id))]
    return StoredSite(name, kind, operator, zones)


def devices(session: Session, site_name: str) -> list[StoredDevice]:
    """The site's devices by name, with the verdict of each one's latest attestation."""
    supplier = aliased(OrganizationRow)
    latest = aliased(DeviceAttestationRow)
    newest = (select(func.max(latest.id)).where(latest.device_id == DeviceRow.id)
              .correlate(DeviceRow).scalar_subquery())
    query = (select(DeviceRow.name, ZoneRow.name, ReleaseRow.id, ProductRow.name,
                    ReleaseRow.version, supplier.name, DeviceAttestationRow.verdict)
             .join(SiteRow, SiteRow.id == DeviceRow.site_id)
             .join(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
             .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
             .join(supplier, supplier.id == ProductRow.supplier_id)
             .outerjoin(ZoneRow, ZoneRow.id == DeviceRow.zone_id)
             .outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == newest)
             .where(SiteRow.name == site_name).order_by(DeviceRow.name))
    return [StoredDevice(*row) for row in session.execute(query)]


def open_vulnerabilities(session: Session, release_ids: Collection[int],
                         ) -> list[StoredVulnerability]:
    """Open vulnerability findings (licence findings share the table, not the threat)."""
    ids = sorted(release_ids)
    out: list[StoredVulnerability] = []
    for start in range(0, len(ids), _CHUNK):
        out.extend(StoredVulnerability(r, v, s, as_utc(f)) for r, v, s, f in session.execute(
            select(FindingRow.release_id, FindingRow.vulnerability_id, FindingRow.severity,
                   FindingRow.first_seen)
            .where(FindingRow.kind == "vulnerability", FindingRow.status == "open",
                   FindingRow.release_id.in_(ids[start:start + _CHUNK]))
            .distinct()))
    return out


def open_ot_signals(session: Session, site_name: str) -> list[StoredOtSignal]:
    return [StoredOtSignal(f.id, f.device, f.kind, f.severity, f.technique)
            for f in list_ot_findings(session, "open", site_name, Severity.UNKNOWN)]


def organisation_verdicts(session: Session, names: Collection[str]) -> dict[str, str]:
    """The verdicts the last trust evaluation stored for these organisations."""
    rows = session.execute(
        select(TrustVerdictRow.name, TrustVerdictRow.verdict)
        .where(TrustVerdictRow.kind == SubjectKind.ORGANISATION.value,
               TrustVerdictRow.name.in_(sorted(names))))
    return {name: verdict for name, verdict in rows}  # dict() would take it for a mapping


def cpsf_answers(session: Session, organisation: str, catalog: str,
                 ) -> dict[str, RequirementStatus]:
    return {label: answer.status for (held, label), answer in answers_of(
        session, organisation).items() if held == catalog}
