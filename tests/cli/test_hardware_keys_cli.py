"""Keys on a real SoftHSM2 token and a real swtpm, driven through the command line: the
release they sign verifies with the exported public key alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import ok, run

from roots_of_trust import SoftToken


def sign_and_verify(key: str) -> dict[str, object]:
    Path(f"{key}.pem").write_text(ok("keys", "export-public", key))
    ok("trust", "add-key", f"{key}.pem", "--role", "release-signer", "--scope", "plc-4000")
    ok("release", "sign", "fw.bin", "--key", key, "--product", "plc-4000", "--version", "2.2.0",
       "--out", f"{key}.release.json")
    report: dict[str, object] = json.loads(ok(
        "release", "verify", f"{key}.release.json", "--artifact", "fw.bin", "--format", "json"))
    return report


@pytest.mark.parametrize("algorithm", ["ecdsa-p256", "ed25519"])
def test_release_signed_on_a_pkcs11_token_verifies(
    vendor: Path, softhsm_token: SoftToken, monkeypatch: pytest.MonkeyPatch, algorithm: str
) -> None:
    monkeypatch.setenv("HSM_PIN", softhsm_token.pin)
    key = f"hsm-{algorithm}"
    ok("keys", "create", key, "--backend", "pkcs11", "--module", softhsm_token.module,
       "--token", softhsm_token.label, "--algorithm", algorithm, "--pin-env", "HSM_PIN")
    monkeypatch.setenv("CPSTRUST_PKCS11_PIN", softhsm_token.pin)
    assert sign_and_verify(key)["accepted"] is True
    record = json.loads((vendor / "vendor" / "keys" / f"{key}.json").read_text())
    assert softhsm_token.pin not in json.dumps(record)


def test_pkcs11_key_with_wrong_pin_signs_nothing(
    vendor: Path, softhsm_token: SoftToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPSTRUST_PKCS11_PIN", softhsm_token.pin)
    ok("keys", "create", "hsm-pin", "--backend", "pkcs11", "--module", softhsm_token.module,
       "--token", softhsm_token.label, "--algorithm", "ecdsa-p256")
    monkeypatch.setenv("CPSTRUST_PKCS11_PIN", "0000-wrong")
    code, _, err = run("release", "sign", "fw.bin", "--key", "hsm-pin", "--product",
                       "plc-4000", "--version", "1", "--out", "r.json")
    assert code == 2 and "PIN" in err
    assert not Path("r.json").exists()


def test_release_signed_in_the_tpm_verifies(vendor: Path, swtpm_tcti: str) -> None:
    ok("keys", "create", "tpm-release", "--backend", "tpm", "--tcti", swtpm_tcti,
       "--algorithm", "ecdsa-p256")
    assert sign_and_verify("tpm-release")["accepted"] is True


def test_tpm_refuses_ed25519_with_a_reason(vendor: Path, swtpm_tcti: str) -> None:
    code, _, err = run("keys", "create", "tpm-ed", "--backend", "tpm", "--tcti", swtpm_tcti,
                       "--algorithm", "ed25519")
    assert code == 2 and "ecdsa-p256" in err


def test_attestation_key_option_needs_a_tpm(vendor: Path) -> None:
    code, _, err = run("keys", "create", "ak", "--attestation-key")
    assert code == 2 and "--backend tpm" in err


def test_tpm_key_without_the_tpm_extra_names_the_extra(
    vendor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As after `pip install cpstrust` alone: tpm2-pytss is not there to find.
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tpm2_pytss" else find_spec(name, *a))
    code, _, err = run("keys", "create", "tpm-none", "--backend", "tpm", "--tcti",
                       "swtpm:host=127.0.0.1,port=1", "--algorithm", "ecdsa-p256")
    assert code == 2
    assert "cpstrust[tpm]" in err
