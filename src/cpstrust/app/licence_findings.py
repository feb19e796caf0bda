"""Licence findings of stored releases: each release's kept SBOM judged by the stored
licence policy as it applies to the release's product and the organisation supplying it
(``sbom.licences``, as `licenses check --product` judges it), and the problems it flags
kept through the one finding lifecycle. Called inside the use cases' transactions: a
policy set or cleared, an SBOM stored."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cpstrust.formats.licence_policy import read_licence_policy
from cpstrust.formats.licensedb import licence_categories
from cpstrust.model.finding import FindingStatus
from cpstrust.model.licence import LicencePolicy
from cpstrust.model.licence_findings import LicenceProblem, licence_problems
from cpstrust.model.lifecycle import KeptFinding, reconcile
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.licences import ScopedJudges
from cpstrust.store import licence_findings as store
from cpstrust.store.findings import resolve_findings
from cpstrust.store.graph import release_suppliers
from cpstrust.store.licence_policy import current_policy_version
from cpstrust.store.sboms import sbom_with_digest

# A licence finding the policy no longer flags (it was changed or cleared): the
# component's licence never changed, so it was not a problem under the policy now held.
RESOLUTION = FindingStatus.NOT_AFFECTED
RESOLUTION_NOTE = "the licence policy no longer flags it (changed or cleared)"
# Releases judged together: their SBOMs' components and findings in memory at once.
_RELEASES_PER_STEP = 50


@dataclass(frozen=True, slots=True)
class LicenceEvaluation:
    """What re-evaluating the licence findings of some releases did."""

    releases: int
    flagged: int  # licence findings the policy observes now
    opened: int
    reopened: int
    resolved: int


def stored_policy(session: Session) -> LicencePolicy | None:
    """The licence policy held now, or None (never set, or cleared)."""
    held = current_policy_version(session)
    if held is None or held.document is None:
        return None
    return read_licence_policy(held.document,
                               source=f"stored licence policy version {held.version}")


def evaluate_licences(session: Session, release_ids: Sequence[int],
                      policy: LicencePolicy | None, at: datetime) -> LicenceEvaluation:
    """Judge ``release_ids`` by ``policy`` (None: no policy, nothing flagged) and move
    their licence findings along the lifecycle."""
    ids = sorted(set(release_ids))
    judges = ScopedJudges(policy, licence_categories()) if policy is not None else None
    flagged = opened = reopened = resolved = 0
    for start in range(0, len(ids), _RELEASES_PER_STEP):
        chunk = ids[start : start + _RELEASES_PER_STEP]
        observed = _observed(session, chunk, judges) if judges is not None else {}
        kept = store.kept_licence_findings(session, chunk)
        plan = reconcile({key: state for key, (_fid, state) in kept.items()}, observed)
        store.insert_licence_findings(
            session, [(observed[k][0], k[0], k[1], int(observed[k][1].severity),
                       observed[k][1].licence) for k in plan.opened], at)
        for keys, reopen in ((plan.refreshed, False), (plan.reopened, True)):
            for severity, found in _by_severity(keys, observed, kept).items():
                store.seen_again(session, found, at, severity, reopen=reopen)
        resolve_findings(session, [kept[k][0] for k in plan.resolved], RESOLUTION,
                         RESOLUTION_NOTE)
        flagged += len(observed)
        opened, reopened = opened + len(plan.opened), reopened + len(plan.reopened)
        resolved += len(plan.resolved)
    return LicenceEvaluation(len(ids), flagged, opened, reopened, resolved)


Observed = dict[store.LicenceKey, tuple[int, LicenceProblem]]  # -> (release id, problem)


def _observed(session: Session, release_ids: Sequence[int], judges: ScopedJudges,
              ) -> Observed:
    """The licence findings the policy flags on these releases' components, by key; each
    release judged by the policy as it applies to its product and supplier."""
    components = store.component_ids_by_ref(session, release_ids)
    suppliers = release_suppliers(session, release_ids)
    observed: Observed = {}
    for release_id, sha256 in sorted(store.current_sboms(session, release_ids).items()):
        sbom = sbom_with_digest(session, sha256, SbomDetail.QUALITY)
        if sbom is None:
            continue
        refs = components.get(release_id, {})
        judge = judges.judge(*suppliers[release_id])
        for problem in licence_problems(judge.check(sbom)):
            for component_id in refs.get(problem.component_ref, ()):
                observed.setdefault((component_id, problem.finding_id), (release_id, problem))
    return observed


def _by_severity(keys: Sequence[store.LicenceKey], observed: Observed,
                 kept: Mapping[store.LicenceKey, tuple[int, KeptFinding]],
                 ) -> dict[int, list[int]]:
    """Kept findings' ids by the severity observed now (a conflict rule or the policy's
    ``unknown`` may have gone from review to deny under the same id)."""
    grouped: dict[int, list[int]] = {}
    for key in keys:
        grouped.setdefault(int(observed[key][1].severity), []).append(kept[key][0])
    return grouped
