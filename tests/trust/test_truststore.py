"""Trust store edits and reading: the rules a key's trust follows."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from keyfactory import NOW, make_signer, trusted

from cpstrust.cli.i18n import error_line
from cpstrust.crypto import read_public_key
from cpstrust.errors import InputError
from cpstrust.formats.truststore import read_trust_store, write_trust_store
from cpstrust.messages import Lang
from cpstrust.model.trust import EMPTY_TRUST_STORE as EMPTY
from cpstrust.model.trust import Role, TrustStore
from cpstrust.trust.truststore import add_key, find_key, revoke_key


def test_a_revoked_key_cannot_be_trusted_again() -> None:
    key = trusted(make_signer(), Role.RELEASE_SIGNER)
    store = revoke_key(add_key(EMPTY, key, NOW), key.keyid, "stolen", NOW)
    with pytest.raises(InputError, match="cannot be trusted again"):
        add_key(store, key, NOW)


@pytest.mark.parametrize("private", [
    rsa.generate_private_key(public_exponent=65537, key_size=2048),
    ec.generate_private_key(ec.SECP384R1()),
], ids=["rsa", "p384"])
def test_keys_of_other_algorithms_are_refused(private: object) -> None:
    pem = private.public_key().public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    with pytest.raises(InputError, match=r"^partner\.pem: unsupported") as caught:
        read_public_key(pem, "partner.pem")
    assert "Ed25519 or ECDSA P-256" in error_line(caught.value, Lang.EN)


def test_short_or_ambiguous_keyid_prefix_is_refused() -> None:
    store = add_key(EMPTY, trusted(make_signer(), Role.ROOT), NOW)
    with pytest.raises(InputError, match="too short"):
        find_key(store, "abc")


def test_document_round_trips_and_rejects_a_keyid_that_is_not_its_key() -> None:
    a, b = trusted(make_signer(), Role.ROOT), trusted(make_signer(), Role.ASSESSOR)
    store = TrustStore(version=4, issued_at=NOW, keys=(a, b))
    assert read_trust_store(write_trust_store(store)) == store
    forged = write_trust_store(store).replace(a.keyid.encode(), b"0" * 64)
    with pytest.raises(InputError, match="keyid does not match"):
        read_trust_store(forged)
