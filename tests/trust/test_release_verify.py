"""Signed releases: every way an attacker can hand us a release is refused by name."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import timedelta

import orjson
import pytest
from keyfactory import NOW, make_signer, trusted

from cpstrust.formats.dsse import pae
from cpstrust.model.evidence import (
    Envelope,
    EnvelopeSignature,
    ReleaseProvenance,
    ResourceDescriptor,
    Subject,
    VerifiedRelease,
)
from cpstrust.model.trust import Algorithm, Refusal, Refused, Revocation, Role, TrustStore
from cpstrust.trust.release import sign_release, verify_release

FIRMWARE = b"\x7fELF firmware image"
DIGEST = hashlib.sha256(FIRMWARE).hexdigest()
SBOM = ResourceDescriptor("plc.cdx.json", {"sha256": "ab" * 32}, "application/vnd.cyclonedx+json")


def provenance(product: str = "plc-4000", version: str = "2.1.0") -> ReleaseProvenance:
    return ReleaseProvenance(product=product, version=version, builder_id="urn:test",
                             built_at=NOW, sbom=SBOM)


@pytest.fixture(params=[Algorithm.ED25519, Algorithm.ECDSA_P256], ids=lambda a: a.value)
def vendor(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return make_signer(request.param, "vendor")


def store_of(*keys) -> TrustStore:  # type: ignore[no-untyped-def]
    return TrustStore(version=1, issued_at=NOW, keys=tuple(keys))


def signed(signer, product: str = "plc-4000") -> Envelope:  # type: ignore[no-untyped-def]
    return sign_release([Subject("fw.bin", {"sha256": DIGEST})], provenance(product), [signer])


def refusal(outcome: object) -> Refusal:
    assert isinstance(outcome, Refused), outcome
    return outcome.reason


def test_release_signed_by_trusted_key_in_scope_is_trusted(vendor) -> None:  # type: ignore[no-untyped-def]
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER, scopes=("plc-4000",)))
    outcome = verify_release(signed(vendor), store, at=NOW, artifacts={"fw.bin": DIGEST})
    assert isinstance(outcome, VerifiedRelease)
    assert outcome.product == "plc-4000"
    assert outcome.provenance.version == "2.1.0"
    assert outcome.provenance.sbom == SBOM
    assert outcome.matched_artifacts == {"fw.bin": "fw.bin"}


def test_verify_refuses_tampered_payload(vendor) -> None:  # type: ignore[no-untyped-def]
    envelope = signed(vendor)
    tampered = replace(envelope, payload=envelope.payload.replace(b"2.1.0", b"2.1.9"))
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(tampered, store, at=NOW)) is Refusal.BAD_SIGNATURE


def test_verify_refuses_signature_by_untrusted_key_substituted_for_trusted_one() -> None:
    vendor, attacker = make_signer(name="vendor"), make_signer(name="attacker")
    envelope = signed(attacker)
    # The attacker even claims the vendor's keyid.
    forged = replace(envelope, signatures=(
        EnvelopeSignature(vendor.record.keyid, envelope.signatures[0].sig),))
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(envelope, store, at=NOW)) is Refusal.UNTRUSTED_SIGNER
    assert refusal(verify_release(forged, store, at=NOW)) is Refusal.BAD_SIGNATURE


def test_verify_refuses_revoked_key(vendor) -> None:  # type: ignore[no-untyped-def]
    key = replace(trusted(vendor, Role.RELEASE_SIGNER),
                  revocation=Revocation(NOW - timedelta(days=2), "build server compromised"))
    outcome = verify_release(signed(vendor), store_of(key), at=NOW)
    assert refusal(outcome) is Refusal.REVOKED
    assert "build server compromised" in outcome.detail  # type: ignore[union-attr]


def test_verify_refuses_expired_key(vendor) -> None:  # type: ignore[no-untyped-def]
    key = trusted(vendor, Role.RELEASE_SIGNER, valid_days=30)
    later = NOW + timedelta(days=31)
    assert refusal(verify_release(signed(vendor), store_of(key), at=later)) is Refusal.EXPIRED


def test_verify_refuses_key_not_yet_valid(vendor) -> None:  # type: ignore[no-untyped-def]
    key = trusted(vendor, Role.RELEASE_SIGNER, valid_days=30)
    earlier = NOW - timedelta(days=2)
    outcome = verify_release(signed(vendor), store_of(key), at=earlier)
    assert refusal(outcome) is Refusal.NOT_YET_VALID


def test_verify_refuses_key_trusted_in_another_role(vendor) -> None:  # type: ignore[no-untyped-def]
    store = store_of(trusted(vendor, Role.DEVICE_IDENTITY))
    assert refusal(verify_release(signed(vendor), store, at=NOW)) is Refusal.WRONG_ROLE


def test_verify_refuses_release_of_product_outside_key_scope(vendor) -> None:  # type: ignore[no-untyped-def]
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER, scopes=("hmi-200",)))
    assert refusal(verify_release(signed(vendor), store, at=NOW)) is Refusal.OUT_OF_SCOPE


def test_verify_refuses_release_for_another_product_than_asked(vendor) -> None:  # type: ignore[no-untyped-def]
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    outcome = verify_release(signed(vendor), store, at=NOW, product="hmi-200")
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH


def test_verify_refuses_artifact_that_is_not_a_subject(vendor) -> None:  # type: ignore[no-untyped-def]
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    other = hashlib.sha256(b"trojaned").hexdigest()
    outcome = verify_release(signed(vendor), store, at=NOW, artifacts={"fw.bin": other})
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH


def test_verify_refuses_envelope_without_signatures(vendor) -> None:  # type: ignore[no-untyped-def]
    envelope = replace(signed(vendor), signatures=())
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(envelope, store, at=NOW)) is Refusal.NO_SIGNATURE


def test_verify_refuses_duplicate_signatures(vendor) -> None:  # type: ignore[no-untyped-def]
    envelope = signed(vendor)
    twice = replace(envelope, signatures=envelope.signatures * 2)
    unnamed = replace(envelope, signatures=tuple(
        EnvelopeSignature("", s.sig) for s in envelope.signatures * 2))
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(twice, store, at=NOW)) is Refusal.DUPLICATE_SIGNATURE
    assert refusal(verify_release(unnamed, store, at=NOW)) is Refusal.DUPLICATE_SIGNATURE


def test_verify_refuses_signature_of_another_algorithm_under_a_trusted_keyid() -> None:
    vendor = make_signer(Algorithm.ED25519, "vendor")
    ecdsa = make_signer(Algorithm.ECDSA_P256, "other")
    envelope = signed(vendor)
    message = pae(envelope.payload_type, envelope.payload)
    confused = replace(envelope, signatures=(
        EnvelopeSignature(vendor.record.keyid, ecdsa.sign(message)),))
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(confused, store, at=NOW)) is Refusal.WRONG_ALGORITHM


def test_verify_refuses_envelope_of_another_payload_type(vendor) -> None:  # type: ignore[no-untyped-def]
    envelope = replace(signed(vendor), payload_type="application/json")
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(envelope, store, at=NOW)) is Refusal.WRONG_PAYLOAD_TYPE


def test_verify_refuses_signed_payload_that_is_not_a_statement(vendor) -> None:  # type: ignore[no-untyped-def]
    from cpstrust.trust.verify import sign_envelope

    envelope = sign_envelope("application/vnd.in-toto+json", b'{"_type": "link"}', [vendor])
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    assert refusal(verify_release(envelope, store, at=NOW)) is Refusal.MALFORMED


def test_one_trusted_signature_among_untrusted_ones_is_enough(vendor) -> None:  # type: ignore[no-untyped-def]
    stranger = make_signer(name="stranger")
    envelope = sign_release([Subject("fw.bin", {"sha256": DIGEST})], provenance(),
                            [stranger, vendor])
    store = store_of(trusted(vendor, Role.RELEASE_SIGNER))
    outcome = verify_release(envelope, store, at=NOW)
    assert isinstance(outcome, VerifiedRelease)
    assert [k.keyid for k in outcome.signers] == [vendor.record.keyid]


def test_signed_statement_is_in_toto_v1_with_slsa_provenance(vendor) -> None:  # type: ignore[no-untyped-def]
    statement = orjson.loads(signed(vendor).payload)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["subject"] == [{"name": "fw.bin", "digest": {"sha256": DIGEST}}]
    assert statement["predicateType"] == "https://slsa.dev/provenance/v1"
    byproduct = statement["predicate"]["runDetails"]["byproducts"][0]
    assert byproduct["digest"] == {"sha256": "ab" * 32}
    assert base64.b64encode(signed(vendor).payload)  # payload is bytes, as DSSE wants
