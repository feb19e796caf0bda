"""The PKCS#11 backend against a real SoftHSM2 token created for this module."""

from __future__ import annotations

import json
import os
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from pkcs11 import exceptions as p11
from pkcs11.constants import Attribute, ObjectClass
from pkcs11.mechanisms import Mechanism

from cpstrust.cli.i18n import error_line
from cpstrust.crypto import keyid_of, read_public_key, verify_signature
from cpstrust.errors import CpstrustError, InputError
from cpstrust.messages import Lang
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust import pkcs11keys
from cpstrust.trust.keyring import Keyring
from cpstrust.trust.pkcs11keys import Pkcs11KeyBackend
from roots_of_trust import LABEL, PIN, SoftToken

MESSAGE = b"release cpstrust 1.2.3\x00\xff"


@pytest.fixture
def token(softhsm_token: SoftToken) -> SoftToken:
    return softhsm_token


def _create(token: SoftToken, name: str, algorithm: Algorithm) -> KeyRecord:
    return Pkcs11KeyBackend().create(name, algorithm, token.options, {"pin": PIN})


def _open(record: KeyRecord, pin: str = PIN) -> closing[pkcs11keys.Pkcs11Signer]:
    signer = Pkcs11KeyBackend().open(record, {"pin": pin})
    assert isinstance(signer, pkcs11keys.Pkcs11Signer)
    return closing(signer)


def test_ecdsa_signature_verifies_with_exported_public_key(token: SoftToken) -> None:
    record = _create(token, "ecdsa-sign", Algorithm.ECDSA_P256)
    with _open(record) as signer:
        signature = signer.sign(MESSAGE)
    public_key = serialization.load_pem_public_key(record.public_key_pem.encode())
    assert isinstance(public_key, ec.EllipticCurvePublicKey)
    public_key.verify(signature, MESSAGE, ec.ECDSA(hashes.SHA256()))  # DER, over SHA-256
    assert keyid_of(public_key) == record.keyid
    assert not verify_signature(public_key, Algorithm.ECDSA_P256, MESSAGE + b"!", signature)


def test_ed25519_signature_verifies_with_exported_public_key(token: SoftToken) -> None:
    record = _create(token, "ed25519-sign", Algorithm.ED25519)
    with _open(record) as signer:
        signature = signer.sign(MESSAGE)
    public_key = serialization.load_pem_public_key(record.public_key_pem.encode())
    assert isinstance(public_key, ed25519.Ed25519PublicKey)
    assert len(signature) == 64
    public_key.verify(signature, MESSAGE)
    assert not verify_signature(public_key, Algorithm.ED25519, MESSAGE + b"!", signature)


def test_locator_names_module_token_and_key_but_never_the_pin(token: SoftToken) -> None:
    record = _create(token, "locator", Algorithm.ED25519)
    assert record.backend is Backend.PKCS11
    assert dict(record.locator).keys() == {"module", "token", "label", "id"}
    assert record.locator["label"] == "locator"
    assert len(bytes.fromhex(record.locator["id"])) == 16
    assert all(PIN not in value for value in record.locator.values())


def test_private_key_is_not_extractable(token: SoftToken) -> None:
    record = _create(token, "sealed", Algorithm.ECDSA_P256)
    lib = pkcs11.lib(os.path.realpath(token.module))
    with lib.get_token(token_label=token.label).open(user_pin=PIN) as session:
        key_id = bytes.fromhex(record.locator["id"])
        private = session.get_key(object_class=ObjectClass.PRIVATE_KEY, id=key_id)
        flags = private.get_attributes([Attribute.SENSITIVE, Attribute.EXTRACTABLE,
                                        Attribute.ALWAYS_SENSITIVE, Attribute.NEVER_EXTRACTABLE,
                                        Attribute.LOCAL, Attribute.TOKEN])
        assert flags == {Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                         Attribute.ALWAYS_SENSITIVE: True, Attribute.NEVER_EXTRACTABLE: True,
                         Attribute.LOCAL: True, Attribute.TOKEN: True}
        with pytest.raises(p11.AttributeSensitive):
            private[Attribute.VALUE]


def test_record_holds_the_public_key_read_from_the_token(token: SoftToken) -> None:
    record = _create(token, "public-half", Algorithm.ED25519)
    lib = pkcs11.lib(os.path.realpath(token.module))
    with lib.get_token(token_label=token.label).open(user_pin=PIN) as session:
        public = session.get_key(object_class=ObjectClass.PUBLIC_KEY,
                                 id=bytes.fromhex(record.locator["id"]))
        point = bytes(public[Attribute.EC_POINT])
    assert point[2:] == read_public_key(record.public_key_pem).public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_two_signers_on_one_token_sign_after_the_other_closes(token: SoftToken) -> None:
    first = _create(token, "first", Algorithm.ED25519)
    second = _create(token, "second", Algorithm.ECDSA_P256)
    with _open(second) as later:
        with _open(first) as earlier:
            earlier.sign(MESSAGE)
        signature = later.sign(MESSAGE)  # closing the first must not log the token out
    assert verify_signature(read_public_key(second.public_key_pem), Algorithm.ECDSA_P256,
                            MESSAGE, signature)


def test_wrong_pin_is_refused_with_clear_error(token: SoftToken) -> None:
    record = _create(token, "pin-check", Algorithm.ED25519)
    with pytest.raises(InputError, match=f"token '{LABEL}' refused the PIN") as caught:
        _open(record, pin="0000-wrong")
    assert "--pin-env" in error_line(caught.value, Lang.EN)
    with _open(record), pytest.raises(InputError, match="refused the PIN"):
        _open(record, pin="0000-wrong")  # even while the token is logged in
    with pytest.raises(InputError, match="refused the PIN"):
        Pkcs11KeyBackend().create("bad-pin", Algorithm.ED25519, token.options, {"pin": "0000"})


def test_missing_pin_is_refused(token: SoftToken) -> None:
    with pytest.raises(InputError, match="needs the token's user PIN"):
        Pkcs11KeyBackend().create("no-pin", Algorithm.ED25519, token.options, {})


def test_unknown_token_label_is_refused(token: SoftToken) -> None:
    options = {**token.options, "token": "no-such-token"}
    with pytest.raises(InputError, match="no token labelled 'no-such-token'") as caught:
        Pkcs11KeyBackend().create("lost", Algorithm.ED25519, options, {"pin": PIN})
    assert token.module in str(caught.value)


def test_missing_module_is_refused(token: SoftToken, tmp_path: Path) -> None:
    backend = Pkcs11KeyBackend()
    with pytest.raises(InputError, match="needs the path of the PKCS#11 module") as caught:
        backend.create("no-module", Algorithm.ED25519, {"token": LABEL}, {"pin": PIN})
    assert "--module" in error_line(caught.value, Lang.EN)
    absent = str(tmp_path / "libabsent.so")
    with pytest.raises(InputError, match=f"^{absent}: PKCS#11 module not found"):
        backend.create("no-module", Algorithm.ED25519, {**token.options, "module": absent},
                       {"pin": PIN})
    not_a_library = tmp_path / "libtext.so"
    not_a_library.write_text("not a shared object", "utf-8")
    with pytest.raises(InputError, match="cannot load the PKCS#11 module"):
        backend.create("no-module", Algorithm.ED25519,
                       {**token.options, "module": str(not_a_library)}, {"pin": PIN})


def test_key_missing_from_token_is_refused(token: SoftToken) -> None:
    record = _create(token, "moved", Algorithm.ED25519)
    lost = replace(record, locator={**record.locator, "id": "00" * 16})
    with pytest.raises(InputError, match=f"key 'moved' .* on token '{LABEL}': no private key"):
        _open(lost)


def test_key_not_matching_the_record_is_refused(token: SoftToken) -> None:
    record = _create(token, "swapped", Algorithm.ECDSA_P256)
    with pytest.raises(InputError, match="does not match the key record"):
        _open(replace(record, keyid="0" * 64))


def test_unsupported_mechanism_is_refused_naming_token_and_mechanism(
    token: SoftToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = replace(pkcs11keys._PROFILES[Algorithm.ED25519],
                      keygen=Mechanism.ML_DSA_KEY_PAIR_GEN)  # SoftHSM2 2.6 lacks it
    monkeypatch.setitem(pkcs11keys._PROFILES, Algorithm.ED25519, profile)
    with pytest.raises(InputError, match=f"token '{LABEL}' does not support ML_DSA_KEY_PAIR_GEN"):
        _create(token, "post-quantum", Algorithm.ED25519)


def test_signing_after_close_raises_cpstrust_error_not_pkcs11_error(token: SoftToken) -> None:
    with _open(_create(token, "closed", Algorithm.ED25519)) as signer:
        pass
    with pytest.raises(CpstrustError, match="signing with key 'closed' failed: PKCS#11"):
        signer.sign(MESSAGE)


def test_keyring_creates_and_opens_pkcs11_key(token: SoftToken, tmp_path: Path) -> None:
    keyring = Keyring(tmp_path / "keys")
    record = keyring.create("release", Backend.PKCS11, Algorithm.ECDSA_P256, token.options,
                            {"pin": PIN})
    with closing(keyring.signer("release", {"pin": PIN})) as signer:
        signature = signer.sign(MESSAGE)
    stored = keyring.get("release")
    assert stored.keyid == record.keyid and stored.backend is Backend.PKCS11
    assert verify_signature(read_public_key(stored.public_key_pem), Algorithm.ECDSA_P256,
                            MESSAGE, signature)
    saved = json.loads((tmp_path / "keys" / "release.json").read_text("utf-8"))
    assert saved["locator"]["token"] == LABEL and PIN not in json.dumps(saved)
