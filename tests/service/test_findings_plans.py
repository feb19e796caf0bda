"""A tenant's findings, page after page, are the same whichever plan reads them: the walk
of the findings in order or the read of the tenant's releases, sorted (ADR 0024); the
plan follows what the tenant sees of all findings."""

from __future__ import annotations

from tenants import Tenants

from cpstrust.app.tenancy import walks_index
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind
from cpstrust.model.pages import PageRequest
from cpstrust.model.reports import StoredFinding
from cpstrust.store import tenancy as tenant_store
from cpstrust.store.identity import organisation_id


def every_page(tenants: Tenants, org: str, *, walk: bool, by_severity: bool,
               product: str | None = None,
               min_severity: Severity = Severity.UNKNOWN) -> list[list[StoredFinding]]:
    pages = []
    with tenants.services.store.transaction() as session:
        viewer = organisation_id(session, org)
        assert viewer is not None
        after = None
        while True:
            page = tenant_store.findings(
                session, viewer, PageRequest(limit=7, after=after, descending=by_severity),
                by_severity=by_severity, walk_index=walk, product=product,
                kind=FindingKind.VULNERABILITY, min_severity=min_severity)
            pages.append(list(page.items))
            if page.next_after is None:
                return pages
            after = page.next_after


def test_both_plans_read_the_same_pages_for_every_tenant(tenants: Tenants) -> None:
    for org in ("A", "X", "Z"):
        for by_severity in (True, False):
            for product, least in ((None, Severity.UNKNOWN), ("a-hub", Severity.HIGH)):
                walked = every_page(tenants, org, walk=True, by_severity=by_severity,
                                    product=product, min_severity=least)
                read = every_page(tenants, org, walk=False, by_severity=by_severity,
                                  product=product, min_severity=least)
                assert walked == read, (org, by_severity, product)
    assert sum(map(len, every_page(tenants, "A", walk=False, by_severity=True))) > 7


def test_the_walk_is_chosen_when_the_tenant_sees_much_of_all() -> None:
    page = PageRequest(limit=50)
    # bench_service's store: a buyer sees 245,923 of 2,446,446 findings, a supplier
    # 23,686 (the walk to its first page 39 ms, its releases read and sorted 17 ms)
    assert walks_index(245_923, 2_446_446, 245_923, page)
    assert not walks_index(23_686, 2_446_446, 23_686, page)
    # a buyer's critical ones: 1,673 of 16,792 (walked 4 ms, 246,000 read by release 33 ms)
    assert walks_index(1_673, 16_792, 245_923, page)
