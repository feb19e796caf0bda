"""Vulnerability findings of stored components: match them against the advisories and
apply the one finding lifecycle. Called inside the use cases' transactions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cpstrust.app.advisory_lookup import AdvisoryCache, StoredAdvisoryLookup
from cpstrust.app.vex import apply_stored_vex
from cpstrust.model.finding import FindingStatus, VulnerabilityMatch
from cpstrust.model.lifecycle import reconcile
from cpstrust.model.sbom import SbomComponent
from cpstrust.store import findings as findings_store
from cpstrust.store.advisories import SessionAdvisoryReads
from cpstrust.store.findings import StoredComponent
from cpstrust.vulndb.matching import match_components

# An advisory no longer matching a stored component: its version never changes, so the
# component was not affected after all (the advisory was withdrawn or corrected).
RESOLUTION = FindingStatus.NOT_AFFECTED
RESOLUTION_NOTE = "advisory data no longer matches (withdrawn or corrected)"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Result of re-evaluating a set of stored components."""

    components: int
    matches: tuple[VulnerabilityMatch, ...]
    new: tuple[tuple[int, VulnerabilityMatch], ...]  # (release id, match) open from now on
    cleared: int  # findings resolved because the advisories no longer support them


def evaluate_components(session: Session, rows: Sequence[StoredComponent], at: datetime,
                        cache: AdvisoryCache | None = None) -> Evaluation:
    """Match ``rows`` against the stored advisories and reconcile their findings."""
    release_of = {cid: rid for cid, rid, *_ in rows}
    components = [SbomComponent(ref=str(cid), name=name, version=version, purl=purl)
                  for cid, _rid, name, version, purl in rows if purl]
    lookup = StoredAdvisoryLookup(SessionAdvisoryReads(session), cache)
    report = match_components(components, lookup)
    kept = findings_store.kept_findings(session, list(release_of))
    observed = {(int(m.component_ref), m.vulnerability_id): m for m in report.matches}
    plan = reconcile({key: state for key, (_fid, state) in kept.items()}, observed)
    opened = [(release_of[key[0]], observed[key]) for key in plan.opened]
    findings_store.insert_findings(session, opened, at)
    findings_store.refresh_findings(session, [(kept[k][0], observed[k]) for k in plan.refreshed],
                                    at)
    reopened = [(kept[k][0], observed[k]) for k in plan.reopened]
    findings_store.refresh_findings(session, reopened, at, reopen=True)
    findings_store.resolve_findings(session, [kept[k][0] for k in plan.resolved], RESOLUTION,
                                    RESOLUTION_NOTE)
    new = (*opened, *((release_of[k[0]], observed[k]) for k in plan.reopened))
    if new:  # the stored VEX statements decide new findings too
        apply_stored_vex(session, sorted({release_id for release_id, _ in new}))
    return Evaluation(len(rows), report.matches, tuple(new), len(plan.resolved))


def evaluate_releases(session: Session, release_ids: Sequence[int], at: datetime,
                      cache: AdvisoryCache | None = None) -> Evaluation:
    """Every component of these releases."""
    rows = findings_store.components_of_releases(session, release_ids)
    return evaluate_components(session, rows, at, cache)
