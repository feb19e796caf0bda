"""Signing keys and roots of trust held by this installation: created inside their
backend (an encrypted file, a PKCS#11 token, a TPM 2.0), never leaving it."""

from __future__ import annotations

from collections.abc import Mapping

from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.model.trust import Algorithm, Backend, KeyRecord


def create_key(services: Services, name: str, backend: Backend, algorithm: Algorithm, *,
               locator: Mapping[str, str], secrets: Mapping[str, str],
               attestation_key: bool = False) -> KeyRecord:
    """Generate a key pair in ``backend``. An attestation key is a restricted TPM key
    that signs quotes and nothing else."""
    options = dict(locator)
    if attestation_key:
        if backend is not Backend.TPM:
            raise InputError("attestation_key_needs_tpm")
        options["restricted"] = "true"
    return services.keyring.create(name, backend, algorithm, options, secrets)


def list_keys(services: Services) -> list[KeyRecord]:
    return services.keyring.list()


def public_key_pem(services: Services, name: str) -> str:
    """The public key as PEM (SubjectPublicKeyInfo)."""
    return services.keyring.get(name).public_key_pem


def revoke_key(services: Services, name: str, reason: str) -> KeyRecord:
    """Stop signing with a key here (verifiers learn of it through the trust store)."""
    return services.keyring.revoke(name, reason)
