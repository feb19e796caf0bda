"""Keys, trust store and signed releases through the command line: exit codes 0/1/2,
JSON keys, and refusals that name their reason."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from clirun import ok, run


def sign() -> None:
    ok("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000", "--version",
       "2.1.0", "--out", "release.json")


def test_keys_export_public_prints_spki_pem(vendor: Path) -> None:
    pem = ok("keys", "export-public", "root")
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    listed = json.loads(ok("keys", "list", "--format", "json"))["keys"]
    assert {k["name"] for k in listed} == {"root", "release"}
    assert all(k["revoked_at"] is None for k in listed)


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


def test_trust_revoke_takes_a_keyid_prefix_and_exits_2_for_a_short_one(vendor: Path) -> None:
    keyid = json.loads(ok("trust", "list", "--format", "json"))["keys"][1]["keyid"]
    code, _, err = run("trust", "revoke", keyid[:7], "--reason", "lost")
    assert code == 2 and keyid[:7] in err
    ok("trust", "revoke", keyid[:12], "--reason", "signing server breached")
    listed = json.loads(ok("trust", "list", "--format", "json"))
    assert listed["version"] == 3
    assert set(listed["keys"][1]["revoked"]) == {"at", "reason"}
    assert listed["keys"][1]["revoked"]["reason"] == "signing server breached"


def test_keys_revoke_is_listed_and_signing_with_the_key_then_exits_2(vendor: Path) -> None:
    ok("keys", "revoke", "release", "--reason", "rotated")
    listed = {k["name"]: k for k in json.loads(ok("keys", "list", "--format", "json"))["keys"]}
    assert listed["release"]["revoked_at"] is not None
    assert listed["release"]["revoked_reason"] == "rotated"
    code, _, err = run("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000",
                       "--version", "2", "--out", "r.json")
    assert code == 2
    assert "revoked" in err and not Path("r.json").exists()


def test_unreadable_envelope_exits_2(vendor: Path) -> None:
    Path("broken.json").write_text('{"payloadType": "x", "payload": "!!"')
    code, _, err = run("release", "verify", "broken.json")
    assert code == 2
    assert "broken.json" in err


def test_trust_import_exits_0_with_its_json_then_1_for_the_same_store_again(
        vendor: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok("trust", "export", "store.json", "--key", "root")
    monkeypatch.setenv("CPSTRUST_HOME", str(vendor / "site"))
    code, _, err = run("trust", "import", "store.json")
    assert code == 1 and "untrusted-signer" in err  # nothing pinned yet
    assert "--root PEM" in err  # the CLI says how to pin the root
    imported = json.loads(ok("trust", "import", "store.json", "--root", "root.pem",
                             "--format", "json"))
    assert imported == {"accepted": True, "version": 2, "keys": 2}
    code, out, _ = run("trust", "import", "store.json", "--format", "json")
    assert code == 1
    assert json.loads(out)["reason"] == "rollback"
    assert json.loads(ok("trust", "list", "--format", "json"))["version"] == 2


def test_only_a_root_key_exports_the_trust_store(vendor: Path) -> None:
    code, _, err = run("trust", "export", "store.json", "--key", "release")
    assert code == 2
    assert "not a root key" in err


def test_release_verify_speaks_japanese(vendor: Path) -> None:
    sign()
    assert "信頼済み" in ok("--lang", "ja", "release", "verify", "release.json")
