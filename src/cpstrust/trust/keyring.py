"""The keys this installation holds: one JSON record per key under ``<home>/keys``.

Private halves stay in their backend (an encrypted file beside the record, a PKCS#11
token, a TPM); the record says where, and never holds a secret.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.errors import CpstrustError, InputError, NotFoundError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.formats.keyrecord import record_from_json, record_to_json
from cpstrust.model.trust import Algorithm, Backend, KeyRecord
from cpstrust.trust.interface import KeyBackend, Signer

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def backend_for(backend: Backend) -> KeyBackend:
    """Hardware backends are imported only when used: their libraries are heavy."""
    if backend is Backend.FILE:
        from cpstrust.trust.filekeys import FileKeyBackend

        return FileKeyBackend()
    if backend is Backend.PKCS11:
        from cpstrust.trust.pkcs11keys import Pkcs11KeyBackend

        return Pkcs11KeyBackend()
    require_tpm_support()
    from cpstrust.trust.tpmkeys import TpmKeyBackend

    return TpmKeyBackend()


def require_tpm_support() -> None:
    """CpstrustError naming the optional extra when tpm2-pytss is not installed (it
    compiles against libtss2-dev, so the runtime install leaves it out)."""
    if importlib.util.find_spec("tpm2_pytss") is None:
        raise CpstrustError("keyring_tpm_support_missing", extra="cpstrust[tpm]")


class Keyring:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def create(
        self,
        name: str,
        backend: Backend,
        algorithm: Algorithm,
        options: Mapping[str, str],
        secrets: Mapping[str, str],
    ) -> KeyRecord:
        if not _NAME.match(name):
            raise InputError("keyring_invalid_name", name=name)
        if self._path(name).exists():
            raise InputError("keyring_key_exists", name=name, source=str(self._path(name)))
        record = backend_for(backend).create(
            name, algorithm, {"directory": str(self.directory), **options}, secrets
        )
        self._save(record)
        return record

    def get(self, name: str) -> KeyRecord:
        path = self._path(name)
        if not _NAME.match(name) or not path.exists():
            raise NotFoundError("keyring_key_not_found", name=name)
        document = parse_json_strict(path.read_bytes(), str(path))
        if not isinstance(document, dict):
            raise InputError("keyring_record_not_object", source=str(path))
        return record_from_json(document, str(path))

    def list(self) -> list[KeyRecord]:
        if not self.directory.is_dir():
            return []
        names = sorted(p.name.removesuffix(".json") for p in self.directory.glob("*.json"))
        return [self.get(name) for name in names]

    def revoke(self, name: str, reason: str) -> KeyRecord:
        record = replace(self.get(name), revoked_at=datetime.now(UTC), revoked_reason=reason)
        self._save(record)
        return record

    def signer(self, name: str, secrets: Mapping[str, str]) -> Signer:
        record = self.get(name)
        if record.revoked_at is not None:
            raise InputError("keyring_key_revoked", name=name,
                             date=f"{record.revoked_at:%Y-%m-%d}", reason=record.revoked_reason)
        return backend_for(record.backend).open(record, secrets)

    def _path(self, name: str) -> Path:
        return self.directory / f"{name}.json"

    def _save(self, record: KeyRecord) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self._path(record.name).with_suffix(".json.tmp")
        tmp.write_text(json.dumps(record_to_json(record), indent=2), "utf-8")
        tmp.replace(self._path(record.name))
