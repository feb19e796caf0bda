"""Scans: an SBOM file against the advisory database (nothing stored), or stored
releases (their findings re-evaluated).

An empty advisory database is not a clean result: every scan says whether there were
advisories to match against.

A file scan is what a CI job runs, each time in a new process: it reads the advisories
through ``Services.advisory_reads`` and imports nothing of the store's ORM, which the
stored scans load when they run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cpstrust.app.advisory_lookup import StoredAdvisoryLookup
from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.sbom import PurlDisagreement, Sbom, SbomDetail
from cpstrust.sbom.consistency import purl_disagreements
from cpstrust.vulndb.matching import MatchReport, match_components

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cpstrust.app.evaluation import Evaluation
    from cpstrust.model.vex import VexOutcome


@dataclass(frozen=True, slots=True)
class FileScan:
    sbom: Sbom  # mapped to identity detail: what names a component and what matching needs
    report: MatchReport
    advisories_present: bool
    # Components matched by a purl that says another name or version than they do.
    disagreements: tuple[PurlDisagreement, ...] = ()
    vex: VexOutcome | None = None  # with VEX documents: the statement deciding each match


@dataclass(frozen=True, slots=True)
class StoredScope:
    """Which stored releases: every one (no product), a product's, or one release."""

    product: str | None = None
    version: str | None = None

    def __post_init__(self) -> None:
        if self.version is not None and self.product is None:
            raise InputError("app_version_needs_product")


@dataclass(frozen=True, slots=True)
class StoredScan:
    releases: int
    evaluation: Evaluation
    advisories_present: bool


def scan_file(services: Services, path: Path, limits: ReadLimits = DEFAULT_LIMITS,
              vex_paths: Sequence[Path] = ()) -> FileScan:
    """Match an SBOM file against the advisory database; stores nothing. Components whose
    purl disagrees with their name or version are reported besides (matching goes by the
    purl). With VEX documents (OpenVEX, CycloneDX, CSAF; read before anything is matched,
    so a bad one stops the scan), each match gets the statement that decides it.

    The SBOM is validated whole but mapped to IDENTITY detail: what names each component
    and what matching needs.
    """
    sbom, _raw = read_sbom_file(path, limits, SbomDetail.IDENTITY)
    if vex_paths:  # ~12 ms of imports a plain scan does without
        from cpstrust.formats.vex import read_vex_file
        from cpstrust.sbom.vex import decide
    documents = [read_vex_file(p, limits) for p in vex_paths]
    disagreements = tuple(purl_disagreements(sbom.components))
    with services.advisory_reads() as reads:
        lookup = StoredAdvisoryLookup(reads, services.advisory_cache)
        report = match_components(sbom.components, lookup)
        present = reads.any_advisory()
    vex = decide(sbom, report.matches, documents) if documents else None
    return FileScan(sbom, report, present, disagreements, vex)


def scan_stored(services: Services, scope: StoredScope) -> StoredScan:
    """Re-evaluate the stored releases in ``scope``: their findings follow the advisories
    as they are now. NotFoundError when no stored release is in scope."""
    from cpstrust.store.graph import release_ids  # the ORM: see the module's note

    with services.store.transaction() as session:
        ids = release_ids(session, scope.product, scope.version)
        if not ids:
            raise NotFoundError("app_no_release_in_scope", product=scope.product,
                                version=scope.version)
        scope_named = (" ".join(n for n in (scope.product, scope.version) if n)
                       or "every stored release")
        return rescan(session, services, ids, scope_named)


def rescan(session: Session, services: Services, ids: Sequence[int],
           scope_named: str) -> StoredScan:
    """Re-evaluate the releases ``ids`` inside the caller's transaction, recording the
    events of the change as a re-scan of ``scope_named``."""
    from cpstrust.app.evaluation import evaluate_releases
    from cpstrust.app.events import FindingWatch, record_events
    from cpstrust.model.events import Cause, CauseKind
    from cpstrust.store.advisories import any_advisory

    at = datetime.now(UTC)
    watch = FindingWatch(session, ids)
    evaluation = evaluate_releases(session, ids, at, services.advisory_cache)
    record_events(session, watch, (), Cause(CauseKind.RESCAN, scope_named), at)
    return StoredScan(len(ids), evaluation, any_advisory(session))
