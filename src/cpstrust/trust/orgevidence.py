"""Signing and verifying organisational evidence, offline, with the one envelope verifier.

A piece of evidence is accepted when a key the buyer's trust store holds in a role the
kind needs signed it (an organisation declares and delivers, an assessor attests; a ★4
or ★5 claim needs an assessor), the key's scope covers the organisation the evidence
speaks for, and the evidence is issued (within the clock skew) and not expired at the
time asked. Each refusal names its case; everything fails closed.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from datetime import UTC, datetime, timedelta

from cpstrust.errors import InputError
from cpstrust.formats.intoto import read_statement, write_statement
from cpstrust.formats.orgevidence import PREDICATE_TYPES, evidence_statement, read_evidence
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope, Statement
from cpstrust.model.orgevidence import (
    LOWEST_ASSESSED_STAR,
    AssessmentResult,
    OrganisationEvidence,
    VerifiedEvidence,
    claimed_star,
    signer_roles,
)
from cpstrust.model.trust import Refusal, Refused, Role, TrustedKey, TrustStore
from cpstrust.trust.interface import Signer
from cpstrust.trust.verify import (
    Authenticated,
    VerifiedSignatures,
    authenticate_in_roles,
    out_of_scope,
    sign_envelope,
    unreadable,
)

# How far ahead of the verifier's clock an issuer's clock may run.
CLOCK_SKEW = timedelta(minutes=5)
MAX_IDS_NAMED = 10  # unknown requirement ids shown in a refusal
_NOT_IN_ROLE = (Refusal.WRONG_ROLE, Refusal.UNTRUSTED_SIGNER)


def sign_evidence(evidence: OrganisationEvidence, signers: Sequence[Signer]) -> Envelope:
    return sign_envelope(INTOTO_PAYLOAD_TYPE, write_statement(evidence_statement(evidence)),
                         signers)


def assessment_result_statement(
    result: AssessmentResult, known_requirements: Container[str]
) -> Statement:
    """The Statement of an assessment result, for the assessment engine to sign;
    ``InputError`` when it names a requirement ``known_requirements`` (the catalogue's
    ids: a set, or any container) does not hold."""
    unknown = unknown_requirements(result, known_requirements)
    if unknown:
        raise InputError("evidence_unknown_requirements", count=len(unknown),
                         ids=", ".join(unknown[:MAX_IDS_NAMED]), profile=result.profile)
    return evidence_statement(result)


def unknown_requirements(result: AssessmentResult, known: Container[str]) -> list[str]:
    return sorted(r for r in result.statuses if r not in known)


def verify_evidence(
    envelope: Envelope,
    store: TrustStore,
    *,
    at: datetime,
    known_requirements: Container[str] | None = None,
    skew: timedelta = CLOCK_SKEW,
    source: str = "<evidence>",
    verified: VerifiedSignatures | None = None,
) -> VerifiedEvidence | Refused:
    """The evidence ``envelope`` carries, if the trust store lets its signer vouch for
    it at ``at``; an assessment result is also checked against ``known_requirements``
    when given. ``verified``: signatures found valid before, not checked again (and
    those found valid now, added)."""
    if envelope.payload_type != INTOTO_PAYLOAD_TYPE:
        return Refused(Refusal.WRONG_PAYLOAD_TYPE, "evidence_wrong_payload_type",
                       payload_type=envelope.payload_type, expected=INTOTO_PAYLOAD_TYPE)
    signed = _authenticate(envelope, store, at, verified)
    if isinstance(signed, Refused):
        return signed
    try:  # read only now that its signature is trusted
        evidence = read_evidence(read_statement(envelope.payload, source), source)
    except InputError as exc:
        return unreadable(exc)
    signers = _in_role(evidence, signed.signers)
    if isinstance(signers, Refused):
        return signers
    refused = (out_of_scope(signers, evidence.organisation)
               or _out_of_date(evidence, at, skew)
               or _unknown_ids(evidence, known_requirements))
    if refused is not None:
        return refused
    return VerifiedEvidence(evidence=evidence, signers=signers,
                            predicate_type=PREDICATE_TYPES[evidence.kind])


def _authenticate(envelope: Envelope, store: TrustStore, at: datetime,
                  verified: VerifiedSignatures | None) -> Authenticated | Refused:
    """Signed by a key held as an organisation's or an assessor's (which the kind needs
    is known only once the payload may be read). A refusal for the organisation role
    stands unless it only says the key is not held in it."""
    as_organisation, as_assessor = authenticate_in_roles(
        envelope, store, (Role.ORGANISATION, Role.ASSESSOR), at, verified)
    if not isinstance(as_organisation, Refused) or as_organisation.reason not in _NOT_IN_ROLE:
        return as_organisation
    if not isinstance(as_assessor, Refused) or as_assessor.reason not in _NOT_IN_ROLE:
        return as_assessor
    if Refusal.WRONG_ROLE in (as_organisation.reason, as_assessor.reason):
        return (as_organisation if as_organisation.reason is Refusal.WRONG_ROLE
                else as_assessor)
    hints = ", ".join(s.keyid[:16] for s in envelope.signatures if s.keyid)
    return Refused(Refusal.UNTRUSTED_SIGNER, "evidence_unknown_key", signer=hints or "?")


def _in_role(evidence: OrganisationEvidence,
             signers: tuple[TrustedKey, ...]) -> tuple[TrustedKey, ...] | Refused:
    needed = signer_roles(evidence)
    fit = tuple(k for k in signers if k.roles & needed)
    if fit:
        return fit
    keyid = signers[0].keyid[:16]
    held = ", ".join(sorted(r.value for k in signers for r in k.roles))
    star = claimed_star(evidence)
    if star is not None and star >= LOWEST_ASSESSED_STAR:
        return Refused(Refusal.WRONG_ROLE, "evidence_star_needs_assessor", star=star,
                       keyid=keyid, roles=held)
    return Refused(Refusal.WRONG_ROLE, "evidence_wrong_signer_role", kind=evidence.kind.value,
                   keyid=keyid, roles=held,
                   needed=", ".join(sorted(r.value for r in needed)))


def _out_of_date(evidence: OrganisationEvidence, at: datetime,
                 skew: timedelta) -> Refused | None:
    validity = evidence.validity
    if validity.issued_at > at + skew:
        return Refused(Refusal.NOT_YET_VALID, "evidence_future_dated",
                       issued=f"{validity.issued_at.astimezone(UTC):%Y-%m-%d %H:%M}",
                       minutes=int(skew.total_seconds() // 60))
    if validity.expires_at <= at:
        return Refused(Refusal.EXPIRED, "evidence_expired",
                       date=f"{validity.expires_at.astimezone(UTC):%Y-%m-%d %H:%M}")
    return None


def _unknown_ids(evidence: OrganisationEvidence,
                 known: Container[str] | None) -> Refused | None:
    if known is None or not isinstance(evidence, AssessmentResult):
        return None
    unknown = unknown_requirements(evidence, known)
    if not unknown:
        return None
    return Refused(Refusal.UNKNOWN_REQUIREMENT, "evidence_unknown_requirements",
                   count=len(unknown), ids=", ".join(unknown[:MAX_IDS_NAMED]),
                   profile=evidence.profile)
