"""SBOMs of releases: store one or many (the document kept as evidence), evaluate them,
and find a stored one by its digest.

A release has one current SBOM: storing another replaces its components and findings,
and the decisions people took on findings that still apply are carried over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust.app.advisory_lookup import AdvisoryCache
from cpstrust.app.evaluation import Evaluation, evaluate_releases
from cpstrust.app.events import FindingWatch, record_events
from cpstrust.app.licence_findings import evaluate_licences, stored_policy
from cpstrust.app.sbom_batch import BatchImport, SbomToImport, store_batch
from cpstrust.app.services import Services
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.events import Cause, CauseKind
from cpstrust.model.sbom import Sbom
from cpstrust.store import findings as findings_store
from cpstrust.store.graph import release_ids
from cpstrust.store.sboms import StoredSbom, sbom_with_digest, store_sbom


@dataclass(frozen=True, slots=True)
class SbomImport:
    stored: StoredSbom
    sbom: Sbom
    evaluation: Evaluation


def import_sbom(
    services: Services,
    path: Path,
    *,
    product: str,
    version: str,
    supplier: str | None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> SbomImport:
    """Validate and store ``path`` as the SBOM of ``product`` ``version`` (the product is
    created under ``supplier`` when new), then evaluate the release."""
    sbom, raw = read_sbom_file(path, limits)
    at = datetime.now(UTC)
    with services.store.transaction() as session:
        return store_and_evaluate(session, services, sbom, raw, source_name=path.name,
                                  product=product, version=version, supplier=supplier, at=at)


def store_and_evaluate(session: Session, services: Services, sbom: Sbom, raw: bytes, *,
                       source_name: str, product: str, version: str, supplier: str | None,
                       at: datetime) -> SbomImport:
    """Store a validated SBOM as the release's current one and evaluate the release,
    inside the caller's transaction."""
    watch = FindingWatch(session, release_ids(session, product, version))
    stored = store_sbom(session, sbom, raw, source_name=source_name, product=product,
                        version=version, supplier=supplier, received_at=at)
    evaluation = evaluate_stored(session, stored, at, services.advisory_cache, watch)
    return SbomImport(stored, sbom, evaluation)


def import_sboms(
    services: Services,
    items: Sequence[SbomToImport],
    *,
    evaluate: bool = True,
    limits: ReadLimits = DEFAULT_LIMITS,
    workers: int | None = None,
) -> BatchImport:
    """Store many SBOMs in one transaction, then evaluate their releases.

    Worker processes (``workers``, one per core by default) read, validate and turn the
    SBOMs into rows while this process writes them. The same rules as
    :func:`import_sbom` apply to each; a bad SBOM anywhere writes nothing, and the error
    names its file, the place and the problem.
    """
    with services.store.transaction() as session:
        return store_batch(session, items, evaluate=evaluate, limits=limits, workers=workers,
                           at=datetime.now(UTC), cache=services.advisory_cache)


def stored_sbom_by_digest(services: Services, sha256: str) -> Sbom | None:
    """A stored SBOM document with this digest, parsed again from its kept bytes."""
    with services.store.transaction() as session:
        return sbom_with_digest(session, sha256)


def evaluate_stored(session: Session, stored: StoredSbom, at: datetime,
                    cache: AdvisoryCache | None, watch: FindingWatch) -> Evaluation:
    """Evaluate a release whose SBOM was just stored (its vulnerabilities, and its licences
when a licence policy is stored), carrying people's decisions over,
    and record the events of the change since ``watch`` (taken before it was stored)."""
    evaluation = evaluate_releases(session, [stored.release_id], at, cache)
    policy = stored_policy(session)
    if policy is not None:  # without one, a new SBOM has no licence findings to keep
        evaluate_licences(session, [stored.release_id], policy, at)
    findings_store.restore_decisions(session, stored.release_id, stored.decisions)
    record_events(session, watch, [stored.release_id],
                  Cause(CauseKind.SBOM, f"sha256 {stored.sha256}"), at)
    return evaluation
