"""Appraising device measurement reports: freshness, who vouches (a device key's DSSE
signature or a real TPM's quote), and the comparison with the release's reference
values. The TPM cases run against the swtpm started by conftest.py."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from keyfactory import NOW, make_signer, trusted

from cpstrust.errors import InputError
from cpstrust.formats.attestation import (
    measurement_list_digest,
    read_message,
    write_report,
    write_result,
)
from cpstrust.messages import LEGACY, Lang, Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    Challenge,
    MeasurementReport,
    MissingReference,
    ReleaseClaim,
    ReleaseReference,
)
from cpstrust.model.authenticity import FindingKind
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.model.trust import Algorithm, KeyRecord, Revocation, Role, TrustedKey, TrustStore
from cpstrust.remote.verifier import VerifierClient
from cpstrust.trust import agent, tpmkeys
from cpstrust.trust.attestation import (
    PCR_INDEX,
    appraise_report,
    measurement_events,
    quote_qualifying_data,
    release_reference,
)
from cpstrust.trust.authenticity import reference_from_subjects
from cpstrust.trust.filekeys import FileSigner
from cpstrust.trust.keyring import Keyring
from cpstrust.trust.tpmkeys import TpmKeyBackend
from cpstrust.trust.verify import sign_envelope

V = AttestationVerdict
DEVICE = "gw-line3"
FILES = {
    "bin/gateway": hashlib.sha256(b"\x7fELF gateway 3.4.0").hexdigest(),
    "etc/gateway.conf": hashlib.sha256(b"listen 502").hexdigest(),
    "lib/libmodbus.so.5": hashlib.sha256(b"\x7fELF libmodbus").hexdigest(),
}
EXECUTABLES = frozenset({"bin/gateway", "lib/libmodbus.so.5"})
REFERENCE = release_reference("HC-Gateway", "3.4.0", reference_from_subjects(FILES))


def challenge(device: str = DEVICE, expires_in: float = 60) -> Challenge:
    return Challenge(os.urandom(32).hex(), device, NOW - timedelta(seconds=1),
                     NOW + timedelta(seconds=expires_in))


def report(answering: Challenge, files: dict[str, str] | None = None, *,
           device: str = DEVICE, links: dict[str, str] | None = None,
           executables: frozenset[str] = EXECUTABLES) -> MeasurementReport:
    measured = dict(FILES if files is None else files)
    return MeasurementReport(device, answering.nonce, NOW, measured,
                             measurement_list_digest(measured),
                             executables & measured.keys(), links or {},
                             ReleaseClaim("HC-Gateway", "3.4.0"))


def signed(measured: MeasurementReport, signer: FileSigner) -> Envelope:
    return sign_envelope(INTOTO_PAYLOAD_TYPE, write_report(measured), [signer])


def store_of(*keys: TrustedKey) -> TrustStore:
    return TrustStore(version=1, issued_at=NOW, keys=keys)


@pytest.fixture
def device_key() -> FileSigner:
    return make_signer(Algorithm.ED25519, "gw-line3")


@pytest.fixture
def store(device_key: FileSigner) -> TrustStore:
    return store_of(trusted(device_key, Role.DEVICE_IDENTITY, scopes=(DEVICE,)))


def appraise(envelope: Envelope, store: TrustStore, asked: Challenge | None,
             reference: ReleaseReference | MissingReference = REFERENCE) -> AttestationResult:
    return appraise_report(envelope, store=store, challenge=asked, reference=reference, at=NOW)


def said(result: AttestationResult) -> list[str]:
    """The verdict's reasons as an English reader gets them."""
    return [reason.text() for reason in result.reasons]


@pytest.mark.parametrize("algorithm", [Algorithm.ED25519, Algorithm.ECDSA_P256])
def test_genuine_report_signed_by_the_device_key(algorithm: Algorithm) -> None:
    key = make_signer(algorithm, "gw-line3")
    asked = challenge()
    result = appraise(signed(report(asked), key),
                      store_of(trusted(key, Role.DEVICE_IDENTITY, scopes=(DEVICE,))), asked)
    assert result.verdict is V.GENUINE
    assert result.signer == key.record.keyid and result.device == DEVICE
    assert result.findings == ()
    assert "3 measurements match the reference values of HC-Gateway 3.4.0" in said(result)[0]


def test_modified_executable_is_modified_with_a_critical_finding(
        device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    tampered = {**FILES, "bin/gateway": hashlib.sha256(b"\x7fELF backdoor").hexdigest()}
    result = appraise(signed(report(asked, tampered), device_key), store, asked)
    assert result.verdict is V.MODIFIED
    (finding,) = result.findings
    assert (finding.kind, finding.path, finding.severity) == (
        FindingKind.MODIFIED, "bin/gateway", Severity.CRITICAL)
    assert finding.expected == f"SHA-256:{FILES['bin/gateway']}"
    assert "1 modified" in said(result)[0] and "bin/gateway" in said(result)[1]


def test_unlisted_executable_is_unlisted(device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    implant = {**FILES, "usr/bin/miner": hashlib.sha256(b"\x7fELF miner").hexdigest()}
    result = appraise(signed(report(asked, implant, executables=EXECUTABLES | {"usr/bin/miner"}),
                             device_key), store, asked)
    assert result.verdict is V.UNLISTED
    (finding,) = result.findings
    assert (finding.kind, finding.path, finding.executable, finding.severity) == (
        FindingKind.UNLISTED, "usr/bin/miner", True, Severity.HIGH)


def test_missing_file_is_modified(device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    stripped = {k: v for k, v in FILES.items() if k != "etc/gateway.conf"}
    result = appraise(signed(report(asked, stripped), device_key), store, asked)
    assert result.verdict is V.MODIFIED
    assert [(f.kind, f.path) for f in result.findings] == [
        (FindingKind.MISSING, "etc/gateway.conf")]


def test_link_climbing_out_of_the_image_is_unlisted(device_key: FileSigner,
                                                    store: TrustStore) -> None:
    asked = challenge()
    result = appraise(signed(report(asked, links={"etc/shadow": "../../etc/shadow"}),
                             device_key), store, asked)
    assert result.verdict is V.UNLISTED
    assert [(f.kind, f.path) for f in result.findings] == [
        (FindingKind.ESCAPING_SYMLINK, "etc/shadow")]


def test_links_nobody_declared_leave_a_device_genuine(device_key: FileSigner,
                                                      store: TrustStore) -> None:
    asked = challenge()
    result = appraise(signed(report(asked, links={"lib/libmodbus.so": "libmodbus.so.5",
                                                  "sbin/init": "/bin/gateway"}),
                             device_key), store, asked)
    assert result.verdict is V.GENUINE


@pytest.mark.parametrize("change", ["genuine", "modified", "unlisted", "missing", "reordered"])
def test_fast_path_agrees_with_the_full_appraisal(device_key: FileSigner, store: TrustStore,
                                                  change: str) -> None:
    files = dict(FILES)
    if change == "modified":
        files["etc/gateway.conf"] = "0" * 64
    elif change == "unlisted":
        files["tmp/x"] = "1" * 64
    elif change == "missing":
        del files["bin/gateway"]
    elif change == "reordered":
        files = dict(reversed(files.items()))
    asked = challenge()
    envelope = signed(report(asked, files), device_key)
    fast = appraise(envelope, store, asked)
    full = appraise(envelope, store, asked, replace(REFERENCE, exact=None))
    assert (fast.verdict, fast.findings) == (full.verdict, full.findings)


def test_answered_or_unknown_nonce_is_stale(device_key: FileSigner, store: TrustStore) -> None:
    result = appraise(signed(report(challenge()), device_key), store, None)
    assert result.verdict is V.STALE and result.device is None
    assert "no open challenge" in said(result)[0]


def test_report_replayed_to_a_new_challenge_is_stale(device_key: FileSigner,
                                                     store: TrustStore) -> None:
    old, new = challenge(), challenge()
    result = appraise(signed(report(old), device_key), store, new)
    assert result.verdict is V.STALE
    assert "another challenge" in said(result)[0]


def test_expired_challenge_is_stale(device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge(expires_in=-1)
    result = appraise(signed(report(asked), device_key), store, asked)
    assert result.verdict is V.STALE and "expired" in said(result)[0]


def test_report_signed_by_an_unenrolled_key_is_untrusted(store: TrustStore) -> None:
    asked = challenge()
    result = appraise(signed(report(asked), make_signer()), store, asked)
    assert result.verdict is V.UNTRUSTED_SIGNER and result.signer is None


def test_key_enrolled_for_another_device_is_untrusted(device_key: FileSigner) -> None:
    other = store_of(trusted(device_key, Role.DEVICE_IDENTITY, scopes=("gw-line1",)))
    asked = challenge()
    result = appraise(signed(report(asked), device_key), other, asked)
    assert result.verdict is V.UNTRUSTED_SIGNER
    assert "may sign only gw-line1" in said(result)[0]


def test_release_key_is_no_device_identity(device_key: FileSigner) -> None:
    asked = challenge()
    result = appraise(signed(report(asked), device_key),
                      store_of(trusted(device_key, Role.RELEASE_SIGNER)), asked)
    assert result.verdict is V.UNTRUSTED_SIGNER


def test_revoked_device_key_is_revoked(device_key: FileSigner) -> None:
    key = replace(trusted(device_key, Role.DEVICE_IDENTITY, scopes=(DEVICE,)),
                  revocation=Revocation(NOW - timedelta(days=1), "device stolen"))
    asked = challenge()
    result = appraise(signed(report(asked), device_key), store_of(key), asked)
    assert result.verdict is V.REVOKED and "device stolen" in said(result)[0]


def test_tampered_report_is_untrusted(device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    envelope = signed(report(asked), device_key)
    forged = replace(envelope, payload=envelope.payload.replace(
        FILES["bin/gateway"].encode(), b"0" * 64))
    result = appraise(forged, store, asked)
    assert result.verdict is V.UNTRUSTED_SIGNER and "does not match" in said(result)[0]


def test_report_about_another_device_is_untrusted(device_key: FileSigner) -> None:
    asked = challenge()
    anywhere = store_of(trusted(device_key, Role.DEVICE_IDENTITY))
    result = appraise(signed(report(asked, device="gw-line1"), device_key), anywhere, asked)
    assert result.verdict is V.UNTRUSTED_SIGNER and "gw-line1" in said(result)[0]


def test_unknown_release_says_why(device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    result = appraise(signed(report(asked), device_key), store, asked,
                      MissingReference("app_reference_no_evidence", product="X", version="1"))
    assert result.verdict is V.UNKNOWN_RELEASE
    assert said(result) == ["no signed release evidence is stored for X 1"]


def test_release_the_device_claims_is_noted_not_trusted(device_key: FileSigner,
                                                        store: TrustStore) -> None:
    asked = challenge()
    claimed = replace(report(asked), release=ReleaseClaim("HC-Gateway", "9.9.9"))
    result = appraise(signed(claimed, device_key), store, asked)
    assert result.verdict is V.GENUINE
    assert "reports running HC-Gateway 9.9.9" in said(result)[1]


def test_signed_report_that_is_not_well_formed_is_an_input_error(
        device_key: FileSigner, store: TrustStore) -> None:
    asked = challenge()
    bad = {**FILES, "../etc/passwd": "0" * 64}
    measured = replace(report(asked), measurements=bad, digest=measurement_list_digest(bad))
    with pytest.raises(InputError, match="product path") as caught:
        appraise(signed(measured, device_key), store, asked)
    assert caught.value.location == "/predicate/measurements/..~1etc~1passwd"


def test_a_verdict_without_reasons_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="reasons"):
        AttestationResult(V.GENUINE, ())  # type: ignore[arg-type]


def modified(device_key: FileSigner, store: TrustStore) -> AttestationResult:
    asked = challenge()
    tampered = {**FILES, "bin/gateway": hashlib.sha256(b"\x7fELF backdoor").hexdigest()}
    return appraise(signed(report(asked, tampered), device_key), store, asked)


def test_reasons_and_findings_are_said_in_the_readers_language(
        device_key: FileSigner, store: TrustStore) -> None:
    result = modified(device_key, store)
    assert said(result) == [
        "differs from the reference values of HC-Gateway 3.4.0: 1 modified",
        "bin/gateway: executable differs from the SHA-256 declared by release subject"]
    assert [reason.text(Lang.JA) for reason in result.reasons] == [
        "HC-Gateway 3.4.0 の参照値と異なります: 改変 1 件",
        "bin/gateway: 実行ファイルが「リリースの対象」の申告する SHA-256 と異なります"]


def test_verifier_answer_keeps_english_reasons_and_sends_their_codes_beside(
        device_key: FileSigner, store: TrustStore) -> None:
    result = modified(device_key, store)
    answer = orjson.loads(orjson.dumps(write_result(result, NOW)))
    assert answer["reasons"] == said(result)
    assert [f["reason"] for f in answer["findings"]] == [f.reason.text() for f in result.findings]
    sent = answer["messages"]
    assert tuple(read_message(m) for m in sent["reasons"]) == result.reasons
    assert [read_message(m) for m in sent["findings"]] == [f.reason for f in result.findings]


@pytest.mark.parametrize("coded", [True, False], ids=["coded", "older-verifier"])
def test_client_reads_the_answer_in_the_users_language_where_it_can(
        device_key: FileSigner, store: TrustStore, monkeypatch: pytest.MonkeyPatch,
        coded: bool) -> None:
    result = modified(device_key, store)
    document = orjson.loads(orjson.dumps(write_result(result, NOW)))
    if not coded:
        del document["messages"]
    client = VerifierClient("http://verifier.example:8470")
    monkeypatch.setattr(client, "_post", lambda path, body: document)
    answer = client.attest("00" * 32, signed(report(challenge()), device_key), None)
    assert answer.verdict is V.MODIFIED and "messages" not in answer.result
    assert [r.text() for r in answer.reasons] == said(result)
    assert [(f.kind, f.path, f.severity) for f in answer.findings] == [
        (f.kind, f.path, f.severity) for f in result.findings]
    if coded:
        assert answer.reasons == result.reasons
        assert [f.reason for f in answer.findings] == [f.reason for f in result.findings]
    else:
        assert all(r.code == LEGACY for r in answer.reasons)


def test_a_kept_reason_this_catalogue_cannot_say_is_kept_as_text() -> None:
    assert read_message("written before codes") == Message(LEGACY, {"text": "written before codes"})
    unknown = {"code": "said_by_a_newer_version", "facts": {}}
    assert read_message(unknown, "its English").text(Lang.JA) == "its English"
    lacking = {"code": "appraisal_challenge_expired", "facts": {}}
    assert read_message(lacking).text() == orjson.dumps(lacking).decode()


# --- TPM quotes (a real swtpm) -------------------------------------------------------


@pytest.fixture(scope="module")
def attestation_keys(swtpm_tcti: str, tmp_path_factory: pytest.TempPathFactory
                     ) -> tuple[KeyRecord, KeyRecord]:
    """The device's attestation key and an unrelated one."""
    directory = tmp_path_factory.mktemp("aks")
    options = {"tcti": swtpm_tcti, "directory": str(directory), "restricted": "true"}
    backend = TpmKeyBackend()
    return (backend.create("ak", Algorithm.ECDSA_P256, options, {}),
            backend.create("other-ak", Algorithm.ECDSA_P256, options, {}))


def quoted(measured: MeasurementReport, ak: KeyRecord, tcti: str,
           events: list[bytes] | None = None) -> tuple[Envelope, tpmkeys.TpmQuote]:
    """Replay the report's measurements into PCR 16 and quote it, as the agent does."""
    envelope = Envelope(INTOTO_PAYLOAD_TYPE, write_report(measured), ())
    tpmkeys.pcr_reset(tcti, PCR_INDEX)
    for event in measurement_events(measured) if events is None else events:
        tpmkeys.pcr_extend(tcti, PCR_INDEX, event)
    return envelope, tpmkeys.quote(ak, quote_qualifying_data(envelope), [PCR_INDEX])


def ak_store(ak: KeyRecord) -> TrustStore:
    return store_of(TrustedKey(keyid=ak.keyid, algorithm=ak.algorithm,
                               public_key_pem=ak.public_key_pem,
                               roles=frozenset({Role.DEVICE_IDENTITY}),
                               scopes=frozenset({DEVICE})))


def test_tpm_quoted_report_is_genuine(swtpm_tcti: str,
                                      attestation_keys: tuple[KeyRecord, KeyRecord]) -> None:
    ak = attestation_keys[0]
    asked = challenge()
    envelope, quote = quoted(report(asked, links={"sbin/init": "/bin/gateway"}), ak,
                             swtpm_tcti)
    result = appraise_report(envelope, store=ak_store(ak), challenge=asked,
                             reference=REFERENCE, at=NOW, quote=quote)
    assert result.verdict is V.GENUINE and result.signer == ak.keyid


def test_tpm_quote_of_another_event_log_is_untrusted(
        swtpm_tcti: str, attestation_keys: tuple[KeyRecord, KeyRecord]) -> None:
    ak = attestation_keys[0]
    asked = challenge()
    honest = report(asked)
    # The TPM measured a modified gateway; the report claims the genuine one.
    tampered = replace(honest, measurements={**FILES, "bin/gateway": "0" * 64})
    envelope, quote = quoted(honest, ak, swtpm_tcti, measurement_events(tampered))
    result = appraise_report(envelope, store=ak_store(ak), challenge=asked,
                             reference=REFERENCE, at=NOW, quote=quote)
    assert result.verdict is V.UNTRUSTED_SIGNER
    assert "does not match the quoted PCRs" in said(result)[0]


def test_report_changed_after_the_tpm_quote_is_untrusted(
        swtpm_tcti: str, attestation_keys: tuple[KeyRecord, KeyRecord]) -> None:
    ak = attestation_keys[0]
    asked = challenge()
    envelope, quote = quoted(report(asked), ak, swtpm_tcti)
    later = replace(envelope, payload=envelope.payload.replace(b"3.4.0", b"3.4.1"))
    result = appraise_report(later, store=ak_store(ak), challenge=asked,
                             reference=REFERENCE, at=NOW, quote=quote)
    assert result.verdict is V.UNTRUSTED_SIGNER and "another challenge" in said(result)[0]


def test_tpm_quote_by_another_attestation_key_is_untrusted(
        swtpm_tcti: str, attestation_keys: tuple[KeyRecord, KeyRecord]) -> None:
    ak, other = attestation_keys
    asked = challenge()
    envelope, quote = quoted(report(asked), other, swtpm_tcti)
    result = appraise_report(envelope, store=ak_store(ak), challenge=asked,
                             reference=REFERENCE, at=NOW, quote=quote)
    assert result.verdict is V.UNTRUSTED_SIGNER
    assert "signed by no attestation key enrolled" in said(result)[0]


def test_tpm_quote_by_a_revoked_attestation_key_is_revoked(
        swtpm_tcti: str, attestation_keys: tuple[KeyRecord, KeyRecord]) -> None:
    ak = attestation_keys[0]
    store = ak_store(ak)
    revoked = store_of(replace(store.keys[0], revocation=Revocation(NOW, "TPM replaced")))
    asked = challenge()
    envelope, quote = quoted(report(asked), ak, swtpm_tcti)
    result = appraise_report(envelope, store=revoked, challenge=asked, reference=REFERENCE,
                             at=NOW, quote=quote)
    assert result.verdict is V.REVOKED


def test_event_log_is_the_measurements_then_the_links() -> None:
    asked = challenge()
    measured = report(asked, links={"sbin/init": "/bin/gateway"})
    first = hashlib.sha256(b"bin/gateway\0" + bytes.fromhex(FILES["bin/gateway"])).digest()
    link = hashlib.sha256(b"sbin/init\0" + hashlib.sha256(b"/bin/gateway").digest()).digest()
    assert measurement_events(measured)[0] == first
    assert measurement_events(measured)[-1] == link


def test_agent_answers_a_tpm_key_with_a_quote_the_verifier_accepts(
        swtpm_tcti: str, attestation_keys: tuple[KeyRecord, KeyRecord], tmp_path: Path) -> None:
    ak = attestation_keys[0]
    for path, data in {"bin/gateway": b"\x7fELF gateway", "etc/motd": b"hello"}.items():
        (tmp_path / "root" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "root" / path).write_bytes(data)
    (tmp_path / "root/sbin").mkdir()
    (tmp_path / "root/sbin/init").symlink_to("../bin/gateway")
    asked = challenge()
    measured = agent.measure_report(tmp_path / "root", DEVICE, asked.nonce, None)
    envelope, quote = agent.answer(measured, ak, Keyring(tmp_path / "keys"), {})
    assert envelope.signatures == () and quote is not None
    reference = release_reference("HC-Gateway", "3.4.0", reference_from_subjects(
        dict(measured.measurements)))
    result = appraise_report(envelope, store=ak_store(ak), challenge=asked,
                             reference=reference, at=NOW, quote=quote)
    assert result.verdict is V.GENUINE
    assert measured.links == {"sbin/init": "../bin/gateway"}
    assert measured.executables == {"bin/gateway"}
