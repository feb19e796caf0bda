"""Counts of findings kept beside them (migration 0028, ADR 0024): per release by kind,
status and severity; per release and per product by vulnerability. The application
layer recounts the releases whose findings it changed, in the same transaction
(``app.finding_counts``); what a count is shown for (open findings, vulnerabilities)
is its rule, not this module's.

A recount reads the releases' findings again and replaces their rows, then their
products' rows from the releases' rows: exact whatever the change was, at the cost of
reading what changed's releases (a release of the 1M-component store: 2,400 findings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session, aliased

from cpstrust.store.tables import (
    Base,
    FindingRow,
    ProductRow,
    ProductVulnerabilityCountRow,
    ReleaseFindingCountRow,
    ReleaseRow,
    ReleaseVulnerabilityCountRow,
)

_CHUNK = 500


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def recount(session: Session, release_ids: Sequence[int],
            vulnerabilities: Sequence[str] | None = None) -> None:
    """The counts of these releases, and of their products, from their findings now;
    ``vulnerabilities``: only findings of these changed (a person's decision), whose
    counts alone are read again."""
    ids = sorted(set(release_ids))
    products = sorted({product for chunk in _chunks(ids) for product in session.scalars(
        select(ReleaseRow.product_id).distinct().where(ReleaseRow.id.in_(chunk)))})
    _hold_products(session, products)
    for chunk in _chunks(ids):
        _recount_releases(session, chunk, vulnerabilities)
    for chunk in _chunks(products):
        _recount_products(session, chunk, vulnerabilities)


def _hold_products(session: Session, product_ids: Sequence[int]) -> None:
    """On PostgreSQL, lock the products' rows until commit. Under read committed, two
    transactions recounting releases of one product would each count from a snapshot
    without the other's uncommitted change, and the later commit would keep stale
    counts; holding the product makes the second wait and then count from the first's
    committed rows. Locked in id order, so that recounts wait for each other instead of
    deadlocking. Row locks, not advisory ones: a recount of every release would not fit
    PostgreSQL's lock table. SQLite has one writer at a time already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for chunk in _chunks(product_ids):
        session.execute(select(ProductRow.id).where(ProductRow.id.in_(chunk))
                        .order_by(ProductRow.id).with_for_update())


def _recount_releases(session: Session, ids: Sequence[int],
                      vulnerabilities: Sequence[str] | None) -> None:
    f = FindingRow
    _replace(session, ReleaseFindingCountRow, ReleaseFindingCountRow.release_id.in_(ids),
             select(f.release_id, f.kind, f.status, f.severity, func.count().label("findings"))
             .where(f.release_id.in_(ids))
             .group_by(f.release_id, f.kind, f.status, f.severity))
    counts = ReleaseVulnerabilityCountRow
    _replace(session, counts,
             _narrowed(counts.release_id.in_(ids), counts.vulnerability_id, vulnerabilities),
             select(f.release_id, f.vulnerability_id, f.kind, f.status,
                    func.count().label("findings"), func.max(f.severity).label("severity"))
             .where(_narrowed(f.release_id.in_(ids), f.vulnerability_id, vulnerabilities))
             .group_by(f.release_id, f.vulnerability_id, f.kind, f.status))


def _recount_products(session: Session, ids: Sequence[int],
                      vulnerabilities: Sequence[str] | None) -> None:
    c, counts = ReleaseVulnerabilityCountRow, ProductVulnerabilityCountRow
    _replace(session, counts,
             _narrowed(counts.product_id.in_(ids), counts.vulnerability_id, vulnerabilities),
             select(ReleaseRow.product_id, c.status, c.kind, c.vulnerability_id,
                    func.count().label("releases"), func.sum(c.findings).label("findings"),
                    func.max(c.severity).label("severity"))
             .join(ReleaseRow, ReleaseRow.id == c.release_id)
             .where(_narrowed(ReleaseRow.product_id.in_(ids), c.vulnerability_id,
                              vulnerabilities))
             .group_by(ReleaseRow.product_id, c.status, c.kind, c.vulnerability_id))


def _narrowed(condition: ColumnElement[bool], vulnerability: Any,
              vulnerabilities: Sequence[str] | None) -> ColumnElement[bool]:
    return condition if vulnerabilities is None else and_(
        condition, vulnerability.in_(vulnerabilities))


def _replace(session: Session, table: type[Base], stale: ColumnElement[bool],
             rows: Select[*tuple[Any, ...]]) -> None:
    """Delete ``table``'s ``stale`` rows and insert ``rows``, whose columns are named as
    the table's."""
    session.execute(delete(table).where(stale))
    session.execute(insert(table).from_select([c.name for c in rows.selected_columns], rows))


# The reads below are built once for each condition on the products and each shape of
# filters (``lru_cache``: the callers pass conditions they built once, with the viewer
# as a parameter whose value is in ``values``), and executed with the filters' values.
_STATEMENTS = 64


def by_severity(session: Session, products: ColumnElement[bool], *, status: str,
                values: Mapping[str, Any] | None = None) -> dict[int, int]:
    """Findings in ``status`` by severity, of the releases of the products ``products``
    selects (a condition on ``ProductRow``; ``values``: those of its parameters)."""
    rows = session.execute(_by_severity_statement(products),
                           {**(values or {}), "status": status})
    return {int(severity): int(n) for severity, n in rows}


@lru_cache(maxsize=_STATEMENTS)
def _by_severity_statement(products: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    counts = ReleaseFindingCountRow
    return (select(counts.severity, func.sum(counts.findings))
            .join(ReleaseRow, ReleaseRow.id == counts.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .where(products, counts.status == bindparam("status"))
            .group_by(counts.severity))


def widest_vulnerabilities(session: Session, product_ids: Any, *, status: str, kind: str,
                           limit: int, values: Mapping[str, Any] | None = None,
                           ) -> list[tuple[str, int, int, int]]:
    """(vulnerability, highest severity, releases, findings) of the products whose ids
    ``product_ids`` selects (``values``: its parameters'), in ``status`` and of
    ``kind``: in most releases first, then most findings.

    Summed first only for the candidates: the vulnerabilities in the most releases of at
    least one of the products (ix_product_vulnerability_count_releases). Any other is in
    fewer than that most in each product, so in at most their sum less one a product in
    all; when the last of a full list of candidates is in more releases than that, no
    other can rank among them, and the list is the answer (a buyer on bench_service's
    1M store: 1,600 of 45,800 count rows read, 16 -> 6 ms). Otherwise every
    vulnerability of the products is summed."""
    given = {**(values or {}), "status": status, "kind": kind, "shown": limit}
    candidates, every = _widest_statements(product_ids)
    rows = session.execute(candidates, given).all()
    bound = int(rows[0][4] or 0) if rows else 0
    if bound >= 1 and (len(rows) < limit or rows[-1][2] <= bound):
        rows = session.execute(every, given).all()
    return [(vid, int(sev), int(n_rel), int(n)) for vid, sev, n_rel, n, _ in rows]


@lru_cache(maxsize=_STATEMENTS)
def _widest_statements(product_ids: Any) -> tuple[Select[*tuple[Any, ...]],
                                                  Select[*tuple[Any, ...]]]:
    """The statement over the candidates, returning the bound any other stays within;
    the statement over all."""
    counts = ProductVulnerabilityCountRow
    wanted = (counts.status == bindparam("status"), counts.kind == bindparam("kind"))
    most = (select(counts.releases).where(counts.product_id == ProductRow.id, *wanted)
            .order_by(counts.releases.desc()).limit(1).correlate(ProductRow)
            .scalar_subquery())
    seen = (select(ProductRow.id.label("product_id"), most.label("most"))
            .where(ProductRow.id.in_(product_ids)).cte("seen"))
    candidates = (select(counts.vulnerability_id)
                  .join(seen, seen.c.product_id == counts.product_id)
                  .where(*wanted, counts.releases >= seen.c.most))
    others_at_most = (select(func.sum(case((seen.c.most > 1, seen.c.most - 1), else_=0)))
                      .scalar_subquery())
    return (_widest(select(seen.c.product_id), wanted, others_at_most)
            .where(counts.vulnerability_id.in_(candidates)),
            _widest(product_ids, wanted, literal(0)))


def _widest(product_ids: Any, wanted: tuple[ColumnElement[bool], ...],
            bound: Any) -> Select[*tuple[Any, ...]]:
    counts = ProductVulnerabilityCountRow
    releases, findings = func.sum(counts.releases), func.sum(counts.findings)
    return (select(counts.vulnerability_id, func.max(counts.severity), releases, findings,
                   bound)
            .where(counts.product_id.in_(product_ids), *wanted)
            .group_by(counts.vulnerability_id)
            .order_by(releases.desc(), findings.desc(), counts.vulnerability_id)
            .limit(bindparam("shown", type_=Integer)))


def findings_counted(session: Session, products: ColumnElement[bool], *,
                     status: str | None, kind: str | None, min_severity: int,
                     values: Mapping[str, Any] | None = None,
                     ) -> tuple[dict[int, int], dict[int, int], int]:
    """By severity, how many findings in ``status`` and of ``kind`` (None: any), of at
    least ``min_severity``, the releases of the products ``products`` selects hold
    (``values``: its parameters'), and how many of any status and kind; and how many of
    the first kind all releases hold. One statement."""
    wanted: dict[int, int] = {}
    held: dict[int, int] = {}
    every = 0
    for severity, n_wanted, n_held, n_every in session.execute(
            _counted_statement(products, status is not None, kind is not None),
            {**(values or {}), "status": status, "kind": kind, "min_severity": min_severity}):
        wanted[int(severity)], held[int(severity)] = int(n_wanted), int(n_held)
        every = int(n_every)
    return wanted, held, every


@lru_cache(maxsize=_STATEMENTS)
def _counted_statement(products: ColumnElement[bool], status: bool,
                       kind: bool) -> Select[*tuple[Any, ...]]:
    """The selected products' releases' counts read by release, and all releases'
    counts without joining them to their products: as one join of every count row to
    its release and product, checked row by row, a buyer's cost 2.0 ms on bench_service's
    1M store, 0.4-0.7 ms so."""
    counts, every = ReleaseFindingCountRow, aliased(ReleaseFindingCountRow)
    releases = select(ReleaseRow.id).where(
        ReleaseRow.product_id.in_(select(ProductRow.id).where(products)))
    in_all = (select(func.coalesce(func.sum(every.findings), 0))
              .where(*_wanted(every, status=status, kind=kind)).scalar_subquery())
    return (select(counts.severity,
                   func.sum(case((and_(*_wanted(counts, status=status, kind=kind)),
                                  counts.findings), else_=0)),
                   func.sum(counts.findings), in_all)
            .where(counts.release_id.in_(releases))
            .group_by(counts.severity))


def _wanted(counts: Any, *, status: bool, kind: bool) -> list[ColumnElement[bool]]:
    wanted: list[ColumnElement[bool]] = [
        counts.severity >= bindparam("min_severity", type_=Integer)]
    if status:
        wanted.append(counts.status == bindparam("status"))
    if kind:
        wanted.append(counts.kind == bindparam("kind"))
    return wanted
