"""Reads of one tenant's part of the supply chain: its supplier relations, the sites it
operates with their zones and devices, a device's attestation history. Each function
takes the organisation it reads for (``viewer``) and filters by it in the query: a site
is its operator's, and so are the zones and devices in it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from cpstrust.model.attestation import AttestationVerdict
from cpstrust.model.pages import Page, PageRequest
from cpstrust.model.tenancy import (
    AttestationEntry,
    DeviceView,
    RelationSide,
    SiteView,
    SupplierRelationView,
    ZoneView,
)
from cpstrust.model.trustpolicy import Verdict
from cpstrust.store.attestation import (
    latest_attestation_id,
    open_device_findings,
    stored_reasons,
)
from cpstrust.store.identity import aware
from cpstrust.store.tables import (
    DeviceAttestationRow,
    DeviceRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
    SupplierRelationRow,
    TrustDeviceVerdictRow,
    ZoneRow,
)
from cpstrust.store.tenancy import keyset, page_of, product_visible_to


def supplier_relations(session: Session, viewer: int, side: RelationSide,
                       page: PageRequest) -> Page[SupplierRelationView]:
    """The organisations that supply the viewer, or those it supplies, by name."""
    if side is RelationSide.SUPPLIERS:
        mine, other = SupplierRelationRow.customer_id, SupplierRelationRow.supplier_id
    else:
        mine, other = SupplierRelationRow.supplier_id, SupplierRelationRow.customer_id
    query = (select(OrganizationRow.id, OrganizationRow.name, SupplierRelationRow.tier)
             .join(SupplierRelationRow, other == OrganizationRow.id)
             .where(mine == viewer))
    rows = session.execute(keyset(query, OrganizationRow.name, OrganizationRow.id, page))
    views = [SupplierRelationView(oid, name, side, tier) for oid, name, tier in rows]
    return page_of(views, page, lambda v: (v.organisation, v.organisation_id))


def sites(session: Session, viewer: int, page: PageRequest) -> Page[SiteView]:
    """The sites the viewer operates, with how many zones and devices each holds."""
    zones = (select(func.count()).select_from(ZoneRow)
             .where(ZoneRow.site_id == SiteRow.id).scalar_subquery())
    devices = (select(func.count()).select_from(DeviceRow)
               .where(DeviceRow.site_id == SiteRow.id).scalar_subquery())
    query = (select(SiteRow.id, SiteRow.name, SiteRow.kind, zones, devices)
             .where(SiteRow.operator_id == viewer))
    rows = session.execute(keyset(query, SiteRow.name, SiteRow.id, page))
    views = [SiteView(sid, name, kind, int(z or 0), int(d or 0))
             for sid, name, kind, z, d in rows]
    return page_of(views, page, lambda v: (v.name, v.id))


def operated_site(session: Session, viewer: int, name: str) -> int | None:
    """The id of the viewer's site ``name`` (None for another's, or none)."""
    return session.scalar(select(SiteRow.id).where(SiteRow.name == name,
                                                   SiteRow.operator_id == viewer))


def zones(session: Session, viewer: int, site: str, page: PageRequest) -> Page[ZoneView]:
    """The zones of the viewer's site ``site``, by name."""
    devices = (select(func.count()).select_from(DeviceRow)
               .where(DeviceRow.zone_id == ZoneRow.id).scalar_subquery())
    query = (select(ZoneRow.id, SiteRow.name, ZoneRow.name, ZoneRow.criticality, devices)
             .join(SiteRow, SiteRow.id == ZoneRow.site_id)
             .where(SiteRow.name == site, SiteRow.operator_id == viewer))
    rows = session.execute(keyset(query, ZoneRow.name, ZoneRow.id, page))
    views = [ZoneView(zid, site_name, name, criticality, int(d or 0))
             for zid, site_name, name, criticality, d in rows]
    return page_of(views, page, lambda v: (v.name, v.id))


def _device_query(viewer: int) -> Select[*tuple[Any, ...]]:
    """Devices at the viewer's sites with their latest attestation and trust verdict,
    and the product and version they run when the viewer may see the product (its own,
    or granted: as row-level security shows it on PostgreSQL)."""
    latest, open_count = latest_attestation_id(), open_device_findings()
    zone = aliased(ZoneRow)
    return (
        select(DeviceRow.id, DeviceRow.name, SiteRow.name, zone.name, ProductRow.name,
               ReleaseRow.version, DeviceAttestationRow.verdict,
               DeviceAttestationRow.appraised_at, TrustDeviceVerdictRow.verdict, open_count)
        .join(SiteRow, SiteRow.id == DeviceRow.site_id)
        .outerjoin(zone, zone.id == DeviceRow.zone_id)
        .outerjoin(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
        .outerjoin(ProductRow, and_(ProductRow.id == ReleaseRow.product_id,
                                    product_visible_to(viewer)))
        .outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == latest)
        .outerjoin(TrustDeviceVerdictRow, TrustDeviceVerdictRow.device_id == DeviceRow.id)
        .where(SiteRow.operator_id == viewer)
    )


def _device_view(row: Any) -> DeviceView:
    did, name, site, zone, product, version, verdict, appraised, trust, count = row
    return DeviceView(did, name, site, zone, product, version if product else None,
                      AttestationVerdict(verdict) if verdict else None,
                      aware(appraised) if appraised else None,
                      Verdict(trust) if trust else None, int(count or 0))


def devices(session: Session, viewer: int, page: PageRequest, *, site: str | None = None,
            attestation: AttestationVerdict | None = None) -> Page[DeviceView]:
    """The devices at the viewer's sites (or at one of them), by name."""
    query = _device_query(viewer)
    if site is not None:
        query = query.where(SiteRow.name == site)
    if attestation is not None:
        query = query.where(DeviceAttestationRow.verdict == attestation.value)
    views = [_device_view(row) for row in
             session.execute(keyset(query, DeviceRow.name, DeviceRow.id, page))]
    return page_of(views, page, lambda v: (v.name, v.id))


def operated_device(session: Session, viewer: int, name: str) -> DeviceView | None:
    """Device ``name`` if it stands at one of the viewer's sites."""
    row = session.execute(_device_query(viewer).where(DeviceRow.name == name)).first()
    return None if row is None else _device_view(row)


def attestations(session: Session, device_id: int, most: int) -> list[AttestationEntry]:
    """The newest ``most`` appraisals of a device, newest first."""
    rows = session.scalars(select(DeviceAttestationRow)
                           .where(DeviceAttestationRow.device_id == device_id)
                           .order_by(DeviceAttestationRow.id.desc()).limit(most))
    return [AttestationEntry(r.id, AttestationVerdict(r.verdict), stored_reasons(r.reasons),
                             r.signer_keyid, aware(r.appraised_at)) for r in rows]
