"""Store a release's SBOM: the document as evidence, its components and dependency edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from cpstrust.errors import StoreError
from cpstrust.formats.sbom import read_sbom
from cpstrust.model.sbom import Sbom, SbomComponent, SbomDetail
from cpstrust.packages.purls import resolve_purl
from cpstrust.store import bulk, graph
from cpstrust.store.documents import KeptDocument, keep_document, original_bytes
from cpstrust.store.tables import (
    ComponentDependencyRow,
    ComponentRow,
    FindingRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)


@dataclass(frozen=True, slots=True)
class StoredSbom:
    sbom_id: int
    release_id: int
    sha256: str
    components: int
    without_purl: int
    replaced: bool  # an earlier SBOM of this release was replaced
    # people's decisions on the replaced SBOM's findings: (purl, vulnerability) -> (status, note)
    decisions: dict[tuple[str, str], tuple[str, str | None]]


@dataclass(frozen=True, slots=True)
class PreparedSbom:
    """An SBOM turned into rows, lacking only the ids the database hands out.

    Batch ingest builds these in worker processes and sends them to the writer. Rows are
    laid end to end in one flat tuple per table: per 1,000 components that pickles and
    unpickles in ~2.3 ms against ~3.1 ms for a tuple per row, and the writer cuts it into
    multi-row statements by slicing; the model objects took 8 and 14 ms (ADR 0003).
    """

    document: KeptDocument  # the document as received, kept as evidence
    format: str
    spec_version: str
    serial: str | None
    component_values: tuple[Any, ...]  # each component's COMPONENT_COLUMNS values in turn
    dependency_positions: tuple[int, ...]  # each edge between components: two positions
    dependency_others: tuple[int | str | None, ...]  # other edges: positions or refs
    without_purl: tuple[str, ...]  # names of the packages that have no purl
    # What the SBOM says it describes: name, version, ref, purl (VEX statements name it).
    subject: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)

    @property
    def component_count(self) -> int:
        return len(self.component_values) // len(COMPONENT_COLUMNS)


# A prepared component row's columns; release_id and sbom_id are added when it is written.
COMPONENT_COLUMNS = (
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


def _component_row(c: SbomComponent) -> tuple[Any, ...]:
    resolved = resolve_purl(c.purl) if c.purl else None
    ecosystem, package = resolved.key if resolved else (None, None)
    hashes = orjson.dumps({h.algorithm: h.value for h in c.hashes}).decode() if c.hashes else None
    licenses = orjson.dumps(c.licenses).decode() if c.licenses else None
    return (
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


# Prepared edges: between two components, each end is the component's position in the
# SBOM (the writer turns it into an id); an edge with another end keeps that end's ref.
_BETWEEN = ("component_id", "depends_on_id")
_OTHERS = ("component_id", "depends_on_id", "ref", "depends_on")


def _dependency_values(sbom: Sbom) -> tuple[tuple[int, ...], tuple[int | str | None, ...]]:
    position: dict[str, int] = {}
    for i, component in enumerate(sbom.components):
        position.setdefault(component.ref, i)  # a ref declared twice names the first
    between: list[int] = []
    others: list[int | str | None] = []
    for ref, target in sbom.dependencies:
        source, sink = position.get(ref), position.get(target)
        if source is not None and sink is not None:
            between += (source, sink)
        else:
            others += (source, sink, ref if source is None else None,
                       target if sink is None else None)
    return tuple(between), tuple(others)


def prepare_sbom(sbom: Sbom, raw: bytes) -> PreparedSbom:
    """The rows ``sbom`` (read from ``raw``) is stored as; the same for one SBOM or many.

    Raises ValueError for an SBOM read to less than full detail: its hashes, licences
    and edges would be stored as absent.
    """
    if sbom.detail is not SbomDetail.FULL:
        raise ValueError(f"an SBOM read to {sbom.detail.value} detail cannot be stored")
    return PreparedSbom(
        keep_document(raw),
        sbom.format.value,
        sbom.spec_version,
        sbom.serial,
        tuple(chain.from_iterable(map(_component_row, sbom.components))),
        *_dependency_values(sbom),
        tuple(c.name for c in sbom.without_purl()),
        (sbom.subject_name, sbom.subject_version, sbom.subject_ref, sbom.subject_purl),
    )


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an SBOM goes: its product, and the organisation it was received from."""

    product: ProductRow
    received_from: int | None


def destination(session: Session, product: str, supplier: str | None) -> Destination:
    """The product ``product`` (created under ``supplier`` when given and new)."""
    if supplier is not None:
        row = graph.ensure_product(session, product, supplier)
        return Destination(row, graph.organization(session, supplier).id)
    row = graph.product(session, product)
    return Destination(row, row.supplier_id)


def sbom_document(session: Session, sha256: str) -> bytes | None:
    """The bytes of a stored SBOM document with this SHA-256, exactly as received."""
    row = session.execute(
        select(
            SbomDocumentRow.content,
            SbomDocumentRow.content_encoding,
            SbomDocumentRow.size,
            SbomDocumentRow.sha256,
        )
        .where(SbomDocumentRow.sha256 == sha256)
        .limit(1)
    ).first()
    if row is None:
        return None
    return original_bytes(
        row.content, row.content_encoding, row.size, row.sha256, label=_label(sha256)
    )


def sbom_with_digest(session: Session, sha256: str,
                     detail: SbomDetail = SbomDetail.FULL) -> Sbom | None:
    """A stored SBOM document with this SHA-256, parsed again from its kept bytes."""
    raw = sbom_document(session, sha256)
    return None if raw is None else read_sbom(raw, source=_label(sha256), detail=detail)


def sbom_dependencies(session: Session, sbom_id: int) -> tuple[tuple[str, str], ...]:
    """The dependency edges of a stored SBOM as (ref, depends-on ref): those between two
    components first, then those with another end, each in document order."""
    source, sink = aliased(ComponentRow), aliased(ComponentRow)
    edge = ComponentDependencyRow
    rows = session.execute(
        select(func.coalesce(source.ref, edge.ref), func.coalesce(sink.ref, edge.depends_on))
        .select_from(edge)
        .outerjoin(source, source.id == edge.component_id)
        .outerjoin(sink, sink.id == edge.depends_on_id)
        .where(edge.sbom_id == sbom_id)
        .order_by(edge.id)
    )
    return tuple((ref, target) for ref, target in rows)


def _label(sha256: str) -> str:
    return f"stored SBOM {sha256[:16]}"


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
    and findings, and returns the decisions people took on the old ones.
    """
    return store_prepared(
        session,
        prepare_sbom(sbom, raw),
        destination(session, product, supplier),
        version,
        source_name=source_name,
        received_at=received_at,
    )


def store_prepared(
    session: Session,
    prepared: PreparedSbom,
    to: Destination,
    version: str,
    *,
    source_name: str,
    received_at: datetime | None = None,
) -> StoredSbom:
    """Write a prepared SBOM as :func:`store_sbom` does (same rules, same rows)."""
    release = graph.release(session, to.product, version, create=True)
    decisions = _drop_previous(session, release.id)
    sbom_id = session.execute(
        insert(SbomDocumentRow)
        .values(
            release_id=release.id,
            format=prepared.format,
            spec_version=prepared.spec_version,
            serial=prepared.serial,
            sha256=prepared.document.sha256,
            size=prepared.document.size,
            content=prepared.document.content,
            content_encoding=prepared.document.encoding,
            source_name=source_name,
            received_from_id=to.received_from,
            received_at=received_at or datetime.now(UTC),
            component_count=prepared.component_count,
            without_purl_count=len(prepared.without_purl),
            subject_name=prepared.subject[0],
            subject_version=prepared.subject[1],
            subject_ref=prepared.subject[2],
            subject_purl=prepared.subject[3],
        )
        .returning(SbomDocumentRow.id)
    ).scalar_one()
    ids = _insert_components(session, prepared, release.id, sbom_id)
    _insert_dependencies(session, prepared, sbom_id, ids)
    return StoredSbom(
        sbom_id,
        release.id,
        prepared.document.sha256,
        prepared.component_count,
        len(prepared.without_purl),
        decisions is not None,
        decisions or {},
    )


def _insert_components(
    session: Session, prepared: PreparedSbom, release_id: int, sbom_id: int
) -> range | list[int]:
    """Write the components; return their ids, in the SBOM's order.

    Both databases hand out ids in insertion order. SQLite's come without gaps (max + 1,
    and this transaction holds the write lock since it wrote the document row), which
    ``max(id)`` before and ``last_insert_rowid()`` after confirm. PostgreSQL's may have
    gaps when other sessions insert meanwhile, so there the ids are read back.
    """
    connection = session.connection()
    before = connection.exec_driver_sql("SELECT max(id) FROM component").scalar() or 0
    bulk.insert_rows(session, ComponentRow, COMPONENT_COLUMNS, prepared.component_values,
                     fixed={"release_id": release_id, "sbom_id": sbom_id})
    count = prepared.component_count
    if connection.dialect.name == "sqlite" and count:
        last = connection.exec_driver_sql("SELECT last_insert_rowid()").scalar() or 0
        if last - before == count:  # count new ids above before, up to last: all of them
            return range(before + 1, last + 1)
    mine = (ComponentRow.id > before, ComponentRow.sbom_id == sbom_id)
    ids = list(session.scalars(select(ComponentRow.id).where(*mine).order_by(ComponentRow.id)))
    if len(ids) != count:  # never expected: fail rather than link the wrong components
        raise StoreError("store_components_miscounted", count=count, sbom_id=sbom_id,
                         found=len(ids))
    return range(ids[0], ids[-1] + 1) if ids and ids[-1] - ids[0] + 1 == count else ids


def _insert_dependencies(
    session: Session, prepared: PreparedSbom, sbom_id: int, ids: range | list[int]
) -> None:
    """Edges between components (positions + the first id, in the statement when the ids
    have no gaps), then edges with another end (refs)."""
    between = prepared.dependency_positions
    if isinstance(ids, range):
        first = ids.start
        bulk.insert_rows(session, ComponentDependencyRow, _BETWEEN, between,
                         fixed={"sbom_id": sbom_id},
                         offsets={"component_id": first, "depends_on_id": first})
    else:
        bulk.insert_rows(session, ComponentDependencyRow, _BETWEEN,
                         tuple(ids[position] for position in between),
                         fixed={"sbom_id": sbom_id})
    others = list(prepared.dependency_others)
    for i in range(0, len(others), len(_OTHERS)):
        for end in (i, i + 1):
            position = others[end]
            if isinstance(position, int):
                others[end] = ids[position]
    bulk.insert_rows(session, ComponentDependencyRow, _OTHERS, others, fixed={"sbom_id": sbom_id})


def _drop_previous(
    session: Session, release_id: int
) -> dict[tuple[str, str], tuple[str, str | None]] | None:
    """Remove the release's earlier SBOM, components and findings; return the decisions
    people took on those findings, for the caller to carry over."""
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
            .where(FindingRow.release_id == release_id, FindingRow.decided_by == "person")
        )
        if purl is not None
    }
    session.execute(delete(FindingRow).where(FindingRow.release_id == release_id))
    session.execute(delete(ComponentDependencyRow).where(ComponentDependencyRow.sbom_id.in_(old)))
    session.execute(delete(ComponentRow).where(ComponentRow.release_id == release_id))
    session.execute(delete(SbomDocumentRow).where(SbomDocumentRow.id.in_(old)))
    return decisions


def release_sbom_digests(session: Session, release_ids: Sequence[int],
                         ) -> list[tuple[str, str, str]]:
    """(product, version, SHA-256 of its current SBOM) of each release that has one."""
    latest = (select(func.max(SbomDocumentRow.id))
              .where(SbomDocumentRow.release_id.in_(release_ids))
              .group_by(SbomDocumentRow.release_id))
    rows = session.execute(
        select(ProductRow.name, ReleaseRow.version, SbomDocumentRow.sha256)
        .join(ReleaseRow, ReleaseRow.id == SbomDocumentRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(SbomDocumentRow.id.in_(latest))
        .order_by(ProductRow.name, ReleaseRow.id))
    return [(name, version, sha256) for name, version, sha256 in rows]
