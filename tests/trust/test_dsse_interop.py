"""What we write verifies with securesystemslib given only the exported public key, and
what securesystemslib and in-toto write verifies with us."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from in_toto.runlib import in_toto_run
from keyfactory import NOW, make_signer, trusted_public
from securesystemslib.dsse import Envelope as SslibEnvelope
from securesystemslib.signer import CryptoSigner, SSlibKey

from cpstrust.crypto import PublicKey
from cpstrust.formats.dsse import read_envelope, write_envelope
from cpstrust.formats.intoto import write_statement
from cpstrust.formats.slsa import PROVENANCE_V1, write_provenance
from cpstrust.model.evidence import ReleaseProvenance, Statement, Subject, VerifiedRelease
from cpstrust.model.trust import Algorithm, Role, TrustStore
from cpstrust.trust.release import sign_release, verify_release
from cpstrust.trust.verify import Authenticated, authenticate

DIGEST = hashlib.sha256(b"firmware").hexdigest()
PROVENANCE = ReleaseProvenance("plc-4000", "2.1.0", "urn:test", NOW, None)


def public_of(signer: CryptoSigner) -> PublicKey:
    private = load_pem_private_key(signer.private_bytes, None)
    return private.public_key()  # type: ignore[return-value]


def store_trusting(signer: CryptoSigner, role: Role) -> TrustStore:
    return TrustStore(1, NOW, (trusted_public(public_of(signer), role),))


@pytest.mark.parametrize("algorithm", list(Algorithm), ids=lambda a: a.value)
def test_our_envelope_verifies_with_securesystemslib(algorithm: Algorithm) -> None:
    signer = make_signer(algorithm)
    ours = write_envelope(sign_release([Subject("fw.bin", {"sha256": DIGEST})], PROVENANCE,
                                       [signer]))
    public = load_pem_public_key(signer.record.public_key_pem.encode())
    key = SSlibKey.from_crypto(public, keyid=signer.record.keyid)  # type: ignore[arg-type]
    accepted = SslibEnvelope.from_dict(json.loads(ours)).verify([key], 1)
    assert list(accepted) == [signer.record.keyid]


@pytest.mark.parametrize("generate", [CryptoSigner.generate_ed25519, CryptoSigner.generate_ecdsa],
                         ids=["ed25519", "ecdsa"])
def test_release_signed_by_securesystemslib_verifies_here(
    generate: Callable[[], CryptoSigner],
) -> None:
    theirs = generate()
    statement = Statement((Subject("fw.bin", {"sha256": DIGEST}),), PROVENANCE_V1,
                          write_provenance(PROVENANCE))
    envelope = SslibEnvelope(write_statement(statement), "application/vnd.in-toto+json", {})
    envelope.sign(theirs)
    ours = read_envelope(json.dumps(envelope.to_dict()).encode())
    store = store_trusting(theirs, Role.RELEASE_SIGNER)  # their keyid is not ours: a hint only
    outcome = verify_release(ours, store, at=NOW, artifacts={"fw.bin": DIGEST})
    assert isinstance(outcome, VerifiedRelease)


def test_in_toto_link_envelope_is_authenticated_but_is_no_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # in_toto_run may leave a .link file in the working directory
    theirs = CryptoSigner.generate_ed25519()
    (tmp_path / "fw.bin").write_bytes(b"firmware")
    metadata = in_toto_run("build", [str(tmp_path / "fw.bin")], [], ["true"],
                           signer=theirs, use_dsse=True, record_streams=False)
    ours = read_envelope(json.dumps(metadata.to_dict()).encode())
    store = store_trusting(theirs, Role.RELEASE_SIGNER)
    assert isinstance(authenticate(ours, store, Role.RELEASE_SIGNER, NOW), Authenticated)
    assert not isinstance(verify_release(ours, store, at=NOW), VerifiedRelease)
