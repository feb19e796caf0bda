"""What the CLI (and later the API) does: read inputs, run engines, write the store.

Each operation is one transaction: if anything fails, nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cpstrust.errors import CpstrustError, InputError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS, read_envelope
from cpstrust.formats.files import read_limited
from cpstrust.formats.osv import read_osv
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.gcpause import gc_paused
from cpstrust.ingest import BatchImport, SbomToImport, store_batch
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.sbom import Sbom, SbomDetail
from cpstrust.model.trust import Refusal, Refused
from cpstrust.store import findings as findings_store
from cpstrust.store import graph
from cpstrust.store.advisories import (
    ImportResult,
    ParsedAdvisory,
    SqlAdvisoryLookup,
    import_advisories,
)
from cpstrust.store.db import Store
from cpstrust.store.graph import GraphCounts, load_supply_chain
from cpstrust.store.sboms import StoredSbom, sbom_with_digest, store_sbom
from cpstrust.store.tables import (
    AdvisoryRow,
    AdvisorySourceRow,
    AffectedRow,
    ProductRow,
    ReleaseRow,
    VulnerabilityRow,
)
from cpstrust.store.trust import current_trust_store, record_evidence
from cpstrust.trust.release import VerifiedRelease, verify_release
from cpstrust.vulndb.matching import MatchReport, match_components
from cpstrust.vulndb.sources import iter_advisory_files

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class SbomImport:
    stored: StoredSbom
    sbom: Sbom
    evaluation: findings_store.Evaluation


@dataclass(frozen=True, slots=True)
class AdvisoryImport:
    result: ImportResult
    skipped: tuple[str, ...]  # one message per unreadable advisory file
    reevaluation: findings_store.Evaluation | None


@dataclass(frozen=True, slots=True)
class SourceStatus:
    location: str
    kind: str
    imported_at: datetime
    record_count: int
    newest_modified: str | None


@dataclass(frozen=True, slots=True)
class VulndbStatus:
    sources: tuple[SourceStatus, ...]
    advisories: int
    withdrawn: int
    vulnerabilities: int
    affected_packages: int


def load_supply_chain_file(
    store: Store, path: Path, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[GraphCounts, int]:
    """Load the graph from a YAML file, then the SBOMs it names (paths relative to it),
    all in one transaction; the SBOMs are read in parallel as :func:`import_sboms` does."""
    chain = read_supply_chain(read_limited(path, limits), source=str(path), limits=limits)
    items = [
        SbomToImport(path.parent / ref.path, ref.product, ref.version, source_name=ref.path)
        for ref in chain.sboms
    ]
    with store.transaction() as session:
        counts = load_supply_chain(session, chain)
        batch = store_batch(session, items, evaluate=True, limits=limits, workers=None)
    return counts, len(batch.stored)


def import_sboms(
    store: Store,
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
    with store.transaction() as session:
        return store_batch(session, items, evaluate=evaluate, limits=limits, workers=workers)


def import_sbom(
    store: Store,
    path: Path,
    *,
    product: str,
    version: str,
    supplier: str | None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> SbomImport:
    sbom, raw = read_sbom_file(path, limits)
    with store.transaction() as session:
        stored = store_sbom(
            session,
            sbom,
            raw,
            source_name=path.name,
            product=product,
            version=version,
            supplier=supplier,
        )
        evaluation = _evaluate_release(session, stored)
    return SbomImport(stored, sbom, evaluation)


def _evaluate_release(session: Session, stored: StoredSbom) -> findings_store.Evaluation:
    rows = findings_store.components_of_releases(session, [stored.release_id])
    evaluation = findings_store.evaluate(session, rows)
    findings_store.restore_decisions(session, stored.release_id, stored.decisions)
    return evaluation


def _parsed(
    paths: Sequence[Path], limits: ReadLimits, skipped: list[str]
) -> Iterator[ParsedAdvisory]:
    def skip(error: CpstrustError) -> None:
        skipped.append(error.diagnostics())

    for raw in iter_advisory_files(paths, limits, on_error=skip):
        try:
            yield ParsedAdvisory(
                read_osv(raw.data, source=raw.source, yaml=raw.yaml, limits=limits), raw.data
            )
        except InputError as exc:
            skipped.append(exc.diagnostics())


def import_advisory_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> AdvisoryImport:
    """Import OSV directories and zips in one transaction, then re-evaluate stored SBOMs
    for the packages whose advisories changed.

    Files that cannot be read are skipped and named; when not one record could be read
    (a corrupt download, an empty directory), raises InputError and writes nothing: a job
    refreshing its database must not carry on with stale data as if it had succeeded.
    """
    skipped: list[str] = []
    location = ", ".join(str(p.resolve()) for p in paths)
    kind = kind or ("zip" if all(p.suffix == ".zip" for p in paths) else "directory")
    with store.transaction() as session:
        result = import_advisories(
            session,
            _parsed(paths, limits, skipped),
            location=location,
            kind=kind,
            progress=progress,
        )
        if result.records_read == 0:
            raise _nothing_read(location, skipped)
        findings_store.follow_aliases(session)
        reevaluation = None
        if result.changed_keys:
            rows = findings_store.components_with_keys(session, result.changed_keys)
            reevaluation = findings_store.evaluate(session, rows)
    return AdvisoryImport(result, tuple(skipped), reevaluation)


def _nothing_read(location: str, skipped: Sequence[str]) -> InputError:
    if not skipped:
        return InputError("no OSV records found (JSON or YAML files, or OSV zips)",
                          source=location)
    shown = "; ".join(skipped[:3]) + ("; …" if len(skipped) > 3 else "")
    return InputError(f"no advisory could be read: {len(skipped)} files refused: {shown}",
                      source=location)


def scan_sbom_file(
    store: Store, path: Path, limits: ReadLimits = DEFAULT_LIMITS
) -> tuple[Sbom, MatchReport]:
    """Match an SBOM file against the advisory database; stores nothing.

    The SBOM is validated whole but mapped to IDENTITY detail: what names each component
    and what matching needs.
    """
    # One pause for reading and matching: between two pauses, the collector would make a
    # pass over the whole model just read, and find nothing to free.
    with gc_paused():
        sbom, _raw = read_sbom_file(path, limits, SbomDetail.IDENTITY)
        with store.transaction() as session:
            return sbom, match_components(sbom.components, SqlAdvisoryLookup(session))


def rescan_releases(store: Store, release_ids: Sequence[int]) -> findings_store.Evaluation:
    with store.transaction() as session:
        rows = findings_store.components_of_releases(session, release_ids)
        return findings_store.evaluate(session, rows)


def vulndb_status(store: Store) -> VulndbStatus:
    with store.transaction() as session:
        sources = tuple(
            SourceStatus(s.location, s.kind, s.imported_at, s.record_count, s.newest_modified)
            for s in session.scalars(
                select(AdvisorySourceRow).order_by(AdvisorySourceRow.imported_at)
            )
        )
        count = session.scalar(select(func.count()).select_from(AdvisoryRow)) or 0
        withdrawn = (
            session.scalar(
                select(func.count())
                .select_from(AdvisoryRow)
                .where(AdvisoryRow.withdrawn.is_not(None))
            )
            or 0
        )
        vulns = session.scalar(select(func.count()).select_from(VulnerabilityRow)) or 0
        affected = session.scalar(select(func.count()).select_from(AffectedRow)) or 0
    return VulndbStatus(sources, count, withdrawn, vulns, affected)


def has_advisories(store: Store) -> bool:
    """Whether anything was imported: an empty database must not pass for a clean scan."""
    with store.transaction() as session:
        return session.scalar(select(AdvisoryRow.id).limit(1)) is not None


def release_ids(store: Store, product: str | None, version: str | None) -> list[int]:
    """Stored releases to scan: all, one product's, or one release."""
    with store.transaction() as session:
        query = select(ReleaseRow.id).join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        if product is not None:
            query = query.where(ProductRow.name == product)
        if version is not None:
            query = query.where(ReleaseRow.version == version)
        return list(session.scalars(query.order_by(ReleaseRow.id)))


@dataclass(frozen=True, slots=True)
class ReleaseImport:
    release: VerifiedRelease
    version: str
    evidence_id: int
    sbom: SbomImport | None


def import_release(
    store: Store, envelope_path: Path, *, sbom_path: Path | None = None,
    supplier: str | None = None, at: datetime,
) -> ReleaseImport | Refused:
    """Verify a signed release and keep it as evidence of its release (with the SBOM it
    names, whose bytes must have the signed digest); nothing is written when refused."""
    data = read_limited(envelope_path, ReadLimits(max_bytes=DEFAULT_ENVELOPE_LIMITS.max_bytes))
    envelope = read_envelope(data, str(envelope_path))
    sbom = read_sbom_file(sbom_path) if sbom_path else None
    with store.transaction() as session:
        verified = verify_release(envelope, current_trust_store(session), at=at,
                                  source=str(envelope_path))
        if isinstance(verified, Refused):
            return verified
        version = verified.provenance.version
        if version is None:
            return Refused(Refusal.MALFORMED, "the release does not say its version")
        if sbom is not None and sbom_path is not None:
            mismatch = sbom_mismatch(verified, sbom[1], sbom_path)
            if mismatch is not None:
                return mismatch
        product_row = (graph.ensure_product(session, verified.product, supplier) if supplier
                       else graph.product(session, verified.product))
        release_row = graph.release(session, product_row, version, create=True)
        imported = None
        if sbom is not None and sbom_path is not None:
            stored = store_sbom(session, sbom[0], sbom[1], source_name=sbom_path.name,
                                product=verified.product, version=version, supplier=supplier)
            imported = SbomImport(stored, sbom[0], _evaluate_release(session, stored))
        evidence_id = record_evidence(
            session, predicate_type=PROVENANCE_V1, envelope=data,
            signer_keyids=[k.keyid for k in verified.signers], release_id=release_row.id,
            source=envelope_path.name,
        )
    return ReleaseImport(verified, version, evidence_id, imported)


def sbom_mismatch(release: VerifiedRelease, raw: bytes, path: Path) -> Refused | None:
    """Why ``raw`` is not the SBOM the release signed, or None if it is."""
    signed = release.provenance.sbom
    if signed is None:
        return Refused(Refusal.SUBJECT_MISMATCH, "the signed release names no SBOM")
    if signed.digest.get("sha256") != hashlib.sha256(raw).hexdigest():
        return Refused(Refusal.SUBJECT_MISMATCH,
                       f"{path.name} is not the SBOM the release signed ({signed.name})")
    return None


def stored_sbom_by_digest(store: Store, sha256: str) -> Sbom | None:
    """A stored SBOM document with this digest, parsed again from its kept bytes."""
    with store.transaction() as session:
        return sbom_with_digest(session, sha256)
