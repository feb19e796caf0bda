"""Keys, trust store and signed releases through the command line: exit codes 0/1/2,
JSON keys, and refusals that name their reason."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from clirun import ok, run


def sign(product: str = "plc-4000", key: str = "release") -> None:
    ok("release", "sign", "fw.bin", "--key", key, "--product", product, "--version", "2.1.0",
       "--out", "release.json")


def test_keys_export_public_prints_spki_pem(vendor: Path) -> None:
    pem = ok("keys", "export-public", "root")
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    listed = json.loads(ok("keys", "list", "--format", "json"))["keys"]
    assert {k["name"] for k in listed} == {"root", "release"}
    assert all(k["revoked_at"] is None for k in listed)


def test_file_key_is_encrypted_at_rest(vendor: Path) -> None:
    private = (vendor / "vendor" / "keys" / "root.key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in private
    assert (vendor / "vendor" / "keys" / "root.key.pem").stat().st_mode & 0o077 == 0


def test_key_without_passphrase_is_refused(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CPSTRUST_KEY_PASSPHRASE")
    code, _, err = run("keys", "create", "other")
    assert code == 2
    assert "--passphrase-env" in err


def test_wrong_passphrase_is_refused(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WRONG", "not the passphrase")
    code, _, err = run("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000",
                       "--version", "1", "--out", "r.json", "--passphrase-env", "WRONG")
    assert code == 2
    assert "cannot decrypt" in err


def test_signed_release_verifies_with_its_artifact(vendor: Path) -> None:
    sign()
    envelope = json.loads(Path("release.json").read_text())
    assert envelope["payloadType"] == "application/vnd.in-toto+json"
    assert set(envelope["signatures"][0]) == {"keyid", "sig"}
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    report = json.loads(ok("release", "verify", "release.json", "--artifact", "fw.bin",
                           "--format", "json"))
    assert report["accepted"] is True
    assert report["product"] == "plc-4000" and report["version"] == "2.1.0"


def test_modified_artifact_is_refused_with_exit_1(vendor: Path) -> None:
    sign()
    Path("fw.bin").write_bytes(b"\x7fELF firmware 2.1.0 with a backdoor")
    code, out, err = run("release", "verify", "release.json", "--artifact", "fw.bin",
                         "--format", "json")
    assert code == 1
    assert json.loads(out)["reason"] == "subject-mismatch"
    assert "not a subject" in err


def test_release_outside_the_key_scope_is_refused(vendor: Path) -> None:
    sign(product="hmi-200")
    code, _, err = run("release", "verify", "release.json")
    assert code == 1
    assert "out-of-scope" in err


def test_revoked_release_key_is_refused(vendor: Path) -> None:
    sign()
    keyid = json.loads(ok("keys", "list", "--format", "json"))["keys"]
    release_keyid = next(k["keyid"] for k in keyid if k["name"] == "release")
    ok("trust", "revoke", release_keyid[:12], "--reason", "signing server breached")
    code, out, _ = run("release", "verify", "release.json", "--format", "json")
    assert code == 1
    refused = json.loads(out)
    assert refused["reason"] == "revoked"
    assert "signing server breached" in refused["detail"]


def test_locally_revoked_key_signs_nothing(vendor: Path) -> None:
    ok("keys", "revoke", "release", "--reason", "rotated")
    code, _, err = run("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000",
                       "--version", "2", "--out", "r.json")
    assert code == 2
    assert "revoked" in err


def test_unreadable_envelope_exits_2(vendor: Path) -> None:
    Path("broken.json").write_text('{"payloadType": "x", "payload": "!!"')
    code, _, err = run("release", "verify", "broken.json")
    assert code == 2
    assert "broken.json" in err


def test_trust_store_travels_signed_and_refuses_rollback(vendor: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sign()
    ok("trust", "export", "store-v2.json", "--key", "root")
    Path("extra.pem").write_text(ok("keys", "export-public", "root"))
    ok("keys", "create", "second", "--algorithm", "ecdsa-p256")
    Path("second.pem").write_text(ok("keys", "export-public", "second"))
    ok("trust", "add-key", "second.pem", "--role", "device-identity", "--scope", "plc-01")
    ok("trust", "export", "store-v3.json", "--key", "root")

    monkeypatch.setenv("CPSTRUST_HOME", str(vendor / "site"))
    code, _, err = run("trust", "import", "store-v2.json")
    assert code == 1 and "--root" in err  # nothing pinned yet
    ok("trust", "import", "store-v3.json", "--root", "root.pem")
    assert ok("release", "verify", "release.json", "--artifact", "fw.bin")
    code, out, _ = run("trust", "import", "store-v2.json", "--format", "json")
    assert code == 1
    assert json.loads(out)["reason"] == "rollback"
    assert json.loads(ok("trust", "list", "--format", "json"))["version"] == 3


def test_trust_store_signed_by_another_root_is_refused(vendor: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ok("trust", "export", "store.json", "--key", "root")
    ok("keys", "create", "impostor")
    Path("impostor.pem").write_text(ok("keys", "export-public", "impostor"))
    monkeypatch.setenv("CPSTRUST_HOME", str(vendor / "site"))
    code, _, err = run("trust", "import", "store.json", "--root", "impostor.pem")
    assert code == 1
    assert "untrusted-signer" in err


def test_tampered_trust_store_is_refused(vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok("trust", "export", "store.json", "--key", "root")
    envelope = json.loads(Path("store.json").read_text())
    document = json.loads(base64.b64decode(envelope["payload"]))
    document["keys"][1]["scopes"] = []  # widen the release key to every product
    envelope["payload"] = base64.b64encode(json.dumps(document).encode()).decode()
    Path("store.json").write_text(json.dumps(envelope))
    monkeypatch.setenv("CPSTRUST_HOME", str(vendor / "site"))
    code, _, err = run("trust", "import", "store.json", "--root", "root.pem")
    assert code == 1
    assert "bad-signature" in err


def test_only_a_root_key_exports_the_trust_store(vendor: Path) -> None:
    code, _, err = run("trust", "export", "store.json", "--key", "release")
    assert code == 2
    assert "not a root key" in err


def test_release_verify_speaks_japanese(vendor: Path) -> None:
    sign()
    assert "信頼済み" in ok("--lang", "ja", "release", "verify", "release.json")


def test_two_artifacts_with_one_name_are_refused(vendor: Path) -> None:
    Path("other").mkdir()
    Path("other/fw.bin").write_bytes(b"another firmware")
    code, _, err = run("release", "sign", "fw.bin", "other/fw.bin", "--key", "release",
                       "--product", "plc-4000", "--version", "1", "--out", "r.json")
    assert code == 2 and "fw.bin" in err and not Path("r.json").exists()
