"""The seam between signing and where private keys live (file, PKCS#11 token, TPM)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from cpstrust.model.trust import Algorithm, Backend, KeyRecord


class Signer(ABC):
    """Signs bytes with one private key that stays inside its backend.

    ``sign`` returns the signature as it goes into an envelope: 64 raw bytes for
    Ed25519; DER ``ECDSA-Sig-Value`` over SHA-256(data) for ECDSA P-256, so that any
    verifier given the exported public key accepts it.
    """

    @property
    @abstractmethod
    def record(self) -> KeyRecord:
        """The key's public description (name, algorithm, keyid, public key)."""

    @abstractmethod
    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (the whole message, not a digest)."""

    def close(self) -> None:  # noqa: B027 - optional hook: sessions and contexts to release
        """Release backend resources (token sessions, TPM handles)."""

    def __enter__(self) -> Signer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class KeyBackend(ABC):
    """Creates keys in one kind of store and opens signers on them.

    ``secrets`` maps secret names (``passphrase``, ``pin``) to their values, read by the
    caller from the environment variables the user named; backends never prompt.
    """

    backend: Backend

    @abstractmethod
    def create(
        self,
        name: str,
        algorithm: Algorithm,
        options: Mapping[str, str],
        secrets: Mapping[str, str],
    ) -> KeyRecord:
        """Generate a key pair inside the backend and describe it."""

    @abstractmethod
    def open(self, record: KeyRecord, secrets: Mapping[str, str]) -> Signer:
        """A signer for a key this backend created."""
