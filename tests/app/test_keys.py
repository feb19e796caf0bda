"""Key management as use cases: a key is made inside its backend and stays there; an
attestation key is a restricted TPM key; a key revoked here signs nothing more."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from installations import NOW, PRODUCT, SECRETS, file_key

from cpstrust.app import keys, releases
from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError, InputError
from cpstrust.model.trust import Algorithm, Backend
from cpstrust.settings import Settings


@pytest.fixture
def services(tmp_path: Path) -> Services:
    """Key management needs no database: these services never open one."""
    return Services(Settings(home=tmp_path / "home",
                             database_url=f"sqlite:///{tmp_path / 'unused.db'}"))


@pytest.mark.parametrize("backend", [Backend.FILE, Backend.PKCS11])
def test_an_attestation_key_needs_the_tpm_backend(services: Services, backend: Backend) -> None:
    with pytest.raises(InputError, match="TPM backend"):
        keys.create_key(services, "ak", backend, Algorithm.ECDSA_P256, locator={},
                        secrets=SECRETS, attestation_key=True)
    assert keys.list_keys(services) == []


def test_an_attestation_key_is_a_tpm_key_that_signs_no_outside_data(services: Services,
                                                                    swtpm_tcti: str) -> None:
    ak = keys.create_key(services, "ak", Backend.TPM, Algorithm.ECDSA_P256,
                         locator={"tcti": swtpm_tcti}, secrets={}, attestation_key=True)
    assert ak.backend is Backend.TPM
    with pytest.raises(InputError, match="attestation key"):
        services.keyring.signer("ak", {})
    plain = keys.create_key(services, "plain", Backend.TPM, Algorithm.ECDSA_P256,
                            locator={"tcti": swtpm_tcti}, secrets={})
    with services.keyring.signer(plain.name, {}) as signer:
        assert signer.sign(b"release") != b""


def test_a_file_key_is_encrypted_at_rest_and_readable_by_its_owner_only(
        services: Services) -> None:
    record = file_key(services, "release")
    private = Path(record.locator["path"])
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert private.stat().st_mode & 0o077 == 0
    assert keys.public_key_pem(services, "release") == record.public_key_pem


def test_a_key_revoked_here_signs_nothing(services: Services, tmp_path: Path) -> None:
    file_key(services, "release")
    revoked = keys.revoke_key(services, "release", "rotated")
    assert revoked.revoked_reason == "rotated" and revoked.revoked_at is not None
    (tmp_path / "fw.bin").write_bytes(b"\x7fELF firmware")
    with pytest.raises(InputError, match="revoked"):
        releases.sign(services, [tmp_path / "fw.bin"], key="release", secrets=SECRETS,
                      product=PRODUCT, version="2", sbom=None, at=NOW)


def test_a_tpm_key_without_the_tpm_extra_names_the_extra_and_keeps_no_record(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # As after `pip install cpstrust` alone: tpm2-pytss is not there to find.
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tpm2_pytss" else find_spec(name, *a))
    with pytest.raises(CpstrustError, match=r"cpstrust\[tpm\]"):
        keys.create_key(services, "tpm-none", Backend.TPM, Algorithm.ECDSA_P256,
                        locator={"tcti": "swtpm:host=127.0.0.1,port=1"}, secrets={})
    assert keys.list_keys(services) == []
