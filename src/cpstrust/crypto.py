"""Public keys and signature checks with ``cryptography``; the one place that knows
how each algorithm encodes keys and signatures."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from cpstrust.errors import InputError
from cpstrust.model.trust import Algorithm

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey

MAX_PEM_BYTES = 16 * 1024
ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())


def keyid_of(public_key: PublicKey) -> str:
    """Hex SHA-256 of the DER SubjectPublicKeyInfo: the same key gets the same id
    whichever backend holds it and whoever computes it."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def public_pem(public_key: PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def algorithm_of(public_key: PublicKey) -> Algorithm:
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return Algorithm.ED25519
    if isinstance(public_key.curve, ec.SECP256R1):
        return Algorithm.ECDSA_P256
    raise InputError("crypto_unsupported_curve", curve=public_key.curve.name)


def read_public_key(pem: bytes | str, source: str = "<public key>") -> PublicKey:
    """Parse a PEM SubjectPublicKeyInfo holding an Ed25519 or P-256 key."""
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    if len(data) > MAX_PEM_BYTES:
        raise InputError("crypto_public_key_too_large", limit=MAX_PEM_BYTES, source=source)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise InputError("crypto_not_pem_public_key", error=str(exc), source=source) from exc
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise InputError("crypto_unsupported_curve", curve=key.curve.name, source=source)
        return key
    raise InputError("crypto_unsupported_key_type", key_type=type(key).__name__, source=source)


@lru_cache(maxsize=4096)
def cached_public_key(pem: str) -> PublicKey:
    """Parsed once per process: verifying thousands of reports re-uses the same keys."""
    return read_public_key(pem)


def verify_signature(public_key: PublicKey, algorithm: Algorithm, data: bytes, sig: bytes) -> bool:
    """True only if ``sig`` is a valid signature of ``data`` by ``public_key`` under
    ``algorithm``; a key of another algorithm never verifies (no algorithm confusion)."""
    try:
        if algorithm is Algorithm.ED25519:
            if not isinstance(public_key, ed25519.Ed25519PublicKey):
                return False
            public_key.verify(sig, data)
            return True
        if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
            public_key.curve, ec.SECP256R1
        ):
            return False
        public_key.verify(sig, data, ECDSA_SHA256)
        return True
    except (InvalidSignature, ValueError):
        return False


def ecdsa_der_from_raw(raw: bytes) -> bytes:
    """PKCS#11 tokens and TPMs give r‖s; envelopes carry DER."""
    if len(raw) % 2 or not raw:
        raise ValueError(f"raw ECDSA signature of odd length {len(raw)}")
    half = len(raw) // 2
    r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    return encode_dss_signature(r, s)
