"""Store a release's SBOM: the document as evidence, its components and dependency edges."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cpstrust.model.sbom import Sbom, SbomComponent
from cpstrust.store import bulk, graph
from cpstrust.store.tables import (
    ComponentDependencyRow,
    ComponentRow,
    FindingRow,
    SbomDocumentRow,
)
from cpstrust.vulndb.purls import resolve_purl

_BATCH = 5000


@dataclass(frozen=True, slots=True)
class StoredSbom:
    sbom_id: int
    release_id: int
    sha256: str
    components: int
    without_purl: int
    replaced: bool  # an earlier SBOM of this release was replaced
    # decisions taken on the replaced SBOM's findings: (purl, vulnerability) -> (status, note)
    decisions: dict[tuple[str, str], tuple[str, str | None]]


_COMPONENT_COLUMNS = (
    "release_id",
    "sbom_id",
    "ref",
    "name",
    "version",
    "purl",
    "type",
    "parent_ref",
    "ecosystem",
    "package",
    "hashes",
    "licenses",
    "supplier",
)


def _component_row(sbom_id: int, release_id: int, c: SbomComponent) -> tuple[Any, ...]:
    resolved = resolve_purl(c.purl) if c.purl else None
    ecosystem, package = resolved.key if resolved else (None, None)
    hashes = orjson.dumps({h.algorithm: h.value for h in c.hashes}).decode() if c.hashes else None
    licenses = orjson.dumps(list(c.licenses)).decode() if c.licenses else None
    return (
        release_id,
        sbom_id,
        c.ref,
        c.name,
        c.version,
        c.purl,
        c.type,
        c.parent_ref,
        ecosystem,
        package,
        hashes,
        licenses,
        c.supplier,
    )


def store_sbom(
    session: Session,
    sbom: Sbom,
    raw: bytes,
    *,
    source_name: str,
    product: str,
    version: str,
    supplier: str | None = None,
    received_at: datetime | None = None,
) -> StoredSbom:
    """Write ``sbom`` as the SBOM of ``product`` ``version`` inside the caller's transaction.

    The product is created under ``supplier`` when it is new; the release is created if
    missing. A release has one current SBOM: importing another replaces its components
    (findings keep their status when the same component matches the same vulnerability
    again, see :func:`cpstrust.store.findings.evaluate`).
    """
    if supplier is not None:
        product_row = graph.ensure_product(session, product, supplier)
        received_from = graph.organization(session, supplier).id
    else:
        product_row = graph.product(session, product)
        received_from = product_row.supplier_id
    release = graph.release(session, product_row, version, create=True)
    decisions = _drop_previous(session, release.id)
    digest = hashlib.sha256(raw).hexdigest()
    sbom_id = session.execute(
        insert(SbomDocumentRow)
        .values(
            release_id=release.id,
            format=sbom.format.value,
            spec_version=sbom.spec_version,
            serial=sbom.serial,
            sha256=digest,
            size=len(raw),
            content=raw,
            source_name=source_name,
            received_from_id=received_from,
            received_at=received_at or datetime.now(UTC),
            component_count=len(sbom.components),
            without_purl_count=len(sbom.without_purl()),
        )
        .returning(SbomDocumentRow.id)
    ).scalar_one()
    bulk.insert_rows(
        session,
        ComponentRow,
        _COMPONENT_COLUMNS,
        (_component_row(sbom_id, release.id, c) for c in sbom.components),
    )
    bulk.insert_rows(
        session,
        ComponentDependencyRow,
        ("sbom_id", "ref", "depends_on"),
        ((sbom_id, a, b) for a, b in sbom.dependencies),
    )
    return StoredSbom(
        sbom_id,
        release.id,
        digest,
        len(sbom.components),
        len(sbom.without_purl()),
        decisions is not None,
        decisions or {},
    )


def _drop_previous(
    session: Session, release_id: int
) -> dict[tuple[str, str], tuple[str, str | None]] | None:
    """Remove the release's earlier SBOM, components and findings; return the decisions
    (non-open statuses) taken on those findings so they survive the replacement."""
    old = list(
        session.scalars(select(SbomDocumentRow.id).where(SbomDocumentRow.release_id == release_id))
    )
    if not old:
        return None
    decisions = {
        (purl, vid): (status, note)
        for purl, vid, status, note in session.execute(
            select(
                ComponentRow.purl, FindingRow.vulnerability_id, FindingRow.status, FindingRow.note
            )
            .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
            .where(FindingRow.release_id == release_id, FindingRow.status != "open")
        )
        if purl is not None
    }
    session.execute(delete(FindingRow).where(FindingRow.release_id == release_id))
    session.execute(delete(ComponentDependencyRow).where(ComponentDependencyRow.sbom_id.in_(old)))
    session.execute(delete(ComponentRow).where(ComponentRow.release_id == release_id))
    session.execute(delete(SbomDocumentRow).where(SbomDocumentRow.id.in_(old)))
    return decisions
