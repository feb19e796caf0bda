"""Read-only views over the store for reports: findings lists, the portfolio summary, and
what a product's report reads of one release."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.lifecycle import Decider
from cpstrust.model.product_report import FindingVex, ReportFinding, ReportSbom
from cpstrust.model.reports import ReleaseSummary, StoredFinding, VulnerabilitySpread
from cpstrust.model.vex import VexStatus
from cpstrust.store.tables import (
    ComponentRow,
    DeviceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
    VexDocumentRow,
    VulnerabilityRow,
)


def finding_query() -> Select[*tuple[Any, ...]]:
    """Findings with their product, release, supplier and component, as
    ``stored_finding`` reads them."""
    query: Select[*tuple[Any, ...]] = (
        select(
            FindingRow.id,
            ProductRow.name,
            ReleaseRow.version,
            OrganizationRow.name,
            ComponentRow.name,
            ComponentRow.version,
            ComponentRow.purl,
            FindingRow.vulnerability_id,
            VulnerabilityRow.aliases,
            FindingRow.severity,
            FindingRow.status,
            FindingRow.fixed_versions,
            FindingRow.note,
            FindingRow.version_compared,
            FindingRow.vex_status,
            FindingRow.justification,
            FindingRow.kind,
            FindingRow.licence,
        )
        .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
        .join(ReleaseRow, ReleaseRow.id == FindingRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
        .outerjoin(VulnerabilityRow, VulnerabilityRow.id == FindingRow.vulnerability_id)
    )
    return query


def stored_finding(row: Row[Any] | tuple[Any, ...]) -> StoredFinding:
    (fid, prod, rel, sup, comp, ver, purl, vid, aliases, sev, st, fixed, note, compared,
     vex, justification, finding_kind, licence) = tuple(row)
    return StoredFinding(
        fid, prod, rel, sup, comp, ver, purl, vid,
        tuple(orjson.loads(aliases)) if aliases else (),
        Severity(sev), st, tuple(orjson.loads(fixed)), note, compared, vex, justification,
        FindingKind(finding_kind), licence,
    )


def list_findings(
    session: Session,
    *,
    status: str | None = None,
    product: str | None = None,
    min_severity: Severity = Severity.UNKNOWN,
    kind: FindingKind | None = None,
    limit: int = 10_000,
) -> list[StoredFinding]:
    query = (
        finding_query()
        .where(FindingRow.severity >= int(min_severity))
        .order_by(
            FindingRow.severity.desc(),
            ProductRow.name,
            ReleaseRow.version,
            ComponentRow.name,
            FindingRow.vulnerability_id,
        )
        .limit(limit)
    )
    if status is not None:
        query = query.where(FindingRow.status == status)
    if product is not None:
        query = query.where(ProductRow.name == product)
    if kind is not None:
        query = query.where(FindingRow.kind == kind.value)
    return [stored_finding(row) for row in session.execute(query)]


def release_summaries(session: Session) -> list[ReleaseSummary]:
    components = {
        rid: n
        for rid, n in session.execute(
            select(ComponentRow.release_id, func.count()).group_by(ComponentRow.release_id)
        )
    }
    devices = {
        rid: n
        for rid, n in session.execute(
            select(DeviceRow.release_id, func.count()).group_by(DeviceRow.release_id)
        )
    }
    open_counts: dict[int, dict[Severity, int]] = {}
    for rid, sev, n in session.execute(
        select(FindingRow.release_id, FindingRow.severity, func.count())
        .where(FindingRow.status == "open")
        .group_by(FindingRow.release_id, FindingRow.severity)
    ):
        open_counts.setdefault(rid, {})[Severity(sev)] = n
    rows = session.execute(
        select(ReleaseRow.id, ProductRow.name, ReleaseRow.version, OrganizationRow.name)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
        .order_by(ProductRow.name, ReleaseRow.version)
    )
    return [
        ReleaseSummary(
            prod, ver, sup, components.get(rid, 0), devices.get(rid, 0), open_counts.get(rid, {})
        )
        for rid, prod, ver, sup in rows
    ]


def vulnerability_spread(session: Session, limit: int = 10) -> list[VulnerabilitySpread]:
    """Open vulnerabilities ranked by severity, then by how many releases they reach."""
    releases = func.count(func.distinct(FindingRow.release_id))
    query = (
        select(
            VulnerabilityRow.id,
            VulnerabilityRow.severity,
            VulnerabilityRow.summary,
            releases,
            func.count(func.distinct(DeviceRow.id)),
        )
        .join(FindingRow, FindingRow.vulnerability_id == VulnerabilityRow.id)
        .outerjoin(DeviceRow, DeviceRow.release_id == FindingRow.release_id)
        .where(FindingRow.status == "open")
        .group_by(VulnerabilityRow.id, VulnerabilityRow.severity, VulnerabilityRow.summary)
        .order_by(VulnerabilityRow.severity.desc(), releases.desc(), VulnerabilityRow.id)
        .limit(limit)
    )
    return [
        VulnerabilitySpread(vid, Severity(sev), n_releases, n_devices, summary)
        for vid, sev, summary, n_releases, n_devices in session.execute(query)
    ]


def product_versions(session: Session, product: str) -> list[str]:
    """The versions of a product's stored releases, in the order they were stored."""
    return list(session.scalars(
        select(ReleaseRow.version).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.name == product).order_by(ReleaseRow.id)))


def newest_release_sbom(session: Session, release_ids: Sequence[int],
                        ) -> tuple[int, str, ReportSbom] | None:
    """Of ``release_ids``, the one stored last that has an SBOM: (its id, its version, its
    current SBOM)."""
    row = session.execute(
        select(SbomDocumentRow.release_id, ReleaseRow.version, SbomDocumentRow.format,
               SbomDocumentRow.spec_version, SbomDocumentRow.serial, SbomDocumentRow.sha256,
               SbomDocumentRow.source_name, SbomDocumentRow.received_at)
        .join(ReleaseRow, ReleaseRow.id == SbomDocumentRow.release_id)
        .where(SbomDocumentRow.release_id.in_(release_ids))
        .order_by(SbomDocumentRow.release_id.desc(), SbomDocumentRow.id.desc())
        .limit(1)).first()
    if row is None:
        return None
    release_id, version, fmt, spec_version, serial, sha256, source_name, received_at = row
    return release_id, version, ReportSbom(fmt, spec_version, serial, sha256, source_name,
                                           received_at)


def release_finding_details(session: Session, release_id: int) -> list[ReportFinding]:
    """The vulnerability findings of a release, worst first, with the VEX statement
    that decided each and the stored document it is in."""
    rows = session.execute(
        select(ComponentRow.ref, FindingRow.vulnerability_id, VulnerabilityRow.aliases,
               FindingRow.severity, VulnerabilityRow.summary, FindingRow.status,
               FindingRow.version_compared, FindingRow.fixed_versions, FindingRow.decided_by,
               FindingRow.note, FindingRow.vex_status, FindingRow.justification,
               VexDocumentRow.source_name, FindingRow.vex_document_id,
               FindingRow.vex_statement)
        .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
        .outerjoin(VulnerabilityRow, VulnerabilityRow.id == FindingRow.vulnerability_id)
        .outerjoin(VexDocumentRow, VexDocumentRow.id == FindingRow.vex_document_id)
        .where(FindingRow.release_id == release_id, FindingRow.kind == "vulnerability")
        .order_by(FindingRow.severity.desc(), ComponentRow.name, FindingRow.vulnerability_id))
    return [
        ReportFinding(
            ref, vid, tuple(orjson.loads(aliases)) if aliases else (), Severity(severity),
            summary, FindingStatus(status), compared, tuple(orjson.loads(fixed)),
            Decider(decided_by), note,
            FindingVex(VexStatus(vex_status), justification, document or "", document_id,
                       statement)
            if vex_status is not None and document_id is not None else None)
        for (ref, vid, aliases, severity, summary, status, compared, fixed, decided_by, note,
             vex_status, justification, document, document_id, statement) in rows
    ]
