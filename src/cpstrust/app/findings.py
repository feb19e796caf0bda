"""Stored findings and what they add up to: listing, people's decisions on them, the
portfolio report and the blast radius of one vulnerability."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.lifecycle import Decider
from cpstrust.model.reports import Impact, ReleaseSummary, StoredFinding, VulnerabilitySpread
from cpstrust.store import finding_counts
from cpstrust.store import findings as findings_store
from cpstrust.store.impact import impact as impact_query
from cpstrust.store.reports import list_findings as findings_query
from cpstrust.store.reports import release_summaries, vulnerability_spread


@dataclass(frozen=True, slots=True)
class FindingFilter:
    status: FindingStatus | None = None
    product: str | None = None
    min_severity: Severity = Severity.UNKNOWN
    kind: FindingKind | None = None


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Every stored release with its open findings, and the widest vulnerabilities."""

    releases: tuple[ReleaseSummary, ...]
    top_vulnerabilities: tuple[VulnerabilitySpread, ...]

    def open_at_or_above(self, severity: Severity) -> int:
        """Open findings of ``severity`` or worse, over every release."""
        return sum(n for r in self.releases for s, n in r.open_by_severity.items()
                   if s >= severity)


def list_findings(services: Services,
                  which: FindingFilter = FindingFilter()) -> list[StoredFinding]:
    """Findings, worst first."""
    with services.store.transaction() as session:
        return findings_query(session, status=which.status.value if which.status else None,
                              product=which.product, min_severity=which.min_severity,
                              kind=which.kind)


def set_finding_status(services: Services, finding_id: int, status: FindingStatus,
                       note: str | None) -> None:
    """Record a person's decision on a finding (accepted, not affected, fixed, or open
    again): the engines keep it until the finding is no longer observed."""
    with services.store.transaction() as session:
        if not decide(session, finding_id, status, note):
            raise NotFoundError("app_no_finding", finding_id=finding_id)


def decide(session: Session, finding_id: int, status: FindingStatus, note: str | None) -> bool:
    """A person's decision written, and the counts kept of its release and vulnerability
    recounted in the same transaction (ADR 0024); False when there is no such finding."""
    changed = findings_store.set_status(session, finding_id, status, note, Decider.PERSON)
    if changed is None:
        return False
    release_id, vulnerability = changed
    finding_counts.recount(session, [release_id], [vulnerability])
    return True


def portfolio(services: Services) -> Portfolio:
    with services.store.transaction() as session:
        return Portfolio(tuple(release_summaries(session)), tuple(vulnerability_spread(session)))


def impact(services: Services, identifier: str) -> Impact:
    """The blast radius of a vulnerability (any alias) across the stored supply chain."""
    with services.store.transaction() as session:
        return impact_query(session, identifier)
