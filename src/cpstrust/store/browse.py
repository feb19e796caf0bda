"""Reads of the web UI's pages for one viewer (``model.browse``): every query filters by
what the viewer may see, as ``store.tenancy`` does — products it owns or was granted
(with their releases and findings), devices and sites it operates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from cpstrust.model.browse import ComponentLine, ReleaseHeading, ReleaseLine
from cpstrust.model.finding import FindingStatus
from cpstrust.model.product_report import PathStep
from cpstrust.model.reports import StoredFinding
from cpstrust.model.tenancy import Access, ProductView
from cpstrust.store.identity import aware
from cpstrust.store.reports import finding_query, stored_finding
from cpstrust.store.tables import (
    ComponentDependencyRow,
    ComponentRow,
    DeviceRow,
    EvidenceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
    SiteRow,
)
from cpstrust.store.tenancy import product_visible_to


@dataclass(frozen=True, slots=True)
class VisibleRelease:
    heading: ReleaseHeading
    sbom_id: int | None  # the current SBOM's
    subject_ref: str | None  # what the current SBOM says it describes
    subject_name: str | None
    subject_version: str | None


@dataclass(frozen=True, slots=True)
class KeptEnvelope:
    id: int
    envelope: bytes
    source: str | None
    received_at: datetime
    document_sha256: str | None


@dataclass(frozen=True, slots=True)
class OperatedDevice:
    id: int
    name: str
    site: str
    release_id: int
    release_visible: bool  # the viewer sees the product the device runs


def _access(supplier_id: int, viewer: int) -> Access:
    return Access.OWN if supplier_id == viewer else Access.GRANTED


def visible_products(session: Session, viewer: int, limit: int,
                     product_id: int | None = None) -> list[ProductView]:
    """The products the viewer sees (or the one with ``product_id``), by name."""
    query = (select(ProductRow, OrganizationRow.name)
             .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
             .where(product_visible_to(viewer)))
    if product_id is not None:
        query = query.where(ProductRow.id == product_id)
    rows = session.execute(query.order_by(ProductRow.name, ProductRow.id).limit(limit))
    return [ProductView(p.id, p.name, org, p.kind, p.description,
                        _access(p.supplier_id, viewer)) for p, org in rows]


def visible_releases(session: Session, viewer: int, limit: int,
                     product_id: int | None = None,
                     counted: bool = True) -> list[tuple[int, ReleaseLine]]:
    """(product id, release) of the products the viewer sees, by product then version,
    with the components of the current SBOM and the open findings of each when
    ``counted`` (else 0: the graph shows no counts, and they cost a scan per release)."""
    components = (select(func.count()).select_from(ComponentRow)
                  .where(ComponentRow.release_id == ReleaseRow.id).scalar_subquery())
    open_findings = (select(func.count()).select_from(FindingRow)
                     .where(FindingRow.release_id == ReleaseRow.id,
                            FindingRow.status == FindingStatus.OPEN.value).scalar_subquery())
    counts = (components, open_findings) if counted else (literal(0), literal(0))
    query = (select(ReleaseRow.product_id, ReleaseRow.id, ReleaseRow.version, *counts)
             .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
             .where(product_visible_to(viewer)))
    if product_id is not None:
        query = query.where(ReleaseRow.product_id == product_id)
    rows = session.execute(query.order_by(ReleaseRow.product_id, ReleaseRow.version,
                                          ReleaseRow.id).limit(limit))
    return [(pid, ReleaseLine(rid, version, int(n or 0), int(m or 0)))
            for pid, rid, version, n, m in rows]


def visible_release(session: Session, viewer: int, release_id: int) -> VisibleRelease | None:
    """The release with ``release_id`` if the viewer sees its product, with its
    current SBOM (the one stored last)."""
    stored = aliased(SbomDocumentRow)
    current = (select(func.max(stored.id)).where(stored.release_id == ReleaseRow.id)
               .correlate(ReleaseRow).scalar_subquery())
    row = session.execute(
        select(ReleaseRow.id, ProductRow.id, ProductRow.name, OrganizationRow.name,
               ReleaseRow.version, ProductRow.supplier_id, SbomDocumentRow.id,
               SbomDocumentRow.sha256, SbomDocumentRow.subject_ref,
               SbomDocumentRow.subject_name, SbomDocumentRow.subject_version)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
        .outerjoin(SbomDocumentRow, SbomDocumentRow.id == current)
        .where(ReleaseRow.id == release_id, product_visible_to(viewer))).first()
    if row is None:
        return None
    (rid, pid, product, supplier, version, supplier_id, sbom_id, sha, ref, name,
     subject_version) = tuple(row)
    heading = ReleaseHeading(rid, pid, product, supplier, version,
                             _access(supplier_id, viewer), sha)
    return VisibleRelease(heading, sbom_id, ref, name, subject_version)


def release_components(session: Session, release_id: int,
                       limit: int) -> tuple[list[ComponentLine], int]:
    """The first ``limit`` components of a release by name, and how many it has."""
    rows = session.execute(
        select(ComponentRow.ref, ComponentRow.name, ComponentRow.version, ComponentRow.purl,
               ComponentRow.type, func.count().over())
        .where(ComponentRow.release_id == release_id)
        .order_by(ComponentRow.name, ComponentRow.version, ComponentRow.id).limit(limit)).all()
    total = int(rows[0][5]) if rows else 0
    return [ComponentLine(ref, name, version, purl, kind)
            for ref, name, version, purl, kind, _ in rows], total


def release_findings(session: Session, release_id: int, limit: int,
                     after: tuple[int, int] | None) -> list[tuple[StoredFinding, str]]:
    """At most ``limit`` findings of a release, worst first (severity descending, then
    id), from after the (severity, id) ``after``; each with its component's ref."""
    query: Any = finding_query().add_columns(ComponentRow.ref).where(
        FindingRow.release_id == release_id)
    if after is not None:
        severity, last = after
        query = query.where(or_(FindingRow.severity < severity,
                                and_(FindingRow.severity == severity, FindingRow.id > last)))
    rows = session.execute(query.order_by(FindingRow.severity.desc(), FindingRow.id)
                           .limit(limit))
    return [(stored_finding(tuple(row)[:-1]), str(row[-1])) for row in rows]


def named_dependencies(session: Session, sbom_id: int) -> list[tuple[PathStep, PathStep]]:
    """The dependency edges of a stored SBOM in document order, each end with its
    component's name and version (an end that is no component: its ref as its name),
    in one query, as ``store.sboms.sbom_dependencies`` reads the refs."""
    source, sink = aliased(ComponentRow), aliased(ComponentRow)
    edge = ComponentDependencyRow
    rows = session.execute(
        select(func.coalesce(source.ref, edge.ref), source.name, source.version,
               func.coalesce(sink.ref, edge.depends_on), sink.name, sink.version)
        .select_from(edge)
        .outerjoin(source, source.id == edge.component_id)
        .outerjoin(sink, sink.id == edge.depends_on_id)
        .where(edge.sbom_id == sbom_id)
        .order_by(edge.id))
    return [(PathStep(ref, name or ref, version), PathStep(dep, dep_name or dep, dep_version))
            for ref, name, version, dep, dep_name, dep_version in rows]


def release_envelopes(session: Session, release_id: int,
                      predicate_type: str) -> list[KeptEnvelope]:
    """The signed releases kept as evidence of a release, newest first."""
    rows = session.scalars(select(EvidenceRow).where(
        EvidenceRow.release_id == release_id, EvidenceRow.predicate_type == predicate_type)
        .order_by(EvidenceRow.id.desc()))
    return [KeptEnvelope(r.id, r.envelope, r.source, aware(r.received_at), r.document_sha256)
            for r in rows]


def operated_devices(session: Session, viewer: int, limit: int) -> list[OperatedDevice]:
    """The devices at the sites the viewer operates, by site then name; whether the
    viewer also sees the product each runs."""
    rows = session.execute(
        select(DeviceRow.id, DeviceRow.name, SiteRow.name, DeviceRow.release_id,
               product_visible_to(viewer))
        .join(SiteRow, SiteRow.id == DeviceRow.site_id)
        # Outer joins: on PostgreSQL row-level security hides a release the viewer may
        # not see (migration 0023), and the device is shown all the same.
        .outerjoin(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
        .outerjoin(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(SiteRow.operator_id == viewer)
        .order_by(SiteRow.name, DeviceRow.name).limit(limit))
    return [OperatedDevice(did, name, site, rid, bool(seen))
            for did, name, site, rid, seen in rows]


def operated_sites(session: Session, viewer: int, limit: int) -> list[tuple[int, str]]:
    """(id, name) of the sites the viewer operates, by name."""
    rows = session.execute(select(SiteRow.id, SiteRow.name)
                           .where(SiteRow.operator_id == viewer)
                           .order_by(SiteRow.name).limit(limit))
    return [(sid, name) for sid, name in rows]
