"""TPM 2.0 keys, PCR measurements and quote appraisal, against a real swtpm.

Cases the TPM cannot be made to sign (another magic, another attestation type, a
truncated structure) are signed by a software P-256 key: appraisal is pure, so it is
the same engine either way.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tpm2_pytss import ESAPI
from tpm2_pytss.constants import TPM2_CAP, TPM2_HC
from tpm2_pytss.types import TPMS_ATTEST

from cpstrust.cli.i18n import error_line
from cpstrust.errors import CpstrustError, InputError
from cpstrust.messages import Lang
from cpstrust.model.tpm import QuoteAccepted, TpmQuote
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Refusal, Refused
from cpstrust.trust import tpmkeys
from cpstrust.trust.quote import appraise_quote, parse_attest, replay_pcr
from cpstrust.trust.tpmkeys import TpmKeyBackend

PCR = 16  # the debug PCR: resettable at locality 0
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@pytest.fixture(autouse=True)
def no_transient_object_is_left(swtpm_tcti: str) -> Iterator[None]:
    """Without a resource manager a leaked object fills one of the TPM's 3 slots."""
    yield
    with ESAPI(swtpm_tcti) as ectx:
        _, data = ectx.get_capability(TPM2_CAP.HANDLES, TPM2_HC.TRANSIENT_FIRST, 16)
    assert list(data.data.handles) == []


def _create(tcti: str, directory: Path, name: str, *, restricted: bool = False) -> KeyRecord:
    options = {"tcti": tcti, "directory": str(directory),
               "restricted": "true" if restricted else "false"}
    return TpmKeyBackend().create(name, Algorithm.ECDSA_P256, options, {})


@pytest.fixture(scope="module")
def aks(swtpm_tcti: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[KeyRecord, KeyRecord]:
    """The device's attestation key and an unrelated one."""
    directory = tmp_path_factory.mktemp("aks")
    return (_create(swtpm_tcti, directory, "ak", restricted=True),
            _create(swtpm_tcti, directory, "other-ak", restricted=True))


def _measure(tcti: str, count: int) -> list[bytes]:
    events = [hashlib.sha256(f"component {i}".encode()).digest() for i in range(count)]
    tpmkeys.pcr_reset(tcti, PCR)
    for digest in events:
        tpmkeys.pcr_extend(tcti, PCR, digest)
    return events


@pytest.fixture(scope="module")
def measured(swtpm_tcti: str, aks: tuple[KeyRecord, KeyRecord]
             ) -> tuple[TpmQuote, bytes, list[bytes], bytes]:
    """A quote of PCR 16 after a reset and 8 measurements: (quote, nonce, events, the
    PCR value the TPM reported)."""
    events = _measure(swtpm_tcti, 8)
    nonce = os.urandom(32)
    return (tpmkeys.quote(aks[0], nonce, [PCR]), nonce, events,
            tpmkeys.pcr_read(swtpm_tcti, [PCR])[PCR])


def _refusal(result: object) -> Refusal:
    assert isinstance(result, Refused), result
    return result.reason


# Keys


def test_tpm_signature_verifies_with_only_the_exported_pem(swtpm_tcti: str, tmp_path: Path) -> None:
    record = _create(swtpm_tcti, tmp_path, "release")
    signer = TpmKeyBackend().open(record, {})
    try:
        signatures = [(m, signer.sign(m)) for m in (b"", b"payload", os.urandom(5000))]
    finally:
        signer.close()
    public = serialization.load_pem_public_key(record.public_key_pem.encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    for message, signature in signatures:
        public.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    assert record.backend is Backend.TPM
    assert set(record.locator) == {"tcti", "public_blob", "private_blob"}


def test_ed25519_is_refused_because_tpm2_has_none(swtpm_tcti: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"TPM 2\.0 has no Ed25519") as caught:
        TpmKeyBackend().create("k", Algorithm.ED25519,
                               {"tcti": swtpm_tcti, "directory": str(tmp_path)}, {})
    assert "--algorithm ecdsa-p256" in error_line(caught.value, Lang.EN)


def test_create_without_tcti_names_the_missing_option(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"needs the TPM connection \(TCTI\)") as caught:
        TpmKeyBackend().create("k", Algorithm.ECDSA_P256, {"directory": str(tmp_path)}, {})
    assert "--tcti" in error_line(caught.value, Lang.EN)


def test_unreachable_tpm_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CpstrustError, match="cannot reach the TPM"):
        _create("swtpm:host=127.0.0.1,port=9", tmp_path, "k")


def test_key_blobs_hold_no_private_scalar_in_clear(swtpm_tcti: str, tmp_path: Path) -> None:
    record = _create(swtpm_tcti, tmp_path, "device")
    public = serialization.load_pem_public_key(record.public_key_pem.encode())
    assert isinstance(public, ec.EllipticCurvePublicKey)
    for kind in ("public_blob", "private_blob"):
        path = Path(record.locator[kind])
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        blob = path.read_bytes()
        # Were the scalar anywhere in clear, one 32-byte window would yield the public key.
        for start in range(len(blob) - 31):
            scalar = int.from_bytes(blob[start:start + 32], "big")
            if 0 < scalar < P256_ORDER:
                candidate = ec.derive_private_key(scalar, ec.SECP256R1()).public_key()
                assert candidate.public_numbers() != public.public_numbers()


def test_key_blobs_sign_nothing_on_another_tpm(
    swtpm_tcti: str, tmp_path: Path, start_swtpm: Callable[[], AbstractContextManager[str]]
) -> None:
    record = _create(swtpm_tcti, tmp_path, "device")
    with start_swtpm() as other_tcti:
        moved = replace(record, locator={**record.locator, "tcti": other_tcti})
        with pytest.raises(CpstrustError, match="loading key 'device' failed"):
            TpmKeyBackend().open(moved, {})


def test_signer_refuses_blobs_of_another_key(swtpm_tcti: str, tmp_path: Path) -> None:
    first, second = _create(swtpm_tcti, tmp_path, "a"), _create(swtpm_tcti, tmp_path, "b")
    swapped = replace(first, locator=second.locator)
    with pytest.raises(InputError, match="does not match its record"):
        TpmKeyBackend().open(swapped, {})


def test_attestation_key_signs_no_outside_data(aks: tuple[KeyRecord, KeyRecord]) -> None:
    with pytest.raises(InputError, match="is an attestation key"):
        TpmKeyBackend().open(aks[0], {})


def test_unrestricted_key_cannot_quote(swtpm_tcti: str, tmp_path: Path) -> None:
    record = _create(swtpm_tcti, tmp_path, "plain")
    with pytest.raises(InputError, match="not an attestation key"):
        tpmkeys.quote(record, os.urandom(32), [PCR])


# Quotes from the TPM


def test_quote_over_pcr16_after_reset_and_extends_is_accepted(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, nonce, events, tpm_value = measured
    result = appraise_quote(quote, aks[0].public_key_pem, nonce, PCR, events)
    assert isinstance(result, QuoteAccepted), result
    assert result.pcr_value == tpm_value == replay_pcr(events)


@pytest.mark.parametrize("tamper", ["changed", "dropped", "reordered", "added"])
def test_quote_with_tampered_event_list_is_refused(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes],
    tamper: str,
) -> None:
    quote, nonce, events, _ = measured
    forged = {"changed": [*events[:3], hashlib.sha256(b"implant").digest(), *events[4:]],
              "dropped": events[1:], "reordered": [events[1], events[0], *events[2:]],
              "added": [*events, hashlib.sha256(b"implant").digest()]}[tamper]
    result = appraise_quote(quote, aks[0].public_key_pem, nonce, PCR, forged)
    assert _refusal(result) is Refusal.PCR_MISMATCH


def test_quote_with_wrong_nonce_is_refused(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, _, events, _ = measured
    result = appraise_quote(quote, aks[0].public_key_pem, os.urandom(32), PCR, events)
    assert _refusal(result) is Refusal.STALE_NONCE


def test_replayed_quote_is_refused_while_a_fresh_one_is_accepted(
    swtpm_tcti: str, aks: tuple[KeyRecord, KeyRecord]
) -> None:
    events = _measure(swtpm_tcti, 3)
    old_nonce, new_nonce = os.urandom(32), os.urandom(32)
    old = tpmkeys.quote(aks[0], old_nonce, [PCR])
    fresh = tpmkeys.quote(aks[0], new_nonce, [PCR])
    pem = aks[0].public_key_pem
    assert isinstance(appraise_quote(fresh, pem, new_nonce, PCR, events), QuoteAccepted)
    result = appraise_quote(old, pem, new_nonce, PCR, events)
    assert _refusal(result) is Refusal.STALE_NONCE
    assert "replayed" in result.detail  # type: ignore[union-attr]


def test_quote_without_nonce_is_refused(swtpm_tcti: str, aks: tuple[KeyRecord, KeyRecord]) -> None:
    events = _measure(swtpm_tcti, 2)
    quote = tpmkeys.quote(aks[0], b"", [PCR])
    result = appraise_quote(quote, aks[0].public_key_pem, os.urandom(32), PCR, events)
    assert _refusal(result) is Refusal.STALE_NONCE


def test_quote_signed_by_another_ak_is_refused(
    swtpm_tcti: str, aks: tuple[KeyRecord, KeyRecord]
) -> None:
    events = _measure(swtpm_tcti, 2)
    nonce = os.urandom(32)
    quote = tpmkeys.quote(aks[1], nonce, [PCR])
    result = appraise_quote(quote, aks[0].public_key_pem, nonce, PCR, events)
    assert _refusal(result) is Refusal.BAD_SIGNATURE


def test_quote_with_a_flipped_byte_in_attest_is_refused(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, nonce, events, _ = measured
    for position in range(len(quote.attest)):
        attest = bytearray(quote.attest)
        attest[position] ^= 0x01
        flipped = replace(quote, attest=bytes(attest))
        result = appraise_quote(flipped, aks[0].public_key_pem, nonce, PCR, events)
        # A flipped size field leaves no TPMS_ATTEST; any other byte breaks the signature.
        assert _refusal(result) in (Refusal.BAD_SIGNATURE, Refusal.MALFORMED), position
    last = replace(quote, attest=quote.attest[:-1] + bytes([quote.attest[-1] ^ 1]))
    assert _refusal(appraise_quote(last, aks[0].public_key_pem, nonce, PCR, events)) is (
        Refusal.BAD_SIGNATURE)


def test_truncated_attest_is_refused_as_malformed(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, nonce, events, _ = measured
    for length in range(len(quote.attest)):
        cut = replace(quote, attest=quote.attest[:length])
        result = appraise_quote(cut, aks[0].public_key_pem, nonce, PCR, events)
        assert _refusal(result) is Refusal.MALFORMED, length


def test_quote_over_other_pcrs_than_asked_is_refused(
    swtpm_tcti: str, aks: tuple[KeyRecord, KeyRecord]
) -> None:
    events = _measure(swtpm_tcti, 2)
    nonce, pem = os.urandom(32), aks[0].public_key_pem
    wider = tpmkeys.quote(aks[0], nonce, [PCR, 23])
    assert _refusal(appraise_quote(wider, pem, nonce, PCR, events)) is Refusal.WRONG_PCR_SELECTION
    narrower = tpmkeys.quote(aks[0], nonce, [PCR])
    reference = {23: tpmkeys.pcr_read(swtpm_tcti, [23])[23]}
    result = appraise_quote(narrower, pem, nonce, PCR, events, expected_pcrs=reference)
    assert _refusal(result) is Refusal.WRONG_PCR_SELECTION
    accepted = appraise_quote(wider, pem, nonce, PCR, events, expected_pcrs=reference)
    assert isinstance(accepted, QuoteAccepted), accepted


# The pure engine, on bytes the TPM would never sign


def _signed(attest: bytes, key: ec.EllipticCurvePrivateKey) -> TpmQuote:
    return TpmQuote(attest=attest, signature=key.sign(attest, ec.ECDSA(hashes.SHA256())))


@pytest.fixture(scope="module")
def software_ak() -> tuple[ec.EllipticCurvePrivateKey, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return key, pem.decode()


@pytest.mark.parametrize(("start", "value", "reason"), [
    (0, b"\xff\x54\x43\x48", Refusal.NOT_TPM_GENERATED),
    (4, b"\x80\x17", Refusal.WRONG_PAYLOAD_TYPE),  # TPM_ST_ATTEST_CERTIFY
])
def test_signed_attest_not_made_as_a_tpm_quote_is_refused(
    measured: tuple[TpmQuote, bytes, list[bytes], bytes],
    software_ak: tuple[ec.EllipticCurvePrivateKey, str], start: int, value: bytes,
    reason: Refusal,
) -> None:
    quote, nonce, events, _ = measured
    attest = quote.attest[:start] + value + quote.attest[start + len(value):]
    result = appraise_quote(_signed(attest, software_ak[0]), software_ak[1], nonce, PCR, events)
    assert _refusal(result) is reason


@pytest.mark.parametrize("edit", ["truncated", "trailing"])
def test_signed_but_incomplete_attest_is_refused_as_malformed(
    measured: tuple[TpmQuote, bytes, list[bytes], bytes],
    software_ak: tuple[ec.EllipticCurvePrivateKey, str], edit: str,
) -> None:
    quote, nonce, events, _ = measured
    attest = quote.attest[:-1] if edit == "truncated" else quote.attest + b"\0"
    result = appraise_quote(_signed(attest, software_ak[0]), software_ak[1], nonce, PCR, events)
    assert _refusal(result) is Refusal.MALFORMED


@settings(max_examples=150, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_appraisal_never_raises_on_hostile_signed_attest(
    measured: tuple[TpmQuote, bytes, list[bytes], bytes],
    software_ak: tuple[ec.EllipticCurvePrivateKey, str], data: st.DataObject,
) -> None:
    quote, nonce, events, _ = measured
    attest = bytearray(quote.attest)
    for position, value in data.draw(st.lists(st.tuples(
            st.integers(0, len(attest) - 1), st.integers(0, 255)), max_size=4)):
        attest[position] = value
    attest = attest[:data.draw(st.integers(0, len(attest)))] + data.draw(st.binary(max_size=8))
    result = appraise_quote(_signed(bytes(attest), software_ak[0]), software_ak[1], nonce,
                            PCR, events)
    assert isinstance(result, QuoteAccepted | Refused)


def test_event_digest_of_wrong_length_is_refused_as_malformed(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, nonce, events, _ = measured
    result = appraise_quote(quote, aks[0].public_key_pem, nonce, PCR, [*events[:-1], b"short"])
    assert _refusal(result) is Refusal.MALFORMED


def test_short_challenge_nonce_is_the_callers_error(
    aks: tuple[KeyRecord, KeyRecord], measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, _, events, _ = measured
    with pytest.raises(ValueError, match="at least 16"):
        appraise_quote(quote, aks[0].public_key_pem, b"", PCR, events)


def test_parser_reads_what_tpm2_pytss_reads(
    measured: tuple[TpmQuote, bytes, list[bytes], bytes]
) -> None:
    quote, nonce, _, _ = measured
    ours = parse_attest(quote.attest)
    theirs, used = TPMS_ATTEST.unmarshal(quote.attest)
    assert ours is not None and ours.quote is not None and used == len(quote.attest)
    assert (ours.magic, ours.type) == (int(theirs.magic), int(theirs.type))
    assert ours.extra_data == bytes(theirs.extraData) == nonce
    assert ours.qualified_signer == bytes(theirs.qualifiedSigner)
    assert ours.clock_info.clock == theirs.clockInfo.clock
    assert ours.clock_info.reset_count == theirs.clockInfo.resetCount
    assert ours.firmware_version == theirs.firmwareVersion
    assert ours.quote.pcr_digest == bytes(theirs.attested.quote.pcrDigest)
    assert [sorted(s.indexes) for s in ours.quote.selections] == [[PCR]]
