"""Device attestation, on SQLite and PostgreSQL: single-use challenges, reference values
from signed release evidence, and the device findings' lifecycle."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from appservices import services_of
from cpstrust.app.devices import record_appraisal, reference_values
from cpstrust.crypto import keyid_of, public_pem
from cpstrust.errors import NotFoundError
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.sbom import read_sbom
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.messages import LEGACY, Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    MissingReference,
    ReleaseReference,
)
from cpstrust.model.authenticity import AuthenticityFinding, FindingKind
from cpstrust.model.evidence import ReleaseProvenance, ResourceDescriptor, Subject
from cpstrust.model.finding import FindingStatus
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Role, TrustedKey
from cpstrust.store.attestation import (
    device_findings,
    device_statuses,
    issue_challenge,
    take_challenge,
)
from cpstrust.store.db import Store
from cpstrust.store.sboms import store_sbom
from cpstrust.store.tables import (
    DeviceFindingRow,
    DeviceRow,
    EvidenceRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
)
from cpstrust.store.trust import current_trust_store, record_evidence, save_trust_store
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.release import sign_release
from cpstrust.trust.truststore import add_key, revoke_key

V = AttestationVerdict
NOW = datetime.now(UTC).replace(microsecond=0)
FILES = {"bin/gateway": "1" * 64, "etc/gateway.conf": "2" * 64}


def add_device(store: Store, name: str = "gw-line3") -> tuple[int, int]:
    """An organisation, product HC-Gateway 3.4.0, a site and device ``name``: the
    (device id, release id)."""
    with store.transaction() as session:
        org = OrganizationRow(name="Hokuriku Controls")
        session.add(org)
        session.flush()
        product = ProductRow(name="HC-Gateway", supplier_id=org.id)
        site = SiteRow(name="Mikawa", operator_id=org.id, kind="factory")
        session.add_all([product, site])
        session.flush()
        release = ReleaseRow(product_id=product.id, version="3.4.0")
        session.add(release)
        session.flush()
        device = DeviceRow(name=name, release_id=release.id, site_id=site.id)
        session.add(device)
        session.flush()
        return device.id, release.id


def test_challenge_is_answered_once(store: Store) -> None:
    add_device(store)
    with store.transaction() as session:
        issued = issue_challenge(session, "gw-line3", timedelta(seconds=60), NOW)
    assert len(issued.nonce) == 64
    with store.transaction() as session:
        taken = take_challenge(session, issued.nonce, NOW)
    assert taken == issued
    with store.transaction() as session:
        assert take_challenge(session, issued.nonce, NOW) is None
        assert take_challenge(session, "00" * 32, NOW) is None
        assert take_challenge(session, "not hex", NOW) is None


def test_concurrent_answers_to_one_challenge_take_it_once(store: Store) -> None:
    add_device(store)
    with store.transaction() as session:
        nonce = issue_challenge(session, "gw-line3", timedelta(seconds=60)).nonce

    def answer() -> bool:
        with store.transaction() as session:
            return take_challenge(session, nonce) is not None

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(lambda _: answer(), range(8))) == [False] * 7 + [True]


def test_challenge_for_an_unknown_device_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no device named 'ghost'"), \
            store.transaction() as session:
        issue_challenge(session, "ghost", timedelta(seconds=60))


SBOM = orjson.dumps({
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "components": [{"type": "file", "name": "etc/extra.conf", "bom-ref": "extra",
                    "hashes": [{"alg": "SHA-256", "content": "3" * 64}]}],
})


def _store_release(store: Store, release_id: int, version: str = "3.4.0",
                   sbom: ResourceDescriptor | None = None) -> str:
    """Trust a release key for HC-Gateway and store its signed release: its keyid."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key()
    key = TrustedKey(keyid=keyid_of(public), algorithm=Algorithm.ECDSA_P256,
                     public_key_pem=public_pem(public), roles=frozenset({Role.RELEASE_SIGNER}),
                     scopes=frozenset({"HC-Gateway"}))
    signer = FileSigner(KeyRecord("release", Backend.FILE, key.algorithm, key.keyid,
                                  key.public_key_pem, NOW), private)
    envelope = sign_release([Subject(p, {"sha256": d}) for p, d in FILES.items()],
                            ReleaseProvenance("HC-Gateway", version, "test", NOW, sbom),
                            [signer])
    with store.transaction() as session:
        save_trust_store(session, add_key(current_trust_store(session), key, NOW))
        record_evidence(session, predicate_type=PROVENANCE_V1, envelope=write_envelope(envelope),
                        signer_keyids=[signer.record.keyid], release_id=release_id)
    return signer.record.keyid


def test_reference_comes_from_the_newest_verified_release_evidence(store: Store) -> None:
    _, release_id = add_device(store)
    assert isinstance(reference_values(services_of(store), "gw-line3", NOW), MissingReference)
    _store_release(store, release_id)
    reference = reference_values(services_of(store), "gw-line3", NOW)
    assert isinstance(reference, ReleaseReference)
    assert reference.exact is not None and reference.exact.digests == FILES
    assert (reference.product, reference.version) == ("HC-Gateway", "3.4.0")


@pytest.mark.parametrize("signed", [True, False])
def test_sbom_is_a_reference_only_when_the_signed_release_names_it(store: Store,
                                                                   signed: bool) -> None:
    _, release_id = add_device(store)
    named = ResourceDescriptor("bom.json", {"sha256": hashlib.sha256(SBOM).hexdigest()})
    _store_release(store, release_id, sbom=named if signed else None)
    with store.transaction() as session:
        store_sbom(session, read_sbom(SBOM, source="bom.json"), SBOM, source_name="bom.json",
                   product="HC-Gateway", version="3.4.0")
    reference = reference_values(services_of(store), "gw-line3", NOW)
    assert isinstance(reference, ReleaseReference)
    assert ("etc/extra.conf" in reference.reference.files) is signed
    assert reference.exact is not None and ("etc/extra.conf" in reference.exact.digests) is signed


def test_release_key_revoked_since_import_gives_no_reference(store: Store) -> None:
    _, release_id = add_device(store)
    keyid = _store_release(store, release_id)
    with store.transaction() as session:
        save_trust_store(session, revoke_key(current_trust_store(session), keyid,
                                             "signing server breached", NOW))
    reference = reference_values(services_of(store), "gw-line3", NOW)
    assert isinstance(reference, MissingReference)
    said = reference.reason.text()
    assert "revoked" in said and "signing server breached" in said


def test_release_evidence_of_another_version_gives_no_reference(store: Store) -> None:
    _, release_id = add_device(store)
    _store_release(store, release_id, version="3.5.0")
    reference = reference_values(services_of(store), "gw-line3", NOW)
    assert isinstance(reference, MissingReference) and "3.5.0" in reference.reason.text()


def finding(kind: FindingKind, path: str) -> AuthenticityFinding:
    return AuthenticityFinding(kind, path, None, "SHA-256:" + "0" * 64, Severity.HIGH,
                               Message(LEGACY, {"text": f"{path} is {kind.value}"}), True)


def result(verdict: AttestationVerdict, *found: AuthenticityFinding) -> AttestationResult:
    return AttestationResult(verdict, (Message(LEGACY, {"text": f"{verdict.value} for the test"}),),
                             "gw-line3", "ab" * 32, found)


def record(store: Store, device_id: int, outcome: AttestationResult, at: datetime) -> None:
    with store.transaction() as session:
        record_appraisal(session, device_id, outcome, envelope=b"{}", quote=None, at=at)


def statuses(store: Store) -> dict[tuple[str, str], str]:
    with store.transaction() as session:
        return {(f.kind, f.path): f.status.value for f in device_findings(session, "gw-line3")}


def test_finding_lifecycle_across_attestations(store: Store) -> None:
    device_id, _ = add_device(store)
    implant = finding(FindingKind.UNLISTED, "usr/bin/miner")
    changed = finding(FindingKind.MODIFIED, "bin/gateway")
    record(store, device_id, result(V.UNLISTED, implant, changed), NOW)
    assert statuses(store) == {("UNLISTED", "usr/bin/miner"): "open",
                               ("MODIFIED", "bin/gateway"): "open"}
    with store.transaction() as session:
        row = session.scalars(select(DeviceFindingRow).where(
            DeviceFindingRow.path == "usr/bin/miner")).one()
        row.status = FindingStatus.ACCEPTED.value
    later = NOW + timedelta(hours=1)
    record(store, device_id, result(V.UNLISTED, implant), later)
    assert statuses(store) == {("UNLISTED", "usr/bin/miner"): "accepted",
                               ("MODIFIED", "bin/gateway"): "fixed"}
    # A refused report says nothing about the files: findings stay as they are.
    record(store, device_id, result(V.UNTRUSTED_SIGNER), later)
    assert statuses(store)[("UNLISTED", "usr/bin/miner")] == "accepted"
    record(store, device_id, result(V.MODIFIED, changed), later + timedelta(hours=1))
    assert statuses(store) == {("UNLISTED", "usr/bin/miner"): "fixed",
                               ("MODIFIED", "bin/gateway"): "open"}
    with store.transaction() as session:
        rows = {f.path: f for f in device_findings(session, "gw-line3")}
    assert rows["bin/gateway"].first_seen == NOW
    assert rows["bin/gateway"].last_seen == later + timedelta(hours=1)


def test_device_list_shows_the_latest_verdict_and_open_findings(store: Store) -> None:
    device_id, _ = add_device(store)
    with store.transaction() as session:
        (before,) = device_statuses(session)
    assert before.verdict is None and before.open_findings == 0
    record(store, device_id, result(V.GENUINE), NOW)
    record(store, device_id, result(V.MODIFIED, finding(FindingKind.MODIFIED, "bin/gateway")),
           NOW + timedelta(minutes=1))
    with store.transaction() as session:
        (after,) = device_statuses(session)
    assert (after.name, after.site, after.product, after.version) == (
        "gw-line3", "Mikawa", "HC-Gateway", "3.4.0")
    assert after.verdict is V.MODIFIED and after.open_findings == 1
    assert after.appraised_at == NOW + timedelta(minutes=1)
    assert [reason.text() for reason in after.reasons] == ["MODIFIED for the test"]


def test_a_vouched_report_is_kept_as_device_evidence(store: Store) -> None:
    device_id, _ = add_device(store)
    record(store, device_id, result(V.GENUINE), NOW)
    unsigned = AttestationResult(V.UNTRUSTED_SIGNER, (Message(LEGACY, {"text": "nobody we know"}),),
                                 "gw-line3")
    record(store, device_id, unsigned, NOW)
    with store.transaction() as session:
        evidence = session.scalars(select(EvidenceRow)).all()
    assert [(e.device_id, e.predicate_type) for e in evidence] == [
        (device_id, "https://cpstrust.dev/attestation/measurements/v1")]
    assert hashlib.sha256(evidence[0].envelope).hexdigest() == evidence[0].sha256
