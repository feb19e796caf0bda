"""Persist the supply-chain graph: organisations, products, releases, sites, devices.

Loading is idempotent: nodes are found by name and updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from cpstrust.errors import NotFoundError
from cpstrust.model.graph import GraphCounts, SupplyChain
from cpstrust.store.tables import (
    DeviceRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
    SupplierRelationRow,
    ZoneRow,
)


def organization(session: Session, name: str, *, create: bool = False) -> OrganizationRow:
    row = session.scalars(select(OrganizationRow).where(OrganizationRow.name == name)).first()
    if row is None:
        if not create:
            raise NotFoundError("store_no_organisation", name=name)
        row = OrganizationRow(name=name)
        session.add(row)
        session.flush()
    return row


def product(session: Session, name: str) -> ProductRow:
    row = session.scalars(select(ProductRow).where(ProductRow.name == name)).first()
    if row is None:
        raise NotFoundError("store_no_product", name=name)
    return row


def release(
    session: Session, product_row: ProductRow, version: str, *, create: bool = False
) -> ReleaseRow:
    row = session.scalars(
        select(ReleaseRow).where(
            ReleaseRow.product_id == product_row.id, ReleaseRow.version == version
        )
    ).first()
    if row is None:
        if not create:
            raise NotFoundError("store_no_release", product=product_row.name, version=version)
        row = ReleaseRow(product_id=product_row.id, version=version)
        session.add(row)
        session.flush()
    return row


def ensure_product(
    session: Session, name: str, supplier: str, kind: str = "device", description: str | None = None
) -> ProductRow:
    """The product named ``name``, created (supplied by ``supplier``) if missing."""
    org = organization(session, supplier, create=True)
    row = session.scalars(select(ProductRow).where(ProductRow.name == name)).first()
    if row is None:
        row = ProductRow(name=name, supplier_id=org.id, kind=kind, description=description)
        session.add(row)
        session.flush()
    else:
        row.supplier_id, row.kind = org.id, kind
        row.description = description or row.description
    return row


def load_supply_chain(session: Session, chain: SupplyChain) -> GraphCounts:
    """Write every node and edge of ``chain`` (inside the caller's transaction)."""
    orgs = {}
    for o in chain.organizations:
        row = organization(session, o.name, create=True)
        row.country, row.description = o.country, o.description
        orgs[o.name] = row
    for rel in chain.relations:
        session.merge(
            SupplierRelationRow(
                supplier_id=orgs[rel.supplier].id, customer_id=orgs[rel.customer].id, tier=rel.tier
            )
        )
    products = {
        p.name: ensure_product(session, p.name, p.supplier, p.kind, p.description)
        for p in chain.products
    }
    for r in chain.releases:
        release(session, products[r.product], r.version, create=True)
    for s in chain.sites:
        _load_site(session, s.name, orgs[s.operator].id, s.kind,
                   (s.zones, dict(s.zone_criticality)))
    for d in chain.devices:
        _load_device(
            session,
            d.name,
            release(session, products[d.product], d.version).id,
            d.site,
            d.zone,
            (d.serial, d.ip, d.mac),
        )
    return GraphCounts(
        len(chain.organizations),
        len(chain.relations),
        len(chain.products),
        len(chain.releases),
        len(chain.sites),
        len(chain.devices),
    )


def _load_site(
    session: Session, name: str, operator_id: int, kind: str,
    zones: tuple[tuple[str, ...], dict[str, int]],
) -> None:
    """``zones``: the names declared, and the criticality declared for some of them (a
    zone loaded again without one loses it: the file is the declaration)."""
    names, criticality = zones
    site = session.scalars(select(SiteRow).where(SiteRow.name == name)).first()
    if site is None:
        site = SiteRow(name=name, operator_id=operator_id, kind=kind)
        session.add(site)
        session.flush()
    site.operator_id, site.kind = operator_id, kind
    known = {z.name: z for z in session.scalars(select(ZoneRow).where(ZoneRow.site_id == site.id))}
    for zone in names:
        row = known.get(zone)
        if row is None:
            session.add(ZoneRow(site_id=site.id, name=zone, criticality=criticality.get(zone)))
        else:
            row.criticality = criticality.get(zone)
    session.flush()


def _load_device(
    session: Session,
    name: str,
    release_id: int,
    site_name: str,
    zone_name: str | None,
    identity: tuple[str | None, str | None, str | None],
) -> None:
    """``identity``: serial number, IP and MAC address."""
    serial, ip, mac = identity
    site = session.scalars(select(SiteRow).where(SiteRow.name == site_name)).one()
    zone_id = None
    if zone_name is not None:
        zone_id = session.scalars(
            select(ZoneRow.id).where(ZoneRow.site_id == site.id, ZoneRow.name == zone_name)
        ).one()
    row = session.scalars(select(DeviceRow).where(DeviceRow.name == name)).first()
    if row is None:
        session.add(
            DeviceRow(
                name=name, release_id=release_id, site_id=site.id, zone_id=zone_id,
                serial=serial, ip=ip, mac=mac,
            )
        )
    else:
        row.release_id, row.site_id, row.zone_id = release_id, site.id, zone_id
        row.serial, row.ip, row.mac = serial, ip, mac
    session.flush()


def release_ids(session: Session, product: str | None, version: str | None) -> list[int]:
    """Stored releases: all, one product's, or one release; by id."""
    query = select(ReleaseRow.id).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
    if product is not None:
        query = query.where(ProductRow.name == product)
    if version is not None:
        query = query.where(ReleaseRow.version == version)
    return list(session.scalars(query.order_by(ReleaseRow.id)))


def named_release_ids(session: Session, releases: Iterable[tuple[str, str]]) -> list[int]:
    """The ids of the stored releases among ``releases`` (product name, version)."""
    pairs = sorted(set(releases))
    ids: list[int] = []
    for start in range(0, len(pairs), 500):
        ids.extend(session.scalars(
            select(ReleaseRow.id).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .where(tuple_(ProductRow.name, ReleaseRow.version).in_(pairs[start : start + 500]))))
    return sorted(ids)


def supplier_of(session: Session, product_name: str) -> str | None:
    """The name of the organisation that supplies a product."""
    return session.scalar(
        select(OrganizationRow.name)
        .join(ProductRow, ProductRow.supplier_id == OrganizationRow.id)
        .where(ProductRow.name == product_name))


def release_suppliers(session: Session, release_ids: Sequence[int],
                      ) -> dict[int, tuple[str, str]]:
    """Each release's product name and the name of the organisation that supplies the
    product, by release id."""
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(release_ids), 500):
        for release_id, product_name, supplier in session.execute(
                select(ReleaseRow.id, ProductRow.name, OrganizationRow.name)
                .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
                .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
                .where(ReleaseRow.id.in_(release_ids[start : start + 500]))):
            out[release_id] = (product_name, supplier)
    return out


def unknown_names(session: Session, organisations: Iterable[str], products: Iterable[str],
                  ) -> tuple[list[str], list[str]]:
    """Of these organisation and product names, those no stored one has (sorted)."""
    return (_not_stored(session, OrganizationRow.name, organisations),
            _not_stored(session, ProductRow.name, products))


def _not_stored(session: Session, column: Any, names: Iterable[str]) -> list[str]:
    wanted = sorted(set(names))
    stored: set[str] = set()
    for start in range(0, len(wanted), 500):
        stored.update(session.scalars(select(column).where(
            column.in_(wanted[start : start + 500]))))
    return [n for n in wanted if n not in stored]
