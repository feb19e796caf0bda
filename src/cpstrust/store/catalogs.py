"""Stored OSCAL catalogues, profiles and mappings: loads and saves, no rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cpstrust.model.catalog import DocumentKind, MapEntry, Requirement
from cpstrust.store.tables import (
    OscalControlRow,
    OscalDocumentRow,
    OscalMapEntryRow,
    OscalProfileItemRow,
)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: int
    name: str
    kind: DocumentKind
    uuid: str
    title: str
    version: str
    oscal_version: str
    sha256: str
    shipped: bool
    provisional: int
    entries: int
    scheme: str | None
    level: int | None
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class NewDocument:
    """What a document row holds, before it has an id."""

    name: str
    kind: DocumentKind
    uuid: str
    title: str
    version: str
    oscal_version: str
    sha256: str
    content: bytes
    shipped: bool
    provisional: int
    entries: int
    scheme: str | None
    level: int | None
    imported_at: datetime


_SUMMARY = (OscalDocumentRow.id, OscalDocumentRow.name, OscalDocumentRow.kind,
            OscalDocumentRow.uuid, OscalDocumentRow.title, OscalDocumentRow.version,
            OscalDocumentRow.oscal_version, OscalDocumentRow.sha256, OscalDocumentRow.shipped,
            OscalDocumentRow.provisional, OscalDocumentRow.entries, OscalDocumentRow.scheme,
            OscalDocumentRow.level, OscalDocumentRow.imported_at)


def _stored(row: Sequence[object]) -> StoredDocument:
    values = list(row)
    values[2] = DocumentKind(str(values[2]))
    return StoredDocument(*values)  # type: ignore[arg-type]


def stored_documents(session: Session) -> list[StoredDocument]:
    """Every stored document, by name."""
    rows = session.execute(select(*_SUMMARY).order_by(OscalDocumentRow.name))
    return [_stored(r) for r in rows]


def stored_document(session: Session, name: str) -> StoredDocument | None:
    row = session.execute(select(*_SUMMARY).where(OscalDocumentRow.name == name)).first()
    return None if row is None else _stored(row)


def document_content(session: Session, document_id: int) -> bytes:
    return session.execute(select(OscalDocumentRow.content)
                           .where(OscalDocumentRow.id == document_id)).scalar_one()


def save_document(session: Session, new: NewDocument) -> int:
    """Insert a document row; its id."""
    row = OscalDocumentRow(**{f: getattr(new, f) for f in NewDocument.__dataclass_fields__})
    row.kind = new.kind.value
    session.add(row)
    session.flush()
    return row.id


def replace_document(session: Session, document_id: int, new: NewDocument) -> None:
    """Put ``new`` in place of a stored document, keeping its id; its rows go."""
    row = session.get_one(OscalDocumentRow, document_id)
    for f in NewDocument.__dataclass_fields__:
        setattr(row, f, getattr(new, f))
    row.kind = new.kind.value
    for table, column in ((OscalControlRow, OscalControlRow.document_id),
                          (OscalProfileItemRow, OscalProfileItemRow.profile_id),
                          (OscalMapEntryRow, OscalMapEntryRow.mapping_id)):
        session.execute(delete(table).where(column == document_id))
    session.flush()


def save_requirements(session: Session, document_id: int,
                      requirements: Sequence[Requirement]) -> None:
    if not requirements:
        return
    session.execute(insert(OscalControlRow), [
        {"document_id": document_id, "control_id": r.id, "position": i, "key": r.key,
         "label": r.label, "title": r.title, "title_ja": r.title_ja,
         "statement": r.statement, "statement_ja": r.statement_ja, "group_id": r.group,
         "parent_id": r.parent, "provisional": r.provisional}
        for i, r in enumerate(requirements)])


def requirements(session: Session, document_id: int) -> list[Requirement]:
    """The controls of a stored catalogue, in document order."""
    rows = session.scalars(select(OscalControlRow)
                           .where(OscalControlRow.document_id == document_id)
                           .order_by(OscalControlRow.position))
    return [_requirement(r) for r in rows]


def _requirement(r: OscalControlRow) -> Requirement:
    return Requirement(r.control_id, r.label, r.title, r.title_ja, r.statement,
                       r.statement_ja, r.group_id, r.parent_id, r.provisional)


def requirements_by_key(session: Session, key: str) -> list[tuple[str, Requirement]]:
    """Each stored control whose label or id is ``key`` (case folded), with its catalogue."""
    rows = session.execute(
        select(OscalDocumentRow.name, OscalControlRow)
        .join(OscalDocumentRow, OscalDocumentRow.id == OscalControlRow.document_id)
        .where((OscalControlRow.key == key.upper())
               | (OscalControlRow.control_id == key.lower()))
        .order_by(OscalDocumentRow.name))
    return [(name, _requirement(row)) for name, row in rows]


def save_profile_items(session: Session, profile_id: int,
                       items: Iterable[tuple[int, str]]) -> None:
    rows = [{"profile_id": profile_id, "catalog_id": catalog_id, "control_id": control_id,
             "position": i} for i, (catalog_id, control_id) in enumerate(items)]
    if rows:
        session.execute(insert(OscalProfileItemRow), rows)


def profile_items(session: Session, profile_id: int) -> list[tuple[int, str]]:
    """(catalogue id, control id) of each control a stored profile selects, in order."""
    rows = session.execute(select(OscalProfileItemRow.catalog_id, OscalProfileItemRow.control_id)
                           .where(OscalProfileItemRow.profile_id == profile_id)
                           .order_by(OscalProfileItemRow.position))
    return [(c, i) for c, i in rows]


def save_map_entries(session: Session, mapping_id: int, catalog_id: int,
                     framework: str | None, entries: Sequence[MapEntry]) -> None:
    if not entries:
        return
    session.execute(insert(OscalMapEntryRow), [
        {"mapping_id": mapping_id, "position": i, "catalog_id": catalog_id,
         "source_id": e.source_id, "framework": framework, "target_id": e.target_id,
         "relationship": e.relationship.value, "rationale": e.rationale,
         "provisional": e.provisional}
        for i, e in enumerate(entries)])
