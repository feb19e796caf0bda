"""Reads and writes of one tenant: each function takes the organisation it reads for
(``viewer``) and filters by it in the query; the application layer passes the caller's.

A product is visible to its supplier and to an organisation the supplier granted it to
(the product, or the whole relationship); its releases and findings go with it.
Listings are pages read by keyset (``model.pages``): ``(sort value, id)`` after the
previous page's last row.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.pages import Page, PageRequest
from cpstrust.model.reports import StoredFinding
from cpstrust.model.tenancy import Access, AuditEntry, OrganisationView, ProductView, ReleaseView
from cpstrust.store import finding_counts
from cpstrust.store.identity import aware
from cpstrust.store.reports import finding_query, stored_finding
from cpstrust.store.tables import (
    AccessGrantRow,
    ComponentRow,
    FindingAuditRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)

# The viewer as a parameter: the statements of a tenant's hot reads are built once for
# each shape (``functools.cache``) and executed with the viewer's id and the filters'
# values, since building one cost as much CPU as SQLite's executing it (~1 ms a
# statement, bench_service's findings page).
VIEWER = bindparam("viewer", type_=Integer)
Viewer = int | BindParameter[int]


def _granted(viewer: Viewer, product: Any = ProductRow) -> ColumnElement[bool]:
    """``product`` is shown to ``viewer`` by a grant of its supplier."""
    return exists().where(
        AccessGrantRow.grantee_id == viewer,
        AccessGrantRow.grantor_id == product.supplier_id,
        or_(AccessGrantRow.product_id.is_(None), AccessGrantRow.product_id == product.id),
    )


def product_visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """The current product is the viewer's own or granted to it: every query of a
    tenant's data filters by this (or by ``product_counted_for``). Checked row by row,
    so that a listing in index order (findings worst first, ``ix_finding_severity``)
    stops at the end of its page."""
    return or_(ProductRow.supplier_id == viewer, _granted(viewer))


def visible_product_ids(viewer: Viewer) -> CompoundSelect[int]:
    """The ids of the products ``product_visible_to`` lets through, as a sub-select: the
    viewer's own, and those its grants name, read apart. As one condition (own OR
    granted) PostgreSQL estimates half of all products and reads every row of a count
    table instead of the viewer's few products' (a supplier's "most widespread" on
    bench_service's 1M store: 247 -> 36 ms, a buyer's 374 -> 154 ms, at load ~17)."""
    product = aliased(ProductRow)
    granted = (select(product.id)
               .join(AccessGrantRow, and_(AccessGrantRow.grantor_id == product.supplier_id,
                                          or_(AccessGrantRow.product_id.is_(None),
                                              AccessGrantRow.product_id == product.id)))
               .where(AccessGrantRow.grantee_id == viewer))
    return union(select(ProductRow.id).where(ProductRow.supplier_id == viewer), granted)


def product_counted_for(viewer: Viewer) -> ColumnElement[bool]:
    """The same products as ``product_visible_to``, as the set of their ids, which the
    database reads once and then goes from product to release: for counts over all a
    tenant sees, instead of reading every release of every tenant."""
    return ProductRow.id.in_(visible_product_ids(viewer))


def keyset(query: Select[*tuple[Any, ...]], column: Any, id_column: InstrumentedAttribute[int],
            page: PageRequest) -> Select[*tuple[Any, ...]]:
    """``query`` from after the cursor, sorted by ``column`` then id, one row more than
    the page (to know whether another follows)."""
    if page.after is not None:
        # one row value, which the database reads an index on (column, id) from; as an OR
        # of two ranges SQLite read both and sorted all that follows (a buyer's second
        # page of findings walked: 2 s)
        key, after = tuple_(column, id_column), tuple_(*page.after)
        query = query.where(key < after if page.descending else key > after)
    order = (column.desc(), id_column.desc()) if page.descending else (column, id_column)
    return query.order_by(*order).limit(page.limit + 1)


def keyset_shaped(query: Select[*tuple[Any, ...]], column: Any,
                  id_column: InstrumentedAttribute[int], *, descending: bool,
                  after: bool) -> Select[*tuple[Any, ...]]:
    """``keyset`` for a statement built once: the cursor's value and id and the rows to
    read are the parameters ``after_value``, ``after_id`` and ``rows`` (``keyset_values``)."""
    if after:
        key = tuple_(column, id_column)
        cursor = tuple_(bindparam("after_value", type_=column.type),
                        bindparam("after_id", type_=Integer))
        query = query.where(key < cursor if descending else key > cursor)
    order = (column.desc(), id_column.desc()) if descending else (column, id_column)
    return query.order_by(*order).limit(bindparam("rows", type_=Integer))


def keyset_values(page: PageRequest) -> dict[str, Any]:
    after = {} if page.after is None else {"after_value": page.after[0],
                                            "after_id": page.after[1]}
    return {"rows": page.limit + 1, **after}


def page_of(items: list[Any], page: PageRequest, key: Any) -> Page[Any]:
    """The first ``page.limit`` items; the cursor after the last when more follow."""
    shown = items[:page.limit]
    more = len(items) > page.limit
    return Page(tuple(shown), key(shown[-1]) if more and shown else None)


def organisations(session: Session, viewer: int, page: PageRequest) -> Page[OrganisationView]:
    """The viewer's organisation, and those that granted it any of their products."""
    grantors = select(AccessGrantRow.grantor_id).where(AccessGrantRow.grantee_id == viewer)
    query = select(OrganizationRow).where(
        or_(OrganizationRow.id == viewer, OrganizationRow.id.in_(grantors)))
    rows = session.scalars(keyset(query, OrganizationRow.name, OrganizationRow.id, page))
    views = [OrganisationView(r.id, r.name, r.country,
                              Access.OWN if r.id == viewer else Access.GRANTED) for r in rows]
    return page_of(views, page, lambda v: (v.name, v.id))


def products(session: Session, viewer: int, page: PageRequest, *,
             supplier: str | None = None, name: str | None = None) -> Page[ProductView]:
    rows = session.execute(_products_statement(page.descending, page.after is not None,
                                               supplier is not None, name is not None),
                           {"viewer": viewer, "supplier": supplier, "name": name,
                            **keyset_values(page)})
    views = [ProductView(pid, pname, org, kind, description,
                         Access.OWN if supplier_id == viewer else Access.GRANTED)
             for pid, pname, org, kind, description, supplier_id in rows]
    return page_of(views, page, lambda v: (v.name, v.id))


@cache
def _products_statement(descending: bool, after: bool, supplier: bool,
                        name: bool) -> Select[*tuple[Any, ...]]:
    query: Select[*tuple[Any, ...]] = (
        select(ProductRow.id, ProductRow.name, OrganizationRow.name, ProductRow.kind,
               ProductRow.description, ProductRow.supplier_id)
        .join(OrganizationRow, OrganizationRow.id == ProductRow.supplier_id)
        .where(product_visible_to(VIEWER)))
    if supplier:
        query = query.where(OrganizationRow.name == bindparam("supplier"))
    if name:
        query = query.where(ProductRow.name == bindparam("name"))
    return keyset_shaped(query, ProductRow.name, ProductRow.id, descending=descending,
                         after=after)


def visible_product(session: Session, viewer: int, name: str) -> ProductView | None:
    found = products(session, viewer, PageRequest(limit=1), name=name).items
    return found[0] if found else None


def releases(session: Session, viewer: int, product: str,
             page: PageRequest) -> Page[ReleaseView]:
    """The releases of a product the viewer sees (none of one it does not)."""
    current = (select(SbomDocumentRow.sha256)
               .where(SbomDocumentRow.release_id == ReleaseRow.id)
               .order_by(SbomDocumentRow.id.desc()).limit(1).scalar_subquery())
    components = (select(func.count()).select_from(ComponentRow)
                  .where(ComponentRow.release_id == ReleaseRow.id).scalar_subquery())
    query = (select(ReleaseRow.id, ProductRow.name, ReleaseRow.version, current, components)
             .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
             .where(ProductRow.name == product, product_visible_to(viewer)))
    rows = session.execute(keyset(query, ReleaseRow.version, ReleaseRow.id, page))
    views = [ReleaseView(rid, prod, version, sha, int(count or 0))
             for rid, prod, version, sha, count in rows]
    return page_of(views, page, lambda v: (v.version, v.id))


def owned_release(session: Session, owner: int, product: str, version: str) -> int | None:
    """The id of a release of one of ``owner``'s own products."""
    return session.scalar(
        select(ReleaseRow.id).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.name == product, ReleaseRow.version == version,
               ProductRow.supplier_id == owner))


def findings(session: Session, viewer: int, page: PageRequest, *, by_severity: bool,
             walk_index: bool = True, product: str | None = None,
             status: FindingStatus | None = None, kind: FindingKind | None = None,
             min_severity: Severity = Severity.UNKNOWN,
             severity_bound: int | None = None) -> Page[StoredFinding]:
    """Findings of the products the viewer sees, by severity then id, or by id.
    ``walk_index``: read ``finding`` in that order (ix_finding_severity or the primary
    key), each row checked, until the page is full; else from the viewer's products to
    their releases' findings (ix_finding_release_severity), sorted: for a viewer that
    sees few of all findings, whose page the walk would find only far down the index.
    ``severity_bound`` (by severity): the severity down to (descending) or up to which
    the rows after the cursor are known to fill the page, so that only those are read."""
    statement = _findings_statement(
        by_severity=by_severity, walk_index=walk_index, descending=page.descending,
        after=page.after is not None, product=product is not None,
        status=status is not None, kind=kind is not None, bound=severity_bound is not None)
    rows = session.execute(statement, {
        "viewer": viewer, "product": product, "min_severity": int(min_severity),
        "status": None if status is None else status.value,
        "kind": None if kind is None else kind.value, "severity_bound": severity_bound,
        **keyset_values(page)})
    found = [stored_finding(row) for row in rows]
    return page_of(found, page,
                 lambda f: (int(f.severity) if by_severity else f.id, f.id))


@cache
def _findings_statement(*, by_severity: bool, walk_index: bool, descending: bool,
                        after: bool, product: bool, status: bool, kind: bool,
                        bound: bool) -> Select[*tuple[Any, ...]]:
    severity: Any = FindingRow.severity
    column: Any = FindingRow.id
    query = finding_query().where(product_visible_to(VIEWER))
    product_name: BindParameter[str] = bindparam("product")
    if not walk_index:
        # an expression is in no index: the database cannot walk one, and goes from the
        # viewer's releases instead
        severity, column = severity + 0, column + 0
        releases = select(ReleaseRow.id).where(
            ReleaseRow.product_id.in_(visible_product_ids(VIEWER)))
        if product:
            releases = releases.where(ReleaseRow.product_id.in_(
                select(ProductRow.id).where(ProductRow.name == product_name)))
        query = query.where(FindingRow.release_id.in_(releases))
    query = query.where(severity >= bindparam("min_severity", type_=Integer))
    if by_severity:
        column = severity
        if bound:
            # the column itself, which an index can read by
            least = bindparam("severity_bound", type_=Integer)
            query = query.where(FindingRow.severity >= least if descending
                                else FindingRow.severity <= least)
    if product:
        query = query.where(ProductRow.name == product_name)
    if status:
        query = query.where(FindingRow.status == bindparam("status"))
    if kind:
        query = query.where(FindingRow.kind == bindparam("kind"))
    return keyset_shaped(query, column, FindingRow.id, descending=descending, after=after)


@cache
def _counted_products(product: bool) -> ColumnElement[bool]:
    """The viewer's products (parameter ``viewer``), or the one named ``product``."""
    products = product_counted_for(VIEWER)
    return and_(products, ProductRow.name == bindparam("product")) if product else products


def findings_counted(session: Session, viewer: int, *, product: str | None,
                     status: FindingStatus | None, kind: FindingKind | None,
                     min_severity: Severity) -> tuple[dict[int, int], dict[int, int], int]:
    """By severity, how many of the findings ``findings`` would list the viewer sees,
    and how many findings of any status and kind it sees (of ``product``); how many of
    the first kind there are in all: from the kept counts (``store.finding_counts``)."""
    return finding_counts.findings_counted(
        session, _counted_products(product is not None),
        status=None if status is None else status.value,
        kind=None if kind is None else kind.value, min_severity=int(min_severity),
        values={"viewer": viewer, "product": product})


def visible_finding(session: Session, viewer: int, finding_id: int) -> StoredFinding | None:
    row = session.execute(finding_query().where(FindingRow.id == finding_id,
                                                product_visible_to(viewer))).first()
    return None if row is None else stored_finding(row)


def finding_owner(session: Session, finding_id: int) -> int | None:
    """The organisation that supplies the finding's product."""
    return session.scalar(
        select(ProductRow.supplier_id)
        .join(ReleaseRow, ReleaseRow.product_id == ProductRow.id)
        .join(FindingRow, FindingRow.release_id == ReleaseRow.id)
        .where(FindingRow.id == finding_id))


def add_audit(session: Session, *, finding_id: int, organisation: int, actor: str,
              at: datetime, old: str, new: str, note: str | None) -> None:
    session.add(FindingAuditRow(finding_id=finding_id, organisation_id=organisation,
                                actor=actor, at=at, old_status=old, new_status=new, note=note))


def audit_trail(session: Session, finding_id: int) -> list[AuditEntry]:
    """Every status change recorded on a finding, oldest first."""
    rows = session.scalars(select(FindingAuditRow).where(FindingAuditRow.finding_id == finding_id)
                           .order_by(FindingAuditRow.id))
    return [AuditEntry(r.id, r.finding_id, r.actor, aware(r.at), r.old_status, r.new_status,
                       r.note) for r in rows]
