"""A tenant's findings, page after page, are the same whichever plan reads them: the walk
of the findings in order or the read of the tenant's releases, sorted (ADR 0024); the
plan follows what the tenant sees of all findings."""

from __future__ import annotations

import random

from sqlalchemy import select, update
from tenants import Tenants

from cpstrust.app.tenancy import severity_bound, walks_index
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.pages import PageRequest
from cpstrust.model.reports import StoredFinding
from cpstrust.store import finding_counts
from cpstrust.store import tenancy as tenant_store
from cpstrust.store.identity import organisation_id
from cpstrust.store.tables import FindingRow


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
    # down to the bound (the first page, worst first): a buyer's 1,673 critical ones
    # read by release 9-10 ms, walked 1.3-2.5 ms; a supplier of two products' 340, read
    # by release 3.0-3.3 ms, walked 3.9-7.0 ms
    worst = PageRequest(limit=50, descending=True)
    assert walks_index(245_923, 2_446_446, 245_923, worst, bounded_read=1_673)
    assert not walks_index(48_841, 2_446_446, 48_841, worst, bounded_read=340)


def randomise(tenants: Tenants, seed: int) -> None:
    """Each finding a random severity and status, the kept counts recounted."""
    rng = random.Random(seed)
    statuses = [FindingStatus.OPEN.value, FindingStatus.FIXED.value]
    with tenants.services.store.transaction() as session:
        ids = list(session.execute(select(FindingRow.id, FindingRow.release_id)))
        for finding, _ in ids:
            session.execute(update(FindingRow).where(FindingRow.id == finding).values(
                severity=rng.choice(list(Severity)), status=rng.choice(statuses)))
        finding_counts.recount(session, [release for _, release in ids])


def bounded_pages(tenants: Tenants, org: str, *, limit: int, descending: bool,
                  status: FindingStatus | None,
                  least: Severity) -> tuple[list[list[StoredFinding]], int]:
    """Every page as ``app.tenancy.findings`` reads it for a tenant that sees few: from
    its releases, down to the severity the kept counts say fills the page; and how many
    pages were read with a bound."""
    pages, bounded, after = [], 0, None
    with tenants.services.store.transaction() as session:
        viewer = organisation_id(session, org)
        assert viewer is not None
        while True:
            request = PageRequest(limit=limit, after=after, descending=descending)
            bound = severity_bound(tenant_store.findings_counted(
                session, viewer, product=None, status=status, kind=None,
                min_severity=least)[0], request)
            bounded += bound is not None
            page = tenant_store.findings(session, viewer, request, by_severity=True,
                                         walk_index=False, status=status, min_severity=least,
                                         severity_bound=bound)
            pages.append(list(page.items))
            if page.next_after is None:
                return pages, bounded
            after = page.next_after


def walked_pages(tenants: Tenants, org: str, *, limit: int, descending: bool,
                 status: FindingStatus | None, least: Severity) -> list[list[StoredFinding]]:
    pages, after = [], None
    with tenants.services.store.transaction() as session:
        viewer = organisation_id(session, org)
        assert viewer is not None
        while True:
            page = tenant_store.findings(
                session, viewer, PageRequest(limit=limit, after=after, descending=descending),
                by_severity=True, status=status, min_severity=least)
            pages.append(list(page.items))
            if page.next_after is None:
                return pages
            after = page.next_after


def test_the_severity_bound_reads_the_same_pages_on_a_random_store(tenants: Tenants) -> None:
    randomise(tenants, seed=2026)
    bounded = 0
    for org in ("A", "X", "Z"):
        for limit in (1, 3, 8):
            for descending in (True, False):
                for status, least in ((None, Severity.UNKNOWN),
                                      (FindingStatus.OPEN, Severity.MEDIUM)):
                    read, used = bounded_pages(tenants, org, limit=limit, descending=descending,
                                               status=status, least=least)
                    walked = walked_pages(tenants, org, limit=limit, descending=descending,
                                          status=status, least=least)
                    assert read == walked, (org, limit, descending, status, least)
                    bounded += used
    assert bounded > 20  # most pages read only down to a bound


def test_the_bound_counts_only_the_severities_after_the_cursor() -> None:
    counts = {9: 2, 7: 3, 4: 10, 0: 5}
    assert severity_bound(counts, PageRequest(limit=4, descending=True)) == 7
    assert severity_bound(counts, PageRequest(limit=4, after=(9, 12), descending=True)) == 4
    assert severity_bound(counts, PageRequest(limit=4)) == 0
    assert severity_bound(counts, PageRequest(limit=4, after=(4, 3))) == 9
    assert severity_bound(counts, PageRequest(limit=40, descending=True)) is None
