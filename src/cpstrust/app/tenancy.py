"""The use cases the service exposes, each for an authenticated caller: what its role
permits (``model.identity``), and only what its organisation may see — its own, and a
supplier's products through a grant the supplier made. Every query below takes the
caller's organisation; a thing another tenant holds is answered as not found, so that
its existence is not told either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from cpstrust.app.findings import decide
from cpstrust.app.sboms import SbomImport, store_and_evaluate
from cpstrust.app.scanning import StoredScan, rescan
from cpstrust.app.services import Services
from cpstrust.errors import ConflictError, NotFoundError, PermissionDeniedError
from cpstrust.formats.files import read_limited
from cpstrust.formats.sbom import read_sbom
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.identity import OPERATOR_ACTIONS, Action, Caller, permits
from cpstrust.model.pages import Page, PageRequest
from cpstrust.model.reports import StoredFinding
from cpstrust.model.tenancy import (
    Access,
    AuditEntry,
    OrganisationView,
    ProductView,
    ReleaseView,
)
from cpstrust.store import identity as identity_store
from cpstrust.store import tenancy as tenant_store


@dataclass(frozen=True, slots=True)
class FindingQuery:
    product: str | None = None
    status: FindingStatus | None = None
    kind: FindingKind | None = None
    min_severity: Severity = Severity.UNKNOWN
    by_severity: bool = True  # worst first (descending); else by id


def require(caller: Caller, action: Action) -> None:
    if permits(caller, action):
        return
    if action in OPERATOR_ACTIONS:
        raise PermissionDeniedError("tenancy_operator_only", action=action.value)
    raise PermissionDeniedError("tenancy_role_forbids", role=caller.role.value,
                                action=action.value)


def organisations(services: Services, caller: Caller,
                  page: PageRequest) -> Page[OrganisationView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return tenant_store.organisations(session, caller.organisation_id, page)


def products(services: Services, caller: Caller, page: PageRequest,
             supplier: str | None = None) -> Page[ProductView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return tenant_store.products(session, caller.organisation_id, page, supplier=supplier)


def product(services: Services, caller: Caller, name: str) -> ProductView:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        found = tenant_store.visible_product(session, caller.organisation_id, name)
    if found is None:
        raise NotFoundError("tenancy_no_product", product=name)
    return found


def releases(services: Services, caller: Caller, product_name: str,
             page: PageRequest) -> Page[ReleaseView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        if tenant_store.visible_product(session, caller.organisation_id, product_name) is None:
            raise NotFoundError("tenancy_no_product", product=product_name)
        return tenant_store.releases(session, caller.organisation_id, product_name, page)


def findings(services: Services, caller: Caller, page: PageRequest,
             which: FindingQuery = FindingQuery()) -> Page[StoredFinding]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        wanted, held, every = tenant_store.findings_counted(
            session, caller.organisation_id, product=which.product, status=which.status,
            kind=which.kind, min_severity=which.min_severity)
        seen = sum(wanted.values())
        if seen == 0:
            return Page((), None)
        bound = severity_bound(wanted, page) if which.by_severity else None
        read = None if bound is None else sum(
            n for severity, n in held.items()
            if (severity >= bound if page.descending else severity <= bound))
        walk = walks_index(seen, every, sum(held.values()), page, bounded_read=read)
        return tenant_store.findings(
            session, caller.organisation_id, page, by_severity=which.by_severity,
            walk_index=walk, product=which.product, status=which.status, kind=which.kind,
            min_severity=which.min_severity, severity_bound=None if walk else bound)


def change_finding_status(services: Services, caller: Caller, finding_id: int,
                          status: FindingStatus, note: str | None,
                          at: datetime) -> StoredFinding:
    """A person's decision on a finding of the caller's own products, with who, when
    and why kept in the audit trail. A buyer that sees the finding through a grant may
    read it, not decide on it."""
    require(caller, Action.TRIAGE)
    with services.tenant_transaction(caller) as session:
        before = tenant_store.visible_finding(session, caller.organisation_id, finding_id)
        if before is None:
            raise NotFoundError("app_no_finding", finding_id=finding_id)
        if tenant_store.finding_owner(session, finding_id) != caller.organisation_id:
            raise PermissionDeniedError("tenancy_decision_is_suppliers", finding_id=finding_id)
        decide(session, finding_id, status, note)
        tenant_store.add_audit(session, finding_id=finding_id,
                               organisation=caller.organisation_id, actor=caller.actor, at=at,
                               old=before.status, new=status.value, note=note)
        after = tenant_store.visible_finding(session, caller.organisation_id, finding_id)
    assert after is not None  # visible a moment ago, in this transaction
    return after


def finding_history(services: Services, caller: Caller, finding_id: int) -> list[AuditEntry]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        if tenant_store.visible_finding(session, caller.organisation_id, finding_id) is None:
            raise NotFoundError("app_no_finding", finding_id=finding_id)
        return tenant_store.audit_trail(session, finding_id)


def upload_sbom(services: Services, caller: Caller, path: Path, *, source_name: str,
                product_name: str, version: str, at: datetime,
                limits: ReadLimits = DEFAULT_LIMITS) -> SbomImport:
    """Validate the SBOM at ``path`` as the CLI's ``sbom import`` does, and store it for
    a release of one of the caller's products (created under its organisation when
    new). A product name another organisation holds is refused."""
    require(caller, Action.UPLOAD)
    raw = read_limited(path, limits)  # the server's own temporary file
    sbom = read_sbom(raw, source=source_name, limits=limits)
    with services.store.transaction() as session:  # names are global: not the tenant's scope
        held = identity_store.product_of(session, product_name)
    if held is not None and held[1] != caller.organisation_id:
        raise ConflictError("tenancy_product_name_taken", product=product_name)
    with services.tenant_transaction(caller) as session:
        return store_and_evaluate(session, services, sbom, raw, source_name=source_name,
                                  product=product_name, version=version,
                                  supplier=caller.organisation, at=at)


def scan_release(services: Services, caller: Caller, product_name: str,
                 version: str) -> StoredScan:
    """Re-evaluate one release of the caller's own products against the advisories as
    they are now."""
    require(caller, Action.SCAN)
    with services.tenant_transaction(caller) as session:
        release = tenant_store.owned_release(session, caller.organisation_id, product_name,
                                             version)
        if release is None:
            seen = tenant_store.visible_product(session, caller.organisation_id, product_name)
            if seen is not None and seen.access is Access.GRANTED:
                raise PermissionDeniedError("tenancy_scan_is_suppliers", product=product_name)
            raise NotFoundError("app_no_release_in_scope", product=product_name,
                                version=version)
        return rescan(session, services, [release], f"{product_name} {version}")


# A finding walked in index order costs about ten read from the viewer's releases and
# sorted (each walked row is joined and checked for visibility); about a third of one
# read from them down to a severity bound, each joined before the sort (bench_service's
# store, SQLite: 2,500 walked 3.9-7.0 ms, 340 read by release 3.0-3.3 ms).
WALKED_ROW_COST = 10
BOUNDED_ROW_COST = 3


def walks_index(seen: int, every: int, reach: int, page: PageRequest, *,
                bounded_read: int | None = None) -> bool:
    """Whether a page of the ``seen`` of ``every`` finding the filters let through is
    cheaper found by walking all of them in order (about ``page.limit * every / seen``
    walked) than by reading the ``reach`` findings of the viewer's releases and sorting
    the filters' (1M-component store: a buyer sees 240,000 of 2.4 million; a supplier
    24,000, the walk to its page 39 ms, its releases read and sorted 17 ms), or, with a
    severity bound, the ``bounded_read`` of them at or past it."""
    if bounded_read is not None:
        return page.limit * every <= BOUNDED_ROW_COST * bounded_read * seen
    return seen * reach >= WALKED_ROW_COST * page.limit * every


def severity_bound(by_severity: dict[int, int], page: PageRequest) -> int | None:
    """The severity down to which (up to, ascending) the findings after the cursor,
    ``by_severity`` counted, fill the page and one more, counting only the severities
    wholly after it (the cursor's own may have none left); None when all of them do not.
    Reading only the findings that far gives the same page as reading all."""
    after = None if page.after is None else cast(int, page.after[0])
    ordered = sorted(by_severity, reverse=page.descending)
    if after is not None:
        ordered = [s for s in ordered if (s < after if page.descending else s > after)]
    needed = page.limit + 1
    for severity in ordered:
        needed -= by_severity[severity]
        if needed <= 0:
            return severity
    return None
