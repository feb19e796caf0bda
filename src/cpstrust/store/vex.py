"""VEX documents kept as evidence, what VEX statements are compared with (the stored
releases' components and findings), and the statuses they set: loads and saves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import orjson
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from cpstrust.model.vex import VexDocument
from cpstrust.store.tables import (
    ComponentRow,
    FindingRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
    VexDocumentRow,
    VulnerabilityRow,
)


class StoredVex(NamedTuple):
    id: int
    source_name: str
    content: bytes


class ReleaseSubject(NamedTuple):
    """A stored release as a VEX product: its product's name, its version, and what its
    SBOM says (format, serial, and the name, version, ref and purl of what it describes)."""

    release_id: int
    product: str
    version: str
    sbom_format: str | None
    serial: str | None
    subject_name: str | None
    subject_version: str | None
    subject_ref: str | None
    subject_purl: str | None


class ReleaseComponent(NamedTuple):
    id: int
    release_id: int
    ref: str
    name: str
    version: str | None
    purl: str | None
    parent_ref: str | None


class DecidedFinding(NamedTuple):
    """A stored finding with what a VEX statement may change of it."""

    id: int
    release_id: int
    component_id: int
    vulnerability_id: str
    aliases: tuple[str, ...]
    status: str
    decided_by: str
    vex_status: str | None
    justification: str | None
    vex_document_id: int | None
    vex_statement: str | None
    note: str | None
    fixed_versions: tuple[str, ...]


def save_vex_document(session: Session, document: VexDocument, content: bytes,
                      at: datetime) -> tuple[int, bool]:
    """Keep a VEX document; (its id, whether it is new): one document is kept once."""
    kept = session.scalar(select(VexDocumentRow.id).where(
        VexDocumentRow.sha256 == document.sha256))
    if kept is not None:
        return kept, False
    row = VexDocumentRow(
        format=document.format.value, document_id=document.document_id, author=document.author,
        issued_at=document.timestamp, statements=len(document.statements),
        sha256=document.sha256, size=len(content), content=content,
        source_name=document.source, received_at=at)
    session.add(row)
    session.flush()
    return row.id, True


def stored_vex_documents(session: Session) -> list[StoredVex]:
    return [StoredVex(*row) for row in session.execute(
        select(VexDocumentRow.id, VexDocumentRow.source_name, VexDocumentRow.content)
        .order_by(VexDocumentRow.id))]


def any_vex_document(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(VexDocumentRow)))


def release_subjects(session: Session, release_ids: Sequence[int]) -> list[ReleaseSubject]:
    latest_sbom = (select(SbomDocumentRow.release_id, func.max(SbomDocumentRow.id).label("id"))
                   .group_by(SbomDocumentRow.release_id).subquery())
    query = (
        select(ReleaseRow.id, ProductRow.name, ReleaseRow.version, SbomDocumentRow.format,
               SbomDocumentRow.serial, SbomDocumentRow.subject_name,
               SbomDocumentRow.subject_version, SbomDocumentRow.subject_ref,
               SbomDocumentRow.subject_purl)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .outerjoin(latest_sbom, latest_sbom.c.release_id == ReleaseRow.id)
        .outerjoin(SbomDocumentRow, SbomDocumentRow.id == latest_sbom.c.id)
        .where(ReleaseRow.id.in_(release_ids)).order_by(ReleaseRow.id))
    return [ReleaseSubject(*row) for row in session.execute(query)]


def release_components(session: Session, release_id: int) -> list[ReleaseComponent]:
    return [ReleaseComponent(*row) for row in session.execute(
        select(ComponentRow.id, ComponentRow.release_id, ComponentRow.ref, ComponentRow.name,
               ComponentRow.version, ComponentRow.purl, ComponentRow.parent_ref)
        .where(ComponentRow.release_id == release_id))]


def release_findings(session: Session, release_id: int) -> list[DecidedFinding]:
    rows = session.execute(
        select(FindingRow.id, FindingRow.release_id, FindingRow.component_id,
               FindingRow.vulnerability_id, VulnerabilityRow.aliases, FindingRow.status,
               FindingRow.decided_by, FindingRow.vex_status, FindingRow.justification,
               FindingRow.vex_document_id, FindingRow.vex_statement, FindingRow.note,
               FindingRow.fixed_versions)
        .outerjoin(VulnerabilityRow, VulnerabilityRow.id == FindingRow.vulnerability_id)
        .where(FindingRow.release_id == release_id, FindingRow.kind == "vulnerability"))
    return [DecidedFinding(fid, rid, cid, vid, tuple(orjson.loads(aliases)) if aliases else (),
                           status, decided_by, vex_status, justification, document_id,
                           statement, note, tuple(orjson.loads(fixed)))
            for (fid, rid, cid, vid, aliases, status, decided_by, vex_status, justification,
                 document_id, statement, note, fixed) in rows]


def set_vex_decisions(session: Session, changes: Sequence[dict[str, object]]) -> None:
    """Each change: ``finding_id``, ``status``, ``decided_by``, ``vex_status``,
    ``justification``, ``vex_document_id``, ``vex_statement``, ``note``."""
    if not changes:
        return
    session.connection().execute(  # executemany of one UPDATE
        update(FindingRow).where(FindingRow.id == bindparam("finding_id")).values(
            status=bindparam("status"), decided_by=bindparam("decided_by"),
            vex_status=bindparam("vex_status"), justification=bindparam("justification"),
            vex_document_id=bindparam("vex_document_id"),
            vex_statement=bindparam("vex_statement"), note=bindparam("note")),
        list(changes))
