"""Organisational evidence: what the buyer's trust store accepts, and each way it is
refused, by name."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from keyfactory import NOW, make_signer, trusted

from cpstrust.errors import InputError
from cpstrust.formats.evidence_bundle import read_bundle
from cpstrust.formats.intoto import write_statement
from cpstrust.formats.orgevidence import PREDICATE_TYPES, evidence_statement
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope, EnvelopeSignature
from cpstrust.model.orgevidence import (
    AssessmentResult,
    Document,
    JcStarLabel,
    OrganisationEvidence,
    RequirementStatus,
    SbomDelivery,
    StarAttestation,
    StarDeclaration,
    Validity,
    VerifiedEvidence,
    VexDelivery,
)
from cpstrust.model.trust import (
    Algorithm,
    Refusal,
    Refused,
    Revocation,
    Role,
    TrustedKey,
    TrustStore,
)
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.orgevidence import (
    assessment_result_statement,
    sign_evidence,
    verify_evidence,
)
from cpstrust.trust.verify import sign_envelope

ORG = "Hokuriku Controls"
VALID = Validity(issued_at=NOW - timedelta(days=1), expires_at=NOW + timedelta(days=365))
KNOWN = frozenset({"CPS.AM-1", "CPS.AM-2", "CPS.RA-4"})


def store_of(*keys) -> TrustStore:  # type: ignore[no-untyped-def]
    return TrustStore(version=1, issued_at=NOW, keys=tuple(keys))


def refusal(outcome: object) -> Refusal:
    assert isinstance(outcome, Refused), outcome
    return outcome.reason


def assessment(star: int | None = 3, validity: Validity = VALID,
               ids: tuple[str, ...] = ("CPS.AM-1", "CPS.RA-4")) -> AssessmentResult:
    return AssessmentResult(ORG, validity, profile="cpsf-star3", assessed_at=NOW,
                            star_level=star,
                            statuses={i: RequirementStatus.MET for i in ids})


EVERY_KIND: list[tuple[OrganisationEvidence, Role]] = [
    (assessment(), Role.ORGANISATION),
    (StarDeclaration(ORG, VALID, 3), Role.ORGANISATION),
    (StarAttestation(ORG, VALID, 4, assessor="JQA Cyber", assessed_at=NOW, report="R-17"),
     Role.ASSESSOR),
    (JcStarLabel(ORG, VALID, product="HC-Gateway", level=1, label_id="J0123"),
     Role.ORGANISATION),
    (SbomDelivery(ORG, VALID, product="HC-Gateway", release="3.2.0",
                  sbom=Document("hc.cdx.json", "ab" * 32, "application/vnd.cyclonedx+json")),
     Role.ORGANISATION),
    (VexDelivery(ORG, VALID, vex=Document("hc.vex.json", "cd" * 32), product="HC-Gateway"),
     Role.ORGANISATION),
]


@pytest.fixture(params=[Algorithm.ED25519, Algorithm.ECDSA_P256], ids=lambda a: a.value)
def supplier(request: pytest.FixtureRequest) -> FileSigner:
    return make_signer(request.param, "supplier")


@pytest.mark.parametrize(("evidence", "role"), EVERY_KIND, ids=lambda v: getattr(v, "kind", v))
def test_each_kind_signed_in_its_role_is_accepted_with_what_it_says(
    evidence: OrganisationEvidence, role: Role, supplier: FileSigner,
) -> None:
    store = store_of(trusted(supplier, role, scopes=(ORG,)))
    outcome = verify_evidence(sign_evidence(evidence, [supplier]), store, at=NOW)
    assert isinstance(outcome, VerifiedEvidence), outcome
    assert outcome.evidence == evidence
    assert outcome.predicate_type == PREDICATE_TYPES[evidence.kind]
    assert [k.keyid for k in outcome.signers] == [supplier.record.keyid]


def test_self_declaration_signed_by_an_assessor_key_is_wrong_role(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ASSESSOR))
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier]),
                              store, at=NOW)
    assert refusal(outcome) is Refusal.WRONG_ROLE
    assert "organisation" in outcome.detail  # type: ignore[union-attr]


def test_attestation_signed_by_the_organisation_itself_is_wrong_role(
    supplier: FileSigner,
) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    attestation = StarAttestation(ORG, VALID, 3, assessor="self", assessed_at=NOW)
    outcome = verify_evidence(sign_evidence(attestation, [supplier]), store, at=NOW)
    assert refusal(outcome) is Refusal.WRONG_ROLE


@pytest.mark.parametrize("star", [4, 5])
def test_star4_and_star5_claims_count_only_under_an_assessor_key(
    star: int, supplier: FileSigner,
) -> None:
    for claim in (StarDeclaration(ORG, VALID, star), assessment(star)):
        as_organisation = verify_evidence(sign_evidence(claim, [supplier]),
                                          store_of(trusted(supplier, Role.ORGANISATION)), at=NOW)
        assert refusal(as_organisation) is Refusal.WRONG_ROLE
        assert f"★{star}" in as_organisation.detail  # type: ignore[union-attr]
    by_assessor = verify_evidence(sign_evidence(assessment(star), [supplier]),
                                  store_of(trusted(supplier, Role.ASSESSOR)), at=NOW)
    assert isinstance(by_assessor, VerifiedEvidence)


def test_key_trusted_in_another_role_is_wrong_role(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.RELEASE_SIGNER))
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier]),
                              store, at=NOW)
    assert refusal(outcome) is Refusal.WRONG_ROLE


def test_unknown_key_is_untrusted_signer(supplier: FileSigner) -> None:
    other = make_signer(name="other")
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier]),
                              store_of(trusted(other, Role.ORGANISATION)), at=NOW)
    assert refusal(outcome) is Refusal.UNTRUSTED_SIGNER
    assert supplier.record.keyid[:16] in outcome.detail  # type: ignore[union-attr]


def test_key_bound_to_another_organisation_is_out_of_scope(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION, scopes=("Other Corp",)))
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier]),
                              store, at=NOW)
    assert refusal(outcome) is Refusal.OUT_OF_SCOPE


def test_expired_evidence_is_refused_as_expired(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    lapsed = Validity(NOW - timedelta(days=400), NOW - timedelta(days=35))
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, lapsed, 3), [supplier]),
                              store, at=NOW)
    assert refusal(outcome) is Refusal.EXPIRED
    assert "expired" in outcome.detail  # type: ignore[union-attr]


def test_evidence_expires_at_its_expiry_time_not_after(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    envelope = sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier])
    just_before = VALID.expires_at - timedelta(seconds=1)
    assert isinstance(verify_evidence(envelope, store, at=just_before), VerifiedEvidence)
    assert refusal(verify_evidence(envelope, store, at=VALID.expires_at)) is Refusal.EXPIRED


def test_future_dated_evidence_is_refused_beyond_the_clock_skew(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    soon = Validity(NOW + timedelta(minutes=4), NOW + timedelta(days=30))
    later = Validity(NOW + timedelta(hours=2), NOW + timedelta(days=30))
    within = verify_evidence(sign_evidence(StarDeclaration(ORG, soon, 3), [supplier]),
                             store, at=NOW)
    assert isinstance(within, VerifiedEvidence)
    beyond = verify_evidence(sign_evidence(StarDeclaration(ORG, later, 3), [supplier]),
                             store, at=NOW)
    assert refusal(beyond) is Refusal.NOT_YET_VALID


def test_tampered_payload_is_a_bad_signature(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    envelope = sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier])
    raised = envelope.payload.replace(b'"starLevel":3', b'"starLevel":5')
    assert raised != envelope.payload
    outcome = verify_evidence(replace(envelope, payload=raised), store, at=NOW)
    assert refusal(outcome) is Refusal.BAD_SIGNATURE


def test_tampered_signature_is_a_bad_signature(supplier: FileSigner) -> None:
    store = store_of(trusted(supplier, Role.ORGANISATION))
    envelope = sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier])
    sig = bytearray(envelope.signatures[0].sig)
    sig[-1] ^= 0x01
    tampered = replace(envelope, signatures=(EnvelopeSignature(supplier.record.keyid,
                                                                bytes(sig)),))
    assert refusal(verify_evidence(tampered, store, at=NOW)) is Refusal.BAD_SIGNATURE


def test_revoked_key_is_refused(supplier: FileSigner) -> None:
    key = replace(trusted(supplier, Role.ORGANISATION),
                  revocation=Revocation(NOW - timedelta(hours=1), "laptop stolen"))
    outcome = verify_evidence(sign_evidence(StarDeclaration(ORG, VALID, 3), [supplier]),
                              store_of(key), at=NOW)
    assert refusal(outcome) is Refusal.REVOKED


def test_envelope_of_another_payload_type_is_refused(supplier: FileSigner) -> None:
    statement = write_statement(evidence_statement(StarDeclaration(ORG, VALID, 3)))
    envelope = sign_envelope("application/json", statement, [supplier])
    outcome = verify_evidence(envelope, store_of(trusted(supplier, Role.ORGANISATION)), at=NOW)
    assert refusal(outcome) is Refusal.WRONG_PAYLOAD_TYPE


def _signed_statement(document: dict[str, object], signer: FileSigner) -> Envelope:
    return sign_envelope(INTOTO_PAYLOAD_TYPE, orjson.dumps(document), [signer])


def _declaration_json(**predicate: object) -> dict[str, object]:
    name_digest = hashlib.sha256(ORG.encode()).hexdigest()
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": ORG, "digest": {"sha256": name_digest}}],
        "predicateType": PREDICATE_TYPES[StarDeclaration.kind],
        "predicate": {"organisation": ORG, "issuedAt": "2026-11-22T12:00:00Z",
                      "expiresAt": "2027-11-22T12:00:00Z", "starLevel": 3, **predicate},
    }


@pytest.mark.parametrize(("change", "place"), [
    ({"starLevel": 2}, "/predicate/starLevel"),
    ({"starLevel": "3"}, "/predicate/starLevel"),
    ({"extra": True}, "/predicate"),
    ({"issuedAt": "2026-11-22T12:00:00"}, "/predicate/issuedAt"),
    ({"expiresAt": "2025-01-01T00:00:00Z"}, "/predicate/expiresAt"),
])
def test_signed_but_malformed_predicate_is_refused_naming_the_place(
    change: dict[str, object], place: str, supplier: FileSigner,
) -> None:
    envelope = _signed_statement(_declaration_json(**change), supplier)
    outcome = verify_evidence(envelope, store_of(trusted(supplier, Role.ORGANISATION)), at=NOW,
                              source="bundle.json")
    assert refusal(outcome) is Refusal.MALFORMED
    assert f"bundle.json: at {place}:" in outcome.detail  # type: ignore[union-attr]


def test_subject_that_is_not_the_predicates_organisation_is_refused(
    supplier: FileSigner,
) -> None:
    document = _declaration_json()
    document["subject"] = [{"name": "Other Corp", "digest": {"sha256": "00" * 32}}]
    outcome = verify_evidence(_signed_statement(document, supplier),
                              store_of(trusted(supplier, Role.ORGANISATION)), at=NOW)
    assert refusal(outcome) is Refusal.MALFORMED
    assert "subject" in outcome.detail  # type: ignore[union-attr]


def test_predicate_naming_a_key_twice_is_refused(supplier: FileSigner) -> None:
    payload = orjson.dumps(_declaration_json()).replace(
        b'"starLevel":3', b'"starLevel":3,"starLevel":5')
    envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [supplier])
    outcome = verify_evidence(envelope, store_of(trusted(supplier, Role.ORGANISATION)), at=NOW)
    assert refusal(outcome) is Refusal.MALFORMED
    assert "starLevel" in outcome.detail  # type: ignore[union-attr]


def test_assessment_naming_unknown_requirement_ids_is_refused_when_checked(
    supplier: FileSigner,
) -> None:
    result = assessment(ids=("CPS.AM-1", "CPS.XX-9"))
    store = store_of(trusted(supplier, Role.ORGANISATION))
    envelope = sign_evidence(result, [supplier])
    outcome = verify_evidence(envelope, store, at=NOW, known_requirements=KNOWN)
    assert refusal(outcome) is Refusal.UNKNOWN_REQUIREMENT
    assert "CPS.XX-9" in outcome.detail and "CPS.AM-1" not in outcome.detail  # type: ignore[union-attr]
    known_by_callable = verify_evidence(envelope, store, at=NOW,
                                        known_requirements={"CPS.AM-1", "CPS.XX-9"})
    assert isinstance(known_by_callable, VerifiedEvidence)


def test_assessment_result_statement_refuses_unknown_requirement_ids() -> None:
    statement = assessment_result_statement(assessment(), KNOWN)
    assert statement.predicate["requirements"] == {"CPS.AM-1": "met", "CPS.RA-4": "met"}
    with pytest.raises(InputError, match=r"CPS\.XX-9"):
        assessment_result_statement(assessment(ids=("CPS.XX-9",)), KNOWN)


def test_statement_is_a_standard_in_toto_statement_v1() -> None:
    payload = orjson.loads(write_statement(evidence_statement(EVERY_KIND[4][0])))
    assert payload["_type"] == "https://in-toto.io/Statement/v1"
    assert payload["subject"] == [{"name": "hc.cdx.json", "digest": {"sha256": "ab" * 32}}]
    assert payload["predicate"]["sbom"]["digest"] == {"sha256": "ab" * 32}


def test_readme_example_bundle_verifies_under_the_key_it_offers() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("```json\n", readme.index("This bundle holds one")) + len("```json\n")
    bundle = read_bundle(readme[start:readme.index("```", start)].encode(), "README.md")
    (offered,) = bundle.keys
    key = TrustedKey(offered.keyid, offered.algorithm, offered.public_key_pem,
                     frozenset({Role.ORGANISATION}), scopes=frozenset({ORG}))
    (envelope,) = bundle.envelopes
    outcome = verify_evidence(envelope, store_of(key), at=datetime(2026, 12, 7, tzinfo=UTC))
    assert isinstance(outcome, VerifiedEvidence)
    assert outcome.evidence == StarDeclaration(
        ORG, Validity(datetime(2026, 12, 6, 2, 45, 18, tzinfo=UTC),
                      datetime(2027, 12, 1, tzinfo=UTC)), 3)
