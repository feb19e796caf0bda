"""In-memory signers for tests that are about verification, not key storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from cpstrust.crypto import PublicKey, algorithm_of, keyid_of, public_pem
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Role, TrustedKey
from cpstrust.trust.filekeys import FileSigner

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def make_signer(algorithm: Algorithm = Algorithm.ED25519, name: str = "k") -> FileSigner:
    private = (ed25519.Ed25519PrivateKey.generate() if algorithm is Algorithm.ED25519
               else ec.generate_private_key(ec.SECP256R1()))
    public = private.public_key()
    record = KeyRecord(name=name, backend=Backend.FILE, algorithm=algorithm,
                       keyid=keyid_of(public), public_key_pem=public_pem(public),
                       created_at=NOW)
    return FileSigner(record, private)


def trusted(signer: FileSigner, *roles: Role, scopes: tuple[str, ...] = (),
            valid_days: int | None = None) -> TrustedKey:
    r = signer.record
    return TrustedKey(
        keyid=r.keyid, algorithm=r.algorithm, public_key_pem=r.public_key_pem,
        roles=frozenset(roles), scopes=frozenset(scopes),
        not_before=NOW - timedelta(days=1) if valid_days else None,
        not_after=NOW + timedelta(days=valid_days) if valid_days else None,
    )


def trusted_public(public_key: PublicKey, *roles: Role) -> TrustedKey:
    """A trusted key from a public key made by another tool."""
    return TrustedKey(keyid=keyid_of(public_key), algorithm=algorithm_of(public_key),
                      public_key_pem=public_pem(public_key), roles=frozenset(roles))
