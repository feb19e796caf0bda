"""Organisational evidence between installations: a supplier (and its assessor) sign and
export, the buyer verifies offline against its own trust store, keeps what verifies in
one transaction, and sees each verdict again when it lists."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from installations import NOW, SECRETS, file_key, row_counts, trusted

from cpstrust.app import orgevidence, truststore
from cpstrust.app.orgevidence import SignRequest
from cpstrust.app.services import Services
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.evidence_bundle import EvidenceBundle, write_bundle
from cpstrust.formats.intoto import write_statement
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE
from cpstrust.model.orgevidence import (
    AssessmentResult,
    EvidenceKind,
    RequirementStatus,
    Validity,
    VerifiedEvidence,
)
from cpstrust.model.trust import KeyRecord, Refusal, Refused, Role
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from cpstrust.store.tables import EvidenceRow
from cpstrust.trust.orgevidence import assessment_result_statement
from cpstrust.trust.verify import sign_envelope

ORG = "Hokuriku Controls"
DATA = Path(__file__).resolve().parents[1] / "data" / "vex"


def declaration(level: int = 3, **facts: object) -> SignRequest:
    return SignRequest(kind=EvidenceKind.STAR_DECLARATION, organisation=ORG, level=level,
                       **facts)  # type: ignore[arg-type]


def verdicts(check: orgevidence.BundleCheck) -> list[str]:
    return [o.outcome.reason.value if isinstance(o.outcome, Refused) else "accepted"
            for o in check.outcomes]


@pytest.fixture
def supplier_key(services: Services) -> KeyRecord:
    return file_key(services, "org")


@pytest.fixture
def assessor(tmp_path: Path) -> Iterator[Services]:
    """A third installation: the assessor's, on its own SQLite file."""
    url = f"sqlite:///{tmp_path / 'assessor.db'}"
    opened = Store.open(url)
    yield Services(Settings(home=tmp_path / "assessor", database_url=url), store=opened)
    opened.close()


def export(services: Services, path: Path, organisation: str = ORG) -> Path:
    path.write_bytes(orgevidence.export_bundle(services, organisation, NOW).data)
    return path


def sign_all_kinds(services: Services) -> None:
    """A ★3 declaration, a JC-STAR label, an SBOM and a VEX delivery."""
    for request in (
        declaration(),
        SignRequest(kind=EvidenceKind.JCSTAR_LABEL, organisation=ORG, level=1,
                    product="HC-Gateway", label_id="J0001"),
        SignRequest(kind=EvidenceKind.SBOM_DELIVERY, organisation=ORG, product="HC-Gateway",
                    release="3.2.0", document=DATA / "gateway.cdx.json"),
        SignRequest(kind=EvidenceKind.VEX_DELIVERY, organisation=ORG, product="HC-Gateway",
                    document=DATA / "gateway.openvex.json"),
    ):
        orgevidence.sign(services, request, key="org", secrets=SECRETS, at=NOW)


def test_supplier_bundle_verifies_and_imports_offline_at_the_buyer(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    sign_all_kinds(services)
    bundle = export(services, tmp_path / "supplier.bundle.json")
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION, scopes=[ORG]), NOW)
    done = orgevidence.import_bundle(site, bundle, NOW)
    assert verdicts(done.check) == ["accepted"] * 4
    assert len(done.stored) == 4 and not done.already_held
    listed = orgevidence.list_evidence(site, NOW, ORG)
    assert [e.stored.kind for e in listed] == ["star-declaration", "jcstar-label",
                                               "sbom-delivery", "vex-delivery"]
    assert all(isinstance(e.verdict, VerifiedEvidence) for e in listed)
    sbom = listed[2].verdict
    assert isinstance(sbom, VerifiedEvidence)
    sbom_digest = hashlib.sha256((DATA / "gateway.cdx.json").read_bytes()).hexdigest()
    assert sbom.evidence.sbom.sha256 == sbom_digest  # type: ignore[union-attr]
    assert listed[2].stored.subject == "HC-Gateway 3.2.0"


def test_importing_the_same_bundle_again_keeps_nothing_twice(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS, at=NOW)
    bundle = export(services, tmp_path / "b.json")
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION), NOW)
    first = orgevidence.import_bundle(site, bundle, NOW)
    again = orgevidence.import_bundle(site, bundle, NOW)
    assert dict(again.already_held) == dict(first.stored) and not again.stored
    assert row_counts(site.store, EvidenceRow) == {"EvidenceRow": 1}


def test_bundle_of_an_untrusted_key_is_refused_and_its_offered_key_shown(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS, at=NOW)
    done = orgevidence.import_bundle(site, export(services, tmp_path / "b.json"), NOW)
    assert verdicts(done.check) == ["untrusted-signer"]
    assert not done.stored
    (offer,) = done.check.offered_keys
    assert offer.key.keyid == supplier_key.keyid and offer.trusted_roles == frozenset()
    assert row_counts(site.store, EvidenceRow) == {"EvidenceRow": 0}


def test_expired_evidence_in_a_bundle_is_refused_and_the_rest_kept(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    last_year = NOW - timedelta(days=400)
    orgevidence.sign(services, declaration(expires_at=NOW - timedelta(days=35)), key="org",
                     secrets=SECRETS, at=last_year)
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS, at=NOW)
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION), NOW)
    done = orgevidence.import_bundle(site, export(services, tmp_path / "b.json"), NOW)
    assert verdicts(done.check) == ["expired", "accepted"]
    assert list(done.stored) == ["/envelopes/1"]


def test_listing_checks_expiry_and_revocation_again(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    orgevidence.sign(services, declaration(expires_at=NOW + timedelta(days=30)), key="org",
                     secrets=SECRETS, at=NOW)
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION), NOW)
    orgevidence.import_bundle(site, export(services, tmp_path / "b.json"), NOW)
    (later,) = orgevidence.list_evidence(site, NOW + timedelta(days=31))
    assert isinstance(later.verdict, Refused) and later.verdict.reason is Refusal.EXPIRED
    truststore.revoke(site, supplier_key.keyid, "key leaked", NOW)
    (now,) = orgevidence.list_evidence(site, NOW + timedelta(hours=1))
    assert isinstance(now.verdict, Refused) and now.verdict.reason is Refusal.REVOKED
    stored = orgevidence.verify_stored(site, now.stored.id, NOW + timedelta(hours=1))
    assert isinstance(stored.outcome, Refused)
    assert stored.outcome.reason is Refusal.REVOKED


def test_assessors_attestation_travels_through_the_supplier_to_the_buyer(
    services: Services, site: Services, assessor: Services, supplier_key: KeyRecord,
    tmp_path: Path,
) -> None:
    assessor_key = file_key(assessor, "assessor")
    attestation = SignRequest(kind=EvidenceKind.STAR_ATTESTATION, organisation=ORG, level=4,
                              assessor="JQA Cyber", report="R-2026-17")
    orgevidence.sign(assessor, attestation, key="assessor", secrets=SECRETS, at=NOW)
    truststore.trust_key(services, trusted(assessor_key, Role.ASSESSOR), NOW)
    received = orgevidence.import_bundle(services, export(assessor, tmp_path / "a.json"), NOW)
    assert verdicts(received.check) == ["accepted"]
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS, at=NOW)
    bundle = export(services, tmp_path / "supplier.json")

    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION, scopes=[ORG]), NOW)
    truststore.trust_key(site, trusted(assessor_key, Role.ORGANISATION), NOW)
    check = orgevidence.verify_bundle(site, bundle, NOW)
    assert verdicts(check) == ["wrong-role", "accepted"]  # an assessor's key as an org's
    assert {o.key.keyid for o in check.offered_keys} == {supplier_key.keyid,
                                                         assessor_key.keyid}
    truststore.trust_key(site, trusted(assessor_key, Role.ASSESSOR), NOW)
    done = orgevidence.import_bundle(site, bundle, NOW)
    assert verdicts(done.check) == ["accepted", "accepted"]


def test_malformed_bundle_keeps_nothing_and_names_file_and_place(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS, at=NOW)
    orgevidence.sign(services, declaration(), key="org", secrets=SECRETS,
                     at=NOW + timedelta(seconds=1))
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION), NOW)
    bundle = export(services, tmp_path / "b.json")
    broken = bundle.read_bytes().replace(b'"payloadType"', b'"payloadtype"', 2)
    bundle.write_bytes(broken.replace(b'"payloadtype"', b'"payloadType"', 1))
    with pytest.raises(InputError) as caught:
        orgevidence.import_bundle(site, bundle, NOW)
    assert caught.value.source == str(bundle)
    assert caught.value.location == "/envelopes/1/payloadType"
    assert row_counts(site.store, EvidenceRow) == {"EvidenceRow": 0}


def test_assessment_results_are_checked_against_the_known_requirement_ids(
    services: Services, site: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    result = AssessmentResult(ORG, Validity(NOW, NOW + timedelta(days=365)), "cpsf-star3",
                              assessed_at=NOW, star_level=3,
                              statuses={"CPS.AM-1": RequirementStatus.MET,
                                        "CPS.XX-9": RequirementStatus.NOT_MET})
    statement = assessment_result_statement(result, {"CPS.AM-1", "CPS.XX-9"})
    with services.keyring.signer("org", SECRETS) as signer:
        envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, write_statement(statement), [signer])
    bundle = tmp_path / "assessment.json"
    bundle.write_bytes(write_bundle(EvidenceBundle(NOW, (envelope,))))
    truststore.trust_key(site, trusted(supplier_key, Role.ORGANISATION), NOW)
    catalogue = {"CPS.AM-1", "CPS.AM-2"}
    refused = orgevidence.import_bundle(site, bundle, NOW, known_requirements=catalogue)
    assert verdicts(refused.check) == ["unknown-requirement"] and not refused.stored
    accepted = orgevidence.import_bundle(site, bundle, NOW, known_requirements=None)
    assert verdicts(accepted.check) == ["accepted"] and accepted.stored


@pytest.mark.parametrize(("request_", "code"), [
    (declaration(4), "evidence_self_declared_star_too_high"),
    (declaration(2), "evidence_level_out_of_range"),
    (declaration(release="1.0"), "evidence_option_unused"),
    (SignRequest(kind=EvidenceKind.SBOM_DELIVERY, organisation=ORG, product="P",
                 release="1"), "evidence_option_needed"),
    (SignRequest(kind=EvidenceKind.ASSESSMENT_RESULT, organisation=ORG),
     "evidence_not_signed_here"),
    (declaration(expires_at=NOW - timedelta(days=1)), "evidence_expires_before_issued"),
])
def test_signing_refuses_what_no_verifier_would_accept(
    services: Services, supplier_key: KeyRecord, request_: SignRequest, code: str,
) -> None:
    with pytest.raises(InputError) as caught:
        orgevidence.sign(services, request_, key="org", secrets=SECRETS, at=NOW)
    assert caught.value.code == code
    assert row_counts(services.store, EvidenceRow) == {"EvidenceRow": 0}


def test_export_and_lookup_of_what_is_not_held_say_so(services: Services) -> None:
    with pytest.raises(NotFoundError):
        orgevidence.export_bundle(services, "Nobody Ltd", NOW)
    with pytest.raises(NotFoundError):
        orgevidence.verify_stored(services, 999, NOW)


def test_sbom_delivery_refuses_a_file_that_is_no_sbom(
    services: Services, supplier_key: KeyRecord, tmp_path: Path,
) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}')
    request = SignRequest(kind=EvidenceKind.SBOM_DELIVERY, organisation=ORG, product="P",
                          release="1", document=junk)
    with pytest.raises(InputError):
        orgevidence.sign(services, request, key="org", secrets=SECRETS, at=NOW)
    assert row_counts(services.store, EvidenceRow) == {"EvidenceRow": 0}
