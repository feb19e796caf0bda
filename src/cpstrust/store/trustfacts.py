"""What a trust evaluation reads, in a few set-based queries: the whole graph, or the
part an incremental evaluation names (ids, read in chunks); and what changed since the
last one (new evidence and attestations by id, a fingerprint of the graph)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import BigInteger, ColumnElement, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.model.orgevidence import EvidenceKind
from cpstrust.model.trustfacts import (
    DeviceState,
    HeldStarEvidence,
    OpenFinding,
    OrganisationFacts,
    ProductFacts,
    ReleaseFacts,
    SignedReleaseEvidence,
    SiteFacts,
    SupplyEdge,
    ZoneFacts,
)
from cpstrust.store.tables import (
    DeviceAttestationRow,
    DeviceRow,
    EvidenceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
    SiteRow,
    SupplierRelationRow,
    ZoneRow,
)
from cpstrust.timeutil import as_utc

STAR_KINDS = (EvidenceKind.ASSESSMENT_RESULT.value, EvidenceKind.STAR_DECLARATION.value,
              EvidenceKind.STAR_ATTESTATION.value)
_CHUNK = 900  # ids per IN list: under SQLite's oldest limit of 999 parameters
Query = Any  # a select(); SQLAlchemy types each by its columns
Ids = Collection[int] | None  # None: all


def _chunked(ids: Ids, query: Callable[[Collection[int] | None], Query],
             session: Session) -> Iterator[Any]:
    if ids is None:
        yield from session.execute(query(None))
        return
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield from session.execute(query(ordered[start:start + _CHUNK]))


def _driver_rows(ids: Ids, query: Callable[[Collection[int] | None], Query],
                 session: Session) -> Iterator[tuple[Any, ...]]:
    """As ``_chunked``, the rows as the driver gives them: on a million rows,
    SQLAlchemy's result rows cost four times the query. Values come unprocessed (a
    stored time is text on SQLite); the statement's values are ids and our constants,
    written into it as literals."""
    dialect = session.get_bind().dialect
    driver: Any = session.connection().connection.driver_connection
    cursor = driver.cursor()
    try:
        for chunk in ([None] if ids is None else
                      [sorted(ids)[s:s + _CHUNK] for s in range(0, len(ids), _CHUNK)]):
            cursor.execute(str(query(chunk).compile(
                dialect=dialect, compile_kwargs={"literal_binds": True})))
            yield from cursor.fetchall()
    finally:
        cursor.close()


def _where_in(query: Query, column: Any, ids: Collection[int] | None) -> Query:
    return query if ids is None else query.where(column.in_(ids))


def organisations(session: Session, ids: Ids = None) -> list[OrganisationFacts]:
    def query(chunk: Collection[int] | None) -> Query:
        tier = (select(SupplierRelationRow.supplier_id, func.min(SupplierRelationRow.tier)
                       .label("tier")).group_by(SupplierRelationRow.supplier_id).subquery())
        return _where_in(select(OrganizationRow.id, OrganizationRow.name, tier.c.tier)
                         .outerjoin(tier, tier.c.supplier_id == OrganizationRow.id),
                         OrganizationRow.id, chunk)
    return [OrganisationFacts(*row) for row in _chunked(ids, query, session)]


def supply(session: Session) -> list[SupplyEdge]:
    return [SupplyEdge(*row) for row in session.execute(
        select(SupplierRelationRow.supplier_id, SupplierRelationRow.customer_id))]


def organisation_names(session: Session, ids: Collection[int]) -> dict[int, str]:
    return dict(_chunked(ids, lambda c: _where_in(
        select(OrganizationRow.id, OrganizationRow.name), OrganizationRow.id, c), session))


def star_evidence(session: Session, organisation_ids: Ids = None) -> list[HeldStarEvidence]:
    def query(chunk: Collection[int] | None) -> Query:
        return _where_in(
            select(EvidenceRow.id, OrganizationRow.id, EvidenceRow.envelope)
            .join(OrganizationRow, OrganizationRow.name == EvidenceRow.organisation)
            .where(EvidenceRow.kind.in_(STAR_KINDS)), OrganizationRow.id, chunk)
    return [HeldStarEvidence(*row) for row in _chunked(organisation_ids, query, session)]


def products(session: Session, ids: Ids = None) -> list[ProductFacts]:
    return list(map(ProductFacts._make, _driver_rows(ids, lambda c: _where_in(
        select(ProductRow.id, ProductRow.name, ProductRow.supplier_id), ProductRow.id, c),
        session)))


def releases(session: Session, product_ids: Ids = None) -> list[ReleaseFacts]:
    return list(map(ReleaseFacts._make, _driver_rows(product_ids, lambda c: _where_in(
        select(ReleaseRow.id, ReleaseRow.product_id, ReleaseRow.version),
        ReleaseRow.product_id, c), session)))


def signed_releases(session: Session, release_ids: Ids = None) -> list[SignedReleaseEvidence]:
    stored: dict[int, set[str]] = defaultdict(set)
    for release_id, sha256 in _driver_rows(release_ids, lambda c: _where_in(
            select(SbomDocumentRow.release_id, SbomDocumentRow.sha256),
            SbomDocumentRow.release_id, c), session):
        stored[release_id].add(sha256)
    unrecorded = EvidenceRow.document_sha256.is_(None)
    rows = _driver_rows(release_ids, lambda c: _where_in(
        select(EvidenceRow.id, EvidenceRow.release_id, EvidenceRow.signer_keyids,
               EvidenceRow.document_sha256,
               # the envelope only for rows kept before 0014 recorded the SBOM digest
               case((unrecorded, EvidenceRow.envelope), else_=None))
        .where(EvidenceRow.predicate_type == PROVENANCE_V1, EvidenceRow.release_id.is_not(None)),
        EvidenceRow.release_id, c), session)
    # a few signers sign every release: each list of them parsed once
    signers: dict[str, tuple[str, ...]] = {}
    sboms = {release_id: frozenset(found) for release_id, found in stored.items()}
    none: frozenset[str] = frozenset()
    out: list[SignedReleaseEvidence] = []
    for id_, release_id, keyids, sha256, envelope in rows:
        keys = signers.get(keyids)
        if keys is None:
            keys = signers[keyids] = tuple(orjson.loads(keyids))
        out.append(SignedReleaseEvidence(id_, release_id, keys, sha256 or None,
                                         envelope if sha256 is None else None,
                                         sboms.get(release_id, none)))
    return out


def open_findings(session: Session, floor: int, release_ids: Ids = None) -> list[OpenFinding]:
    return [OpenFinding(id_, release, vulnerability, severity, as_utc(first_seen))
            for id_, release, vulnerability, severity, first_seen in _chunked(
                release_ids, lambda c: _where_in(
                    select(FindingRow.id, FindingRow.release_id, FindingRow.vulnerability_id,
                           FindingRow.severity, FindingRow.first_seen)
                    .where(*_open_vulnerabilities(floor)),
                    FindingRow.release_id, c), session)]


def finding_summary(session: Session, floor: int | None) -> dict[int, tuple[int, int]]:
    """Release id -> (count, sum of ids) of its open findings at ``floor`` or above."""
    if floor is None:
        return {}
    return {release: (count, int(total)) for release, count, total in session.execute(
        select(FindingRow.release_id, func.count(), func.sum(FindingRow.id))
        .where(*_open_vulnerabilities(floor))
        .group_by(FindingRow.release_id))}


def _open_vulnerabilities(floor: int) -> tuple[ColumnElement[bool], ...]:
    # Vulnerability findings only: a policy's window is for vulnerabilities, and licence
    # findings (kind "licence") share the table and the severity scale.
    return (FindingRow.kind == "vulnerability", FindingRow.status == "open",
            FindingRow.severity >= floor)


def devices(session: Session, *, release_ids: Ids = None,
            device_ids: Ids = None) -> list[DeviceState]:
    """Devices (all, those running ``release_ids``, or ``device_ids``) with their latest
    attestation, in id order: one query, rows as tuples; stored times are parsed once
    per distinct value (SQLAlchemy's DateTime would parse each on SQLite)."""
    columns = _with_latest_attestation(session, release_ids is None and device_ids is None)
    if device_ids is not None:
        rows = _driver_rows(device_ids, lambda c: _where_in(columns, DeviceRow.id, c), session)
    else:
        rows = _driver_rows(release_ids, lambda c: _where_in(columns, DeviceRow.release_id, c),
                            session)
    times: dict[Any, datetime | None] = {None: None}
    out: list[DeviceState] = []
    append, new = out.append, tuple.__new__  # no Python frame per row, as _make has
    for key, release, site, zone, att, verdict, raw in rows:
        moment = times.get(raw, _UNSEEN)
        if moment is _UNSEEN:
            moment = times[raw] = _stored_time(raw)
        append(new(DeviceState, (key, release, site, zone, att, verdict, moment)))
    return out


_UNSEEN = datetime.min


def _with_latest_attestation(session: Session, everyone: bool) -> Query:
    """Devices joined with their latest attestation, in id order: one index probe per
    device for the latest id; but for every device on PostgreSQL the latest ids grouped
    once and joined (PostgreSQL ran the probe twice per device inside a hash join:
    17.5 s of server time for a million devices against 5 s, EXPLAIN ANALYZE)."""
    query = select(DeviceRow.id, DeviceRow.release_id, DeviceRow.site_id, DeviceRow.zone_id,
                   DeviceAttestationRow.id, DeviceAttestationRow.verdict,
                   DeviceAttestationRow.appraised_at)
    latest = aliased(DeviceAttestationRow)
    if everyone and session.get_bind().dialect.name == "postgresql":
        newest = (select(latest.device_id, func.max(latest.id).label("id"))
                  .group_by(latest.device_id).subquery())
        query = (query.outerjoin(newest, newest.c.device_id == DeviceRow.id)
                 .outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == newest.c.id))
    else:
        newest_id = (select(func.max(latest.id)).where(latest.device_id == DeviceRow.id)
                     .correlate(DeviceRow).scalar_subquery())
        query = query.outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == newest_id)
    return query.order_by(DeviceRow.id)


def _stored_time(raw: str | datetime) -> datetime:
    """A time column's value as the driver gives it (text on SQLite), as UTC."""
    return as_utc(raw if isinstance(raw, datetime) else datetime.fromisoformat(raw))


def device_names(session: Session, ids: Ids = None) -> dict[int, str]:
    """Device names (all, or of ``ids``): read only to show verdicts."""
    return dict(_driver_rows(ids, lambda c: _where_in(select(DeviceRow.id, DeviceRow.name),
                                                      DeviceRow.id, c), session))


def sites(session: Session) -> list[SiteFacts]:
    return [SiteFacts(*row) for row in session.execute(select(SiteRow.id, SiteRow.name))]


def zones(session: Session) -> list[ZoneFacts]:
    return [ZoneFacts(*row) for row in session.execute(
        select(ZoneRow.id, ZoneRow.site_id, ZoneRow.name))]


def graph_fingerprint(session: Session) -> str:
    """A digest of the graph's nodes and edges: counts, highest ids, and sums of id x
    reference that change when a node moves (a device to another release or site)."""
    def weighted(a: Any, b: Any) -> Any:
        return func.coalesce(func.sum(cast(a, BigInteger) * func.coalesce(b, 0)), 0)

    parts: list[Sequence[Any]] = []
    for table, refs in ((OrganizationRow, ()), (ProductRow, (ProductRow.supplier_id,)),
                        (ReleaseRow, (ReleaseRow.product_id,)), (SiteRow, ()),
                        (ZoneRow, (ZoneRow.site_id,)),
                        (DeviceRow, (DeviceRow.release_id, DeviceRow.site_id,
                                     DeviceRow.zone_id))):
        parts.append(session.execute(select(
            func.count(), func.coalesce(func.max(table.id), 0),
            *(weighted(table.id, ref) for ref in refs))).one())
    parts.append(session.execute(select(
        func.count(), weighted(SupplierRelationRow.supplier_id, SupplierRelationRow.customer_id),
        weighted(SupplierRelationRow.customer_id, SupplierRelationRow.tier))).one())
    return hashlib.sha256(orjson.dumps([[int(v) for v in p] for p in parts])).hexdigest()


def marks(session: Session) -> tuple[int, int]:
    """The highest evidence id and attestation id: what came after is new."""
    return (session.scalar(select(func.coalesce(func.max(EvidenceRow.id), 0))) or 0,
            session.scalar(select(func.coalesce(func.max(DeviceAttestationRow.id), 0))) or 0)


def new_evidence(session: Session, mark: int) -> tuple[set[int], set[int]]:
    """Organisations and releases with evidence kept after ``mark``."""
    orgs: set[int] = set()
    released: set[int] = set()
    for org_id, release_id in session.execute(
            select(OrganizationRow.id, EvidenceRow.release_id)
            .outerjoin(OrganizationRow, OrganizationRow.name == EvidenceRow.organisation)
            .where(EvidenceRow.id > mark)):
        if org_id is not None:
            orgs.add(org_id)
        if release_id is not None:
            released.add(release_id)
    return orgs, released


def new_attestations(session: Session, mark: int) -> set[int]:
    return set(session.scalars(select(DeviceAttestationRow.device_id)
                               .where(DeviceAttestationRow.id > mark).distinct()))


def products_of(session: Session, *, suppliers: Collection[int] = (),
                releases: Collection[int] = ()) -> set[int]:
    found = set(_scalars(session, suppliers, lambda c: select(ProductRow.id)
                         .where(ProductRow.supplier_id.in_(c))))
    found.update(_scalars(session, releases, lambda c: select(ReleaseRow.product_id)
                          .where(ReleaseRow.id.in_(c))))
    return found


def _scalars(session: Session, ids: Collection[int],
             query: Callable[[Collection[int]], Query]) -> Iterator[Any]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), _CHUNK):
        yield from session.scalars(query(ordered[start:start + _CHUNK]))


def releases_of_products(session: Session, product_ids: Collection[int]) -> set[int]:
    return set(_scalars(session, product_ids, lambda c: select(ReleaseRow.id)
                        .where(ReleaseRow.product_id.in_(c))))
