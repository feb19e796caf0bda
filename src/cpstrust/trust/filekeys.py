"""Keys in files: the private key is PKCS#8, encrypted at rest with a passphrase."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from cpstrust.crypto import ECDSA_SHA256, keyid_of, public_pem
from cpstrust.errors import CpstrustError, InputError
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import KeyBackend, Signer

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
MIN_PASSPHRASE = 8


class FileSigner(Signer):
    def __init__(self, record: KeyRecord, private_key: PrivateKey) -> None:
        self._record = record
        self._key = private_key

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(data)
        return self._key.sign(data, ECDSA_SHA256)


class FileKeyBackend(KeyBackend):
    """``options["directory"]`` is where private keys are written (mode 0600)."""

    backend = Backend.FILE

    def create(
        self,
        name: str,
        algorithm: Algorithm,
        options: Mapping[str, str],
        secrets: Mapping[str, str],
    ) -> KeyRecord:
        passphrase = _passphrase(secrets, name)
        private_key: PrivateKey = (
            ed25519.Ed25519PrivateKey.generate()
            if algorithm is Algorithm.ED25519
            else ec.generate_private_key(ec.SECP256R1())
        )
        path = Path(options["directory"]) / f"{name}.key.pem"
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        _write_private(path, pem)
        public_key = private_key.public_key()
        return KeyRecord(
            name=name,
            backend=Backend.FILE,
            algorithm=algorithm,
            keyid=keyid_of(public_key),
            public_key_pem=public_pem(public_key),
            created_at=datetime.now(UTC),
            locator={"path": str(path)},
        )

    def open(self, record: KeyRecord, secrets: Mapping[str, str]) -> Signer:
        path = Path(record.locator["path"])
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise CpstrustError("file_key_unreadable", error=exc.strerror,
                                source=str(path)) from exc
        try:
            key = serialization.load_pem_private_key(pem, _passphrase(secrets, record.name))
        except (ValueError, TypeError) as exc:
            raise InputError("file_key_undecryptable", source=str(path)) from exc
        if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
            raise InputError("file_key_unexpected_type", key_type=type(key).__name__,
                             source=str(path))
        if keyid_of(key.public_key()) != record.keyid:
            raise InputError("file_key_not_the_record", source=str(path))
        return FileSigner(record, key)


def _passphrase(secrets: Mapping[str, str], name: str) -> bytes:
    value = secrets.get("passphrase", "")
    if len(value) < MIN_PASSPHRASE:
        raise InputError("file_key_passphrase_too_short", name=name, least=MIN_PASSPHRASE)
    return value.encode("utf-8")


def _write_private(path: Path, pem: bytes) -> None:
    """Create exclusively with mode 0600: never overwrite or expose a private key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise InputError("file_key_exists", source=str(path)) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
