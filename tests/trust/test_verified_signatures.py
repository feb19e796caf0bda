"""Signatures found valid are not checked again (ADR 0026); what they do not cover --
an invalid signature, a revoked or expired key, another key -- is decided as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from keyfactory import NOW, make_signer, trusted

from cpstrust.formats.dsse import pae
from cpstrust.model.evidence import EnvelopeSignature
from cpstrust.model.orgevidence import StarDeclaration, Validity, VerifiedEvidence
from cpstrust.model.trust import Refusal, Refused, Revocation, Role, TrustStore
from cpstrust.trust.orgevidence import sign_evidence, verify_evidence
from cpstrust.trust.verify import VerifiedSignatures, signature_digest

ORG = "Hokuriku Controls"
EVIDENCE = StarDeclaration(ORG, Validity(NOW - timedelta(days=1), NOW + timedelta(days=30)), 3)


def test_a_valid_signature_is_held_and_found_again_without_a_new_check() -> None:
    signer = make_signer()
    store = TrustStore(1, NOW, (trusted(signer, Role.ORGANISATION),))
    envelope = sign_evidence(EVIDENCE, [signer])
    first = VerifiedSignatures()
    outcome = verify_evidence(envelope, store, at=NOW, verified=first)
    assert isinstance(outcome, VerifiedEvidence)
    assert first.found == first.used == {signature_digest(
        store.keys[0], pae(envelope.payload_type, envelope.payload), envelope.signatures[0].sig)}
    again = VerifiedSignatures(first.found)
    assert verify_evidence(envelope, store, at=NOW, verified=again) == outcome
    assert again.found == set() and again.used == first.found


def test_an_invalid_signature_is_refused_and_never_held() -> None:
    signer = make_signer()
    store = TrustStore(1, NOW, (trusted(signer, Role.ORGANISATION),))
    envelope = sign_evidence(EVIDENCE, [signer])
    sig = envelope.signatures[0]
    forged = replace(envelope, signatures=(EnvelopeSignature(sig.keyid, bytes(64)),))
    verified = VerifiedSignatures()
    outcome = verify_evidence(forged, store, at=NOW, verified=verified)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.BAD_SIGNATURE
    assert verified.found == verified.used == set()


def test_a_revoked_or_expired_key_is_refused_though_its_signature_is_held() -> None:
    signer = make_signer()
    key = trusted(signer, Role.ORGANISATION, valid_days=10)
    envelope = sign_evidence(EVIDENCE, [signer])
    held = VerifiedSignatures()
    assert isinstance(verify_evidence(envelope, TrustStore(1, NOW, (key,)), at=NOW,
                                      verified=held), VerifiedEvidence)
    revoked = TrustStore(2, NOW, (replace(key, revocation=Revocation(NOW, "lost")),))
    expired_at = NOW + timedelta(days=11)
    for store, at, reason in ((revoked, NOW, Refusal.REVOKED),
                              (TrustStore(1, NOW, (key,)), expired_at, Refusal.EXPIRED)):
        outcome = verify_evidence(envelope, store, at=at, verified=VerifiedSignatures(held.found))
        assert isinstance(outcome, Refused) and outcome.reason is reason


def test_the_digest_names_the_key_the_bytes_and_the_signature() -> None:
    one, other = make_signer(), make_signer()
    key = trusted(one, Role.ORGANISATION)
    digest = signature_digest(key, b"message", b"s" * 64)
    assert len({digest, signature_digest(trusted(other, Role.ORGANISATION), b"message",
                                         b"s" * 64),
                signature_digest(key, b"messag", b"es" * 32),
                signature_digest(key, b"message", b"t" * 64)}) == 4
