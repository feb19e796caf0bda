"""Signed organisational evidence: sign it (a supplier, an assessor), export what is held
for an organisation as one bundle, verify a bundle offline against the buyer's trust
store, keep what verifies, and list what is held with its verdict now.

Rules kept here: a bundle is read whole before anything is kept, and refused whole when
any of it is malformed; the keys a bundle offers are shown for review, never trusted;
evidence already held is not kept twice; a listing verifies every envelope again
(expiry, revocation and the trust store change after import).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.dsse import read_envelope, write_envelope
from cpstrust.formats.evidence_bundle import (
    DEFAULT_BUNDLE_LIMITS,
    EvidenceBundle,
    OfferedKey,
    read_bundle,
    write_bundle,
)
from cpstrust.formats.files import read_limited
from cpstrust.limits import ReadLimits
from cpstrust.model.evidence import Envelope
from cpstrust.model.orgevidence import (
    JCSTAR_LEVELS,
    LOWEST_ASSESSED_STAR,
    STAR_LEVELS,
    Document,
    EvidenceKind,
    JcStarLabel,
    OrganisationEvidence,
    SbomDelivery,
    StarAttestation,
    StarDeclaration,
    Validity,
    VerifiedEvidence,
    VexDelivery,
)
from cpstrust.model.trust import Refused, Role, TrustStore
from cpstrust.store.orgevidence import (
    StoredEvidence,
    evidence_by_id,
    held_by_digest,
    organisation_evidence,
    save_evidence,
)
from cpstrust.store.trust import current_trust_store
from cpstrust.store.verified_signatures import keep_verified, verified_signatures
from cpstrust.trust.orgevidence import sign_evidence, verify_evidence
from cpstrust.trust.verify import VerifiedSignatures

DEFAULT_VALIDITY = timedelta(days=365)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class SignRequest:
    """What to sign: the kind and the facts it needs (others must be left out)."""

    kind: EvidenceKind
    organisation: str
    expires_at: datetime | None = None  # a year after signing when not given
    level: int | None = None  # ★ level, or JC-STAR ☆ level
    product: str | None = None
    release: str | None = None
    assessor: str | None = None
    assessed_at: datetime | None = None
    report: str | None = None
    label_id: str | None = None
    document: Path | None = None  # the SBOM or VEX file delivered


@dataclass(frozen=True, slots=True)
class SignedEvidence:
    id: int
    evidence: OrganisationEvidence
    envelope: bytes


@dataclass(frozen=True, slots=True)
class EvidenceOutcome:
    """One envelope's verdict; ``place`` says where it came from (a bundle's JSON
    pointer, a stored id)."""

    place: str
    keyids: tuple[str, ...]  # the signatures' key hints, for a refused envelope
    outcome: VerifiedEvidence | Refused


@dataclass(frozen=True, slots=True)
class KeyOffer:
    """A key a bundle offers, and the roles the buyer's trust store holds it in
    (empty when it does not hold it)."""

    key: OfferedKey
    trusted_roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class BundleCheck:
    source: str
    outcomes: tuple[EvidenceOutcome, ...]
    offered_keys: tuple[KeyOffer, ...]

    @property
    def refused(self) -> int:
        return sum(isinstance(o.outcome, Refused) for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class BundleImport:
    check: BundleCheck
    stored: Mapping[str, int]  # place -> new evidence id
    already_held: Mapping[str, int]  # place -> id of the same envelope held before


@dataclass(frozen=True, slots=True)
class ListedEvidence:
    stored: StoredEvidence
    verdict: VerifiedEvidence | Refused


@dataclass(frozen=True, slots=True)
class ExportedBundle:
    data: bytes
    envelopes: int
    keys: int


def sign(services: Services, request: SignRequest, *, key: str, secrets: Mapping[str, str],
         at: datetime) -> SignedEvidence:
    """Sign the evidence ``request`` describes with the key ``key`` and keep it here, to
    be exported with the organisation's other evidence."""
    evidence = _evidence(request, at.replace(microsecond=0))
    with services.keyring.signer(key, secrets) as signer:
        envelope = write_envelope(sign_evidence(evidence, [signer]))
        keyid = signer.record.keyid
    with services.store.transaction() as session:
        evidence_id = save_evidence(session, evidence, envelope, signer_keyids=[keyid],
                                    source=f"signed with key {key}", received_at=at)
    return SignedEvidence(evidence_id, evidence, envelope)


def export_bundle(services: Services, organisation: str, at: datetime) -> ExportedBundle:
    """Every piece of evidence held for ``organisation`` (signed here or received from
    an assessor), with the public keys of its signers for the buyer to review."""
    with services.store.transaction() as session:
        held = organisation_evidence(session, organisation)
        store = current_trust_store(session)
    if not held:
        raise NotFoundError("evidence_none_held", organisation=organisation)
    envelopes = tuple(read_envelope(e.envelope, f"evidence {e.id}") for e in held)
    keyids = sorted({k for e in held for k in e.signer_keyids})
    keys = _signer_keys(services, store, keyids)
    bundle = EvidenceBundle(exported_at=at.replace(microsecond=0), envelopes=envelopes,
                            keys=keys)
    return ExportedBundle(write_bundle(bundle), len(envelopes), len(keys))


def verify_bundle(services: Services, path: Path, at: datetime, *,
                  known_requirements: Container[str] | None = None) -> BundleCheck:
    """Each envelope of the bundle at ``path`` against the trust store; nothing kept."""
    bundle = _read_bundle_file(path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
    return _check(bundle, str(path), store, at, known_requirements)


def import_bundle(services: Services, path: Path, at: datetime, *,
                  known_requirements: Container[str] | None = None) -> BundleImport:
    """Keep what verifies of the bundle at ``path``, in one transaction; a malformed
    bundle is refused whole (``InputError`` naming the file and place) before any."""
    bundle = _read_bundle_file(path)
    with services.store.transaction() as session:
        store = current_trust_store(session)
        # what verifies now is not checked again by trust evaluations (ADR 0026)
        verified = VerifiedSignatures(verified_signatures(session, store.version))
        check = _check(bundle, str(path), store, at, known_requirements, verified)
        keep_verified(session, store.version, verified.found)
        written = {o.place: write_envelope(e)
                   for o, e in zip(check.outcomes, bundle.envelopes, strict=True)
                   if isinstance(o.outcome, VerifiedEvidence)}
        held = held_by_digest(session, (_sha256(w) for w in written.values()))
        stored: dict[str, int] = {}
        already: dict[str, int] = {}
        for outcome in check.outcomes:
            if not isinstance(outcome.outcome, VerifiedEvidence):
                continue
            envelope = written[outcome.place]
            if _sha256(envelope) in held:
                already[outcome.place] = held[_sha256(envelope)]
                continue
            stored[outcome.place] = save_evidence(
                session, outcome.outcome.evidence, envelope,
                signer_keyids=[k.keyid for k in outcome.outcome.signers],
                source=f"{path.name}#{outcome.place}", received_at=at)
    return BundleImport(check, stored, already)


def verify_stored(services: Services, evidence_id: int, at: datetime) -> EvidenceOutcome:
    """A held piece of evidence verified again now."""
    with services.store.transaction() as session:
        stored = evidence_by_id(session, evidence_id)
        store = current_trust_store(session)
    if stored is None:
        raise NotFoundError("evidence_not_found", id=evidence_id)
    return EvidenceOutcome(f"evidence {stored.id}", stored.signer_keyids,
                           _verdict_now(stored, store, at))


def list_evidence(services: Services, at: datetime,
                  organisation: str | None = None) -> list[ListedEvidence]:
    """The evidence held (of ``organisation``), each with its verdict at ``at``."""
    with services.store.transaction() as session:
        held = organisation_evidence(session, organisation)
        store = current_trust_store(session)
    return [ListedEvidence(e, _verdict_now(e, store, at)) for e in held]


def _verdict_now(stored: StoredEvidence, store: TrustStore,
                 at: datetime) -> VerifiedEvidence | Refused:
    source = f"evidence {stored.id}"
    return verify_evidence(read_envelope(stored.envelope, source), store, at=at, source=source)


def _check(bundle: EvidenceBundle, source: str, store: TrustStore, at: datetime,
           known: Container[str] | None,
           verified: VerifiedSignatures | None = None) -> BundleCheck:
    outcomes = tuple(
        EvidenceOutcome(place, _hints(envelope),
                        verify_evidence(envelope, store, at=at, known_requirements=known,
                                        source=f"{source}#{place}", verified=verified))
        for place, envelope in ((f"/envelopes/{i}", e) for i, e in enumerate(bundle.envelopes))
    )
    offers = tuple(KeyOffer(k, _roles(store, k.keyid)) for k in bundle.keys)
    return BundleCheck(source, outcomes, offers)


def _roles(store: TrustStore, keyid: str) -> frozenset[Role]:
    held = store.key(keyid)
    return frozenset() if held is None or held.revocation else held.roles


def _hints(envelope: Envelope) -> tuple[str, ...]:
    return tuple(s.keyid for s in envelope.signatures if s.keyid)


def _signer_keys(services: Services, store: TrustStore,
                 keyids: Sequence[str]) -> tuple[OfferedKey, ...]:
    """The public key of each signer this installation knows: from its trust store, or
    its own keyring for keys it signs with."""
    own = {r.keyid: r for r in services.keyring.list()}
    offered = []
    for keyid in keyids:
        trusted = store.key(keyid)
        if trusted is not None:
            offered.append(OfferedKey(keyid, trusted.algorithm, trusted.public_key_pem,
                                      trusted.comment))
        elif keyid in own:
            record = own[keyid]
            offered.append(OfferedKey(keyid, record.algorithm, record.public_key_pem,
                                      record.name))
    return tuple(offered)


def _read_bundle_file(path: Path) -> EvidenceBundle:
    data = read_limited(path, ReadLimits(max_bytes=DEFAULT_BUNDLE_LIMITS.max_bytes))
    return read_bundle(data, str(path))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence(request: SignRequest, at: datetime) -> OrganisationEvidence:
    """The typed evidence of a request: each fact the kind needs given, no other."""
    validity = Validity(issued_at=at, expires_at=request.expires_at or at + DEFAULT_VALIDITY)
    if validity.expires_at <= validity.issued_at:
        raise InputError("evidence_expires_before_issued", location="--expires")
    kind = request.kind
    _refuse_unused(request)
    if kind is EvidenceKind.STAR_DECLARATION:
        level = _level(request, STAR_LEVELS)
        if level >= LOWEST_ASSESSED_STAR:
            raise InputError("evidence_self_declared_star_too_high", star=level)
        return StarDeclaration(request.organisation, validity, level)
    if kind is EvidenceKind.STAR_ATTESTATION:
        return StarAttestation(request.organisation, validity, _level(request, STAR_LEVELS),
                               assessor=_needed(request.assessor, "--assessor", kind),
                               assessed_at=request.assessed_at or at, report=request.report)
    if kind is EvidenceKind.JCSTAR_LABEL:
        return JcStarLabel(request.organisation, validity,
                           _needed(request.product, "--product", kind),
                           _level(request, JCSTAR_LEVELS), label_id=request.label_id)
    if kind is EvidenceKind.SBOM_DELIVERY:
        return SbomDelivery(request.organisation, validity,
                            _needed(request.product, "--product", kind),
                            _needed(request.release, "--release", kind),
                            _sbom(_needed(request.document, "--document", kind)))
    if kind is EvidenceKind.VEX_DELIVERY:
        return VexDelivery(request.organisation, validity,
                           _vex(_needed(request.document, "--document", kind)),
                           product=request.product)
    raise InputError("evidence_not_signed_here", kind=kind.value)


# Which options each kind takes besides --org and --expires: any other is a mistake.
_OPTIONS: dict[EvidenceKind, frozenset[str]] = {
    EvidenceKind.STAR_DECLARATION: frozenset({"level"}),
    EvidenceKind.STAR_ATTESTATION: frozenset({"level", "assessor", "assessed_at", "report"}),
    EvidenceKind.JCSTAR_LABEL: frozenset({"level", "product", "label_id"}),
    EvidenceKind.SBOM_DELIVERY: frozenset({"product", "release", "document"}),
    EvidenceKind.VEX_DELIVERY: frozenset({"product", "document"}),
    EvidenceKind.ASSESSMENT_RESULT: frozenset(),
}


def _refuse_unused(request: SignRequest) -> None:
    given = {name for name in ("level", "product", "release", "assessor", "assessed_at",
                               "report", "label_id", "document")
             if getattr(request, name) is not None}
    unused = sorted(given - _OPTIONS[request.kind])
    if unused:
        raise InputError("evidence_option_unused", kind=request.kind.value,
                         options=", ".join("--" + n.replace("_", "-") for n in unused))


def _needed(value: _T | None, option: str, kind: EvidenceKind) -> _T:
    if value is None:
        raise InputError("evidence_option_needed", option=option, kind=kind.value)
    return value


def _level(request: SignRequest, allowed: tuple[int, ...]) -> int:
    level = _needed(request.level, "--level", request.kind)
    if level not in allowed:
        raise InputError("evidence_level_out_of_range", level=level, kind=request.kind.value,
                         allowed=", ".join(map(str, allowed)))
    return level


def _sbom(path: Path) -> Document:
    from cpstrust.app.releases import sbom_descriptor  # SBOM readers load only for this

    described = sbom_descriptor(path)
    return Document(name=described.name, sha256=described.digest["sha256"],
                    media_type=described.media_type)


def _vex(path: Path) -> Document:
    from cpstrust.formats.vex import read_vex_file  # VEX readers load only for this

    return Document(name=path.name, sha256=read_vex_file(path).sha256)
