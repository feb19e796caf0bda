"""Signed releases: an in-toto Statement whose subjects are the artifacts' digests and
whose SLSA v1 provenance names the product, version and SBOM; checked offline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from cpstrust.errors import InputError
from cpstrust.formats.intoto import read_statement, write_statement
from cpstrust.formats.slsa import PROVENANCE_V1, read_provenance, write_provenance
from cpstrust.model.evidence import (
    INTOTO_PAYLOAD_TYPE,
    Envelope,
    ReleaseProvenance,
    Statement,
    Subject,
    VerifiedRelease,
)
from cpstrust.model.trust import Refusal, Refused, Role, TrustStore
from cpstrust.trust.interface import Signer
from cpstrust.trust.verify import (
    Authenticated,
    authenticate,
    out_of_scope,
    sign_envelope,
    unreadable,
)


def sign_release(
    subjects: Sequence[Subject], provenance: ReleaseProvenance, signers: Sequence[Signer]
) -> Envelope:
    statement = Statement(subjects=tuple(subjects), predicate_type=PROVENANCE_V1,
                          predicate=write_provenance(provenance))
    return sign_envelope(INTOTO_PAYLOAD_TYPE, write_statement(statement), signers)


def verify_release(
    envelope: Envelope,
    store: TrustStore,
    *,
    at: datetime,
    product: str | None = None,
    version: str | None = None,
    artifacts: Mapping[str, str] | None = None,
    source: str = "<envelope>",
) -> VerifiedRelease | Refused:
    """Trusted only if a release-signer key valid at ``at`` whose scope covers the
    product signed it, and every artifact given (name -> sha256) is one of its subjects."""
    if envelope.payload_type != INTOTO_PAYLOAD_TYPE:
        return Refused(Refusal.WRONG_PAYLOAD_TYPE, "release_wrong_payload_type",
                       payload_type=envelope.payload_type, expected=INTOTO_PAYLOAD_TYPE)
    signed = authenticate(envelope, store, Role.RELEASE_SIGNER, at)
    if isinstance(signed, Refused):
        return signed
    return _check_statement(signed, product, version, artifacts or {}, source)


def _check_statement(
    signed: Authenticated,
    product: str | None,
    version: str | None,
    artifacts: Mapping[str, str],
    source: str,
) -> VerifiedRelease | Refused:
    try:  # parsed only now that its signature is trusted
        statement = read_statement(signed.envelope.payload, source)
        if statement.predicate_type != PROVENANCE_V1:
            return Refused(Refusal.WRONG_PAYLOAD_TYPE, "release_not_provenance",
                           predicate_type=statement.predicate_type)
        provenance = read_provenance(dict(statement.predicate), source)
    except InputError as exc:
        return unreadable(exc)
    named = provenance.product
    if named and product and named != product:
        return Refused(Refusal.SUBJECT_MISMATCH, "release_for_other_product", named=named,
                       product=product)
    subject = named or product
    if subject is None:
        return Refused(Refusal.MALFORMED, "release_without_product")
    if version and provenance.version != version:
        return Refused(Refusal.SUBJECT_MISMATCH, "release_other_version",
                       found=provenance.version, version=version)
    scope = out_of_scope(signed.signers, subject)
    if scope is not None:
        return scope
    matched = match_artifacts(statement.subjects, artifacts)
    if isinstance(matched, Refused):
        return matched
    return VerifiedRelease(statement=statement, provenance=provenance, product=subject,
                           signers=signed.signers, matched_artifacts=matched)


def match_artifacts(
    subjects: Sequence[Subject], artifacts: Mapping[str, str]
) -> dict[str, str] | Refused:
    """Each artifact must equal a subject by SHA-256 (names may differ, digests not)."""
    by_digest = {s.digest["sha256"]: s.name for s in subjects if "sha256" in s.digest}
    matched: dict[str, str] = {}
    for name, sha256 in artifacts.items():
        subject = by_digest.get(sha256)
        if subject is None:
            return Refused(Refusal.SUBJECT_MISMATCH, "release_artifact_not_subject", name=name,
                           digest=sha256[:16])
        matched[name] = subject
    return matched
