"""Signed documents that name a key twice, or a subject twice, are refused after their
signature verifies (``malformed``, the key and its place named) or as unreadable input:
a reader that keeps the first value would otherwise approve what cpstrust does not."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from keyfactory import NOW, make_signer, trusted

from cpstrust.errors import InputError
from cpstrust.formats.attestation import measurement_list_digest, write_report
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.intoto import write_statement
from cpstrust.formats.keyrecord import record_to_json
from cpstrust.formats.slsa import PROVENANCE_V1, write_provenance
from cpstrust.formats.truststore import TRUST_STORE_PAYLOAD_TYPE, write_trust_store
from cpstrust.model.attestation import Challenge, MeasurementReport
from cpstrust.model.evidence import (
    INTOTO_PAYLOAD_TYPE,
    ReleaseProvenance,
    Statement,
    Subject,
    VerifiedRelease,
)
from cpstrust.model.trust import Refusal, Refused, Role, TrustStore
from cpstrust.trust.attestation import appraise_report, release_reference
from cpstrust.trust.authenticity import reference_from_subjects
from cpstrust.trust.keyring import Keyring
from cpstrust.trust.release import sign_release, verify_release
from cpstrust.trust.truststore import accept_trust_store
from cpstrust.trust.verify import sign_envelope

BAD = Path(__file__).resolve().parents[1] / "data" / "bad" / "envelope"
GENUINE = hashlib.sha256(b"\x7fELF firmware 2.1.0").hexdigest()
OTHER = hashlib.sha256(b"\x7fELF firmware with a backdoor").hexdigest()
PROVENANCE = ReleaseProvenance("plc-4000", "2.1.0", "urn:test", NOW, None)
VENDOR = make_signer(name="vendor")
STORE = TrustStore(1, NOW, (trusted(VENDOR, Role.RELEASE_SIGNER),))


def with_member(document: bytes, key: str, value: object) -> bytes:
    """Compact JSON ``document`` with one more member at the end of its root object."""
    return document[:-1] + b"," + orjson.dumps(key) + b":" + orjson.dumps(value) + b"}"


def statement(*subjects: Subject) -> bytes:
    return write_statement(Statement(subjects, PROVENANCE_V1, write_provenance(PROVENANCE)))


def malformed(outcome: object) -> str:
    assert isinstance(outcome, Refused), outcome
    assert outcome.reason is Refusal.MALFORMED
    return outcome.detail


@pytest.mark.parametrize("artifact", [("fw.bin", GENUINE), ("evil.bin", OTHER)])
def test_release_statement_naming_subject_twice_is_refused_for_either_file(
    artifact: tuple[str, str]
) -> None:
    payload = with_member(statement(Subject("fw.bin", {"sha256": GENUINE})), "subject",
                          [{"name": "evil.bin", "digest": {"sha256": OTHER}}])
    envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [VENDOR])
    detail = malformed(verify_release(envelope, STORE, at=NOW, artifacts=dict([artifact]),
                                      source="release.json"))
    assert detail == 'release.json: at /: duplicate key "subject"'


def test_slsa_provenance_naming_a_nested_key_twice_is_refused() -> None:
    genuine = statement(Subject("fw.bin", {"sha256": GENUINE}))
    payload = genuine.replace(b'"externalParameters":',
                              b'"externalParameters":{"product":"hmi-200","version":"9"},'
                              b'"externalParameters":', 1)
    envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [VENDOR])
    detail = malformed(verify_release(envelope, STORE, at=NOW, source="release.json"))
    assert detail == ('release.json: at /predicate/buildDefinition: '
                      'duplicate key "externalParameters"')


def test_statement_naming_one_subject_twice_with_two_digests_is_refused() -> None:
    envelope = sign_release([Subject("fw.bin", {"sha256": GENUINE}),
                             Subject("fw.bin", {"sha256": OTHER})], PROVENANCE, [VENDOR])
    for digest in (GENUINE, OTHER):
        detail = malformed(verify_release(envelope, STORE, at=NOW,
                                          artifacts={"fw.bin": digest}, source="r.json"))
        assert detail == "r.json: at /subject/1/name: subject 'fw.bin' is named twice"


def test_statement_may_leave_several_subjects_unnamed() -> None:
    envelope = sign_release([Subject("_", {"sha256": GENUINE}), Subject("_", {"sha256": OTHER})],
                            PROVENANCE, [VENDOR])
    outcome = verify_release(envelope, STORE, at=NOW, artifacts={"fw.bin": OTHER})
    assert isinstance(outcome, VerifiedRelease)


def test_envelope_naming_its_payload_twice_is_unreadable() -> None:
    path = BAD / "duplicate-payload.json"
    with pytest.raises(InputError) as caught:
        read_envelope(path.read_bytes(), str(path))
    assert caught.value.source == str(path)
    assert caught.value.location == "/"
    assert caught.value.problem == 'duplicate key "payload"'


def test_trust_store_payload_naming_its_keys_twice_is_refused_and_not_installed() -> None:
    root, intruder = make_signer(name="root"), make_signer(name="intruder")
    current = TrustStore(1, NOW, (trusted(root, Role.ROOT),))
    genuine = orjson.dumps(orjson.loads(write_trust_store(TrustStore(2, NOW, current.keys))))
    widened = TrustStore(2, NOW, (*current.keys, trusted(intruder, Role.RELEASE_SIGNER)))
    payload = with_member(genuine, "keys", orjson.loads(write_trust_store(widened))["keys"])
    envelope = sign_envelope(TRUST_STORE_PAYLOAD_TYPE, payload, [root])
    outcome = accept_trust_store(current, envelope, NOW, source="store.json")
    assert malformed(outcome) == 'store.json: at /: duplicate key "keys"'


def test_attestation_report_naming_a_measured_path_twice_is_refused() -> None:
    device = make_signer(name="gw-line3")
    files = {"bin/gateway": GENUINE}
    nonce = "ab" * 32
    report = MeasurementReport("gw-line3", nonce, NOW, files, measurement_list_digest(files),
                               frozenset(), {}, None)
    # A reader keeping the first value sees the implant; one keeping the last, the genuine.
    payload = write_report(report).replace(b'"measurements":{',
                                           b'"measurements":{"bin/gateway":"%s",'
                                           % OTHER.encode(), 1)
    envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, payload, [device])
    with pytest.raises(InputError) as caught:
        appraise_report(envelope, store=TrustStore(1, NOW, (trusted(
            device, Role.DEVICE_IDENTITY, scopes=("gw-line3",)),)),
            challenge=Challenge(nonce, "gw-line3", NOW, NOW),
            reference=release_reference("HC-Gateway", "3.4.0", reference_from_subjects(files)),
            at=NOW)
    assert caught.value.problem == 'duplicate key "bin/gateway"'
    assert caught.value.location == "/predicate/measurements"


def test_key_record_naming_its_public_key_twice_is_refused(tmp_path: Path) -> None:
    record = orjson.dumps(record_to_json(make_signer(name="release").record))
    intruder = make_signer(name="intruder").record.public_key_pem
    (tmp_path / "release.json").write_bytes(with_member(record, "public_key", intruder))
    with pytest.raises(InputError) as caught:
        Keyring(tmp_path).get("release")
    assert caught.value.diagnostics() == (f'{tmp_path / "release.json"}: at /: '
                                          'duplicate key "public_key"')
