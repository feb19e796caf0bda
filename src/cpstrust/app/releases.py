"""Signed releases: sign one (DSSE envelope, in-toto Statement v1, SLSA provenance v1
naming the SBOM), verify one offline against the trust store, keep one as evidence.

Rules kept here: one name is signed once (two artifacts under one name would let
either pass); a directory is a firmware root whose every file is a subject; the SBOM
named must read cleanly and is bound by its digest; a release is kept only with the
SBOM it signed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from cpstrust import __version__
from cpstrust.app.evaluation import Evaluation
from cpstrust.app.events import FindingWatch
from cpstrust.app.sboms import evaluate_stored
from cpstrust.app.services import Services
from cpstrust.errors import ConflictError, InputError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS, read_envelope, write_envelope
from cpstrust.formats.files import read_limited, sha256_file
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.authenticity import EntryKind
from cpstrust.model.evidence import (
    Envelope,
    ReleaseProvenance,
    ResourceDescriptor,
    Subject,
    VerifiedRelease,
)
from cpstrust.model.sbom import Sbom, SbomFormat
from cpstrust.model.trust import Refusal, Refused
from cpstrust.store import graph
from cpstrust.store import identity as identity_store
from cpstrust.store.sboms import StoredSbom, store_sbom
from cpstrust.store.tables import ProductRow
from cpstrust.store.trust import current_trust_store, record_evidence
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import sign_release, verify_release

BUILDER_ID = f"https://cpstrust.dev/cli/release-sign@{__version__}"
_MEDIA_TYPES = {
    SbomFormat.CYCLONEDX_JSON: "application/vnd.cyclonedx+json",
    SbomFormat.CYCLONEDX_XML: "application/vnd.cyclonedx+xml",
    SbomFormat.SPDX_JSON: "application/spdx+json",
    SbomFormat.SPDX_TAG_VALUE: "text/spdx",
    SbomFormat.SPDX3_JSON: "application/spdx+json",  # SPDX 3 registers no other type
}


@dataclass(frozen=True, slots=True)
class SignedRelease:
    envelope: bytes  # the DSSE envelope, as written
    subjects: int


@dataclass(frozen=True, slots=True)
class ReleaseImport:
    release: VerifiedRelease
    version: str
    evidence_id: int
    sbom: StoredSbom | None
    evaluation: Evaluation | None  # of the SBOM stored with it


def sign(services: Services, artifacts: Sequence[Path], *, key: str,
         secrets: Mapping[str, str], product: str, version: str, sbom: Path | None,
         at: datetime) -> SignedRelease:
    """Sign ``artifacts`` (files, or directories whose every file is a subject named by
    its path inside) as release ``version`` of ``product``."""
    subjects = [s for path in artifacts for s in _subjects(path)]
    twice = sorted(name for name, n in Counter(s.name for s in subjects).items() if n > 1)
    if twice:
        raise InputError("app_artifact_name_twice", names=", ".join(twice))
    provenance = ReleaseProvenance(product=product, version=version, builder_id=BUILDER_ID,
                                   built_at=at.replace(microsecond=0),
                                   sbom=sbom_descriptor(sbom) if sbom else None)
    with services.keyring.signer(key, secrets) as signer:
        envelope = sign_release(subjects, provenance, [signer])
    return SignedRelease(write_envelope(envelope), len(subjects))


def verify(services: Services, envelope_file: Path, *, artifacts: Sequence[Path] = (),
           product: str | None = None, version: str | None = None,
           at: datetime) -> VerifiedRelease | Refused:
    """A trusted release-signer key, in scope for the product, neither revoked nor
    expired, signed it, and every artifact is one of its subjects."""
    envelope = read_envelope_file(envelope_file)
    digests = {str(p): sha256_file(p) for p in artifacts}
    with services.store.transaction() as session:
        store = current_trust_store(session)
    return verify_release(envelope, store, at=at, product=product, version=version,
                          artifacts=digests, source=str(envelope_file))


@dataclass(frozen=True, slots=True)
class SignedUpload:
    """A signed release as read, before anything is verified or kept: the envelope's
    bytes and the SBOM it may come with, each with the name errors and evidence give it."""

    data: bytes
    envelope: Envelope
    source: str
    sbom: tuple[Sbom, bytes] | None = None
    sbom_name: str | None = None


def read_signed(envelope_file: Path, sbom_path: Path | None = None, *,
                envelope_name: str | None = None, sbom_name: str | None = None,
                limits: ReadLimits = DEFAULT_LIMITS) -> SignedUpload:
    """Read an envelope (and an SBOM) named, in what is told about them, as given (by
    default by their paths)."""
    source = envelope_name or str(envelope_file)
    data = read_limited(envelope_file, ReadLimits(max_bytes=DEFAULT_ENVELOPE_LIMITS.max_bytes))
    envelope = read_envelope(data, source)
    if sbom_path is None:
        return SignedUpload(data, envelope, source)
    raw = read_limited(sbom_path, limits)
    name = sbom_name or str(sbom_path)
    return SignedUpload(data, envelope, source, (read_sbom(raw, source=name, limits=limits), raw),
                        sbom_name or sbom_path.name)


def import_signed(services: Services, envelope_file: Path, *, sbom_path: Path | None = None,
                  supplier: str | None = None, at: datetime) -> ReleaseImport | Refused:
    """Verify a signed release and keep it as evidence of its release (with the SBOM it
    names, whose bytes must have the signed digest); nothing is written when refused."""
    signed = read_signed(envelope_file, sbom_path)
    with services.store.transaction() as session:
        return keep_signed(session, services, signed, supplier=supplier, at=at)


def verify_signed(session: Session, signed: SignedUpload,
                  at: datetime) -> VerifiedRelease | Refused:
    """``signed`` verified against the trust store as it is in ``session``."""
    return verify_release(signed.envelope, current_trust_store(session), at=at,
                          source=signed.source)


def keep_signed(session: Session, services: Services, signed: SignedUpload, *,
                supplier: str | None, at: datetime,
                owner: int | None = None) -> ReleaseImport | Refused:
    """Verify ``signed`` and keep it, in the caller's transaction. With ``owner`` (a
    tenant's organisation id), a product another organisation holds is refused, never
    handed over: the product is the owner's, or created under ``supplier``."""
    verified = verify_signed(session, signed, at)
    if isinstance(verified, Refused):
        return verified
    version = verified.provenance.version
    if version is None:
        return Refused(Refusal.MALFORMED, "release_without_version")
    if signed.sbom is not None:
        mismatch = sbom_mismatch(verified, signed.sbom[1], Path(signed.sbom_name or ""))
        if mismatch is not None:
            return mismatch
    product_row = _product_of_release(session, verified.product, supplier, owner)
    release_row = graph.release(session, product_row, version, create=True)
    stored = evaluation = None
    if signed.sbom is not None:
        watch = FindingWatch(session, [release_row.id])
        stored = store_sbom(session, signed.sbom[0], signed.sbom[1],
                            source_name=signed.sbom_name or "", product=verified.product,
                            version=version, supplier=None if owner else supplier,
                            received_at=at)
        evaluation = evaluate_stored(session, stored, at, services.advisory_cache, watch)
    evidence_id = record_evidence(
        session, predicate_type=PROVENANCE_V1, envelope=signed.data,
        signer_keyids=[k.keyid for k in verified.signers], release_id=release_row.id,
        source=Path(signed.source).name, document_sha256=_signed_sbom_digest(verified),
    )
    return ReleaseImport(verified, version, evidence_id, stored, evaluation)


def _product_of_release(session: Session, name: str, supplier: str | None,
                        owner: int | None) -> ProductRow:
    if owner is not None:
        held = identity_store.product_of(session, name)
        if held is not None and held[1] != owner:
            raise ConflictError("tenancy_product_name_taken", product=name)
        if held is not None:
            return graph.product(session, name)
    return graph.ensure_product(session, name, supplier) if supplier else graph.product(session,
                                                                                          name)


def _signed_sbom_digest(release: VerifiedRelease) -> str:
    """The SHA-256 of the SBOM a release signed, "" when it names none: kept with the
    release so that trust evaluation need not parse its envelope again."""
    signed = release.provenance.sbom
    return "" if signed is None else signed.digest.get("sha256", "")


def sbom_mismatch(release: VerifiedRelease, raw: bytes, path: Path) -> Refused | None:
    """Why ``raw`` is not the SBOM the release signed, or None if it is."""
    signed = release.provenance.sbom
    if signed is None:
        return Refused(Refusal.SUBJECT_MISMATCH, "app_release_names_no_sbom")
    if signed.digest.get("sha256") != hashlib.sha256(raw).hexdigest():
        return Refused(Refusal.SUBJECT_MISMATCH, "app_sbom_not_signed", file=path.name,
                       signed=signed.name)
    return None


def read_envelope_file(path: Path) -> Envelope:
    data = read_limited(path, ReadLimits(max_bytes=DEFAULT_ENVELOPE_LIMITS.max_bytes))
    return read_envelope(data, str(path))


def _subjects(path: Path) -> list[Subject]:
    """A file is one subject; a directory gives one per regular file, named by its path
    inside the tree: the reference values device attestation compares against."""
    if not path.is_dir():
        return [Subject(name=path.name, digest={"sha256": sha256_file(path)})]
    return [Subject(name=f.path, digest={"sha256": f.sha256})
            for f in measure_image(path) if f.kind is EntryKind.FILE]


def sbom_descriptor(path: Path) -> ResourceDescriptor:
    """The SBOM at ``path`` by name, digest and media type. It must read cleanly:
    signing a document nobody can parse helps no one."""
    sbom, data = read_sbom_file(path)
    return ResourceDescriptor(name=path.name, digest={"sha256": hashlib.sha256(data).hexdigest()},
                              media_type=_MEDIA_TYPES[sbom.format])
