"""A key made for one run and held only in memory: the demo signs its sample evidence,
releases and device reports with keys made on the spot, so that no private key is
shipped or written anywhere; once the run ends nothing can sign with them again."""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ed25519

from cpstrust.crypto import keyid_of, public_pem
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import Signer


class MemorySigner(Signer):
    """An Ed25519 key made now. Its record names the file backend with no locator: it is
    a software key that was never written to a file."""

    def __init__(self, name: str, created_at: datetime) -> None:
        self._key = ed25519.Ed25519PrivateKey.generate()
        public = self._key.public_key()
        self._record = KeyRecord(name, Backend.FILE, Algorithm.ED25519, keyid_of(public),
                                 public_pem(public), created_at)

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)
