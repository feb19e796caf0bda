"""Device attestation end to end: `cpstrust verifier serve` runs as its own process on
127.0.0.1, `cpstrust agent attest` measures a firmware tree and answers its challenge
over HTTP, and `cpstrust devices` shows the stored verdicts and findings. The rules of
an appraisal (stale answers, revoked keys, the findings' lifecycle) are tested with the
use case in tests/app/test_device_appraisal.py."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import ok, run

from roots_of_trust import SoftToken

PASSPHRASE = "correct horse battery"
CHAIN = """
organizations:
  - {name: Hokuriku Controls}
  - {name: Kanto Motors}
products:
  - name: HC-Gateway
    supplier: Hokuriku Controls
    releases: [{version: 3.4.0}]
sites:
  - {name: Mikawa Assembly Plant, operator: Kanto Motors, kind: factory, zones: [line-control]}
devices:
  - {name: gw-line3, product: HC-Gateway, version: 3.4.0, site: Mikawa Assembly Plant,
     zone: line-control}
  - {name: gw-line4, product: HC-Gateway, version: 3.4.0, site: Mikawa Assembly Plant}
"""


@pytest.fixture
def plant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plant with device gw-line3 whose identity key is enrolled, and the signed
    release of the HC-Gateway 3.4.0 firmware tree it runs; cwd is tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CPSTRUST_KEY_PASSPHRASE", PASSPHRASE)
    Path("supply-chain.yaml").write_text(CHAIN)
    ok("chain", "load", "supply-chain.yaml")
    ok("keys", "create", "release", "--algorithm", "ecdsa-p256")
    ok("keys", "create", "device")
    Path("release.pem").write_text(ok("keys", "export-public", "release"))
    Path("device.pem").write_text(ok("keys", "export-public", "device"))
    ok("trust", "add-key", "release.pem", "--role", "release-signer", "--scope", "HC-Gateway")
    ok("trust", "add-key", "device.pem", "--role", "device-identity", "--scope", "gw-line3")
    firmware = tmp_path / "firmware"
    for path, data in {"bin/gateway": b"\x7fELF gateway 3.4.0",
                       "etc/gateway.conf": b"listen 502\n",
                       "lib/libmodbus.so.5": b"\x7fELF libmodbus 3.1"}.items():
        (firmware / path).parent.mkdir(parents=True, exist_ok=True)
        (firmware / path).write_bytes(data)
    (firmware / "bin/gateway").chmod(0o755)
    (firmware / "lib/libmodbus.so").symlink_to("libmodbus.so.5")
    ok("release", "sign", "firmware", "--key", "release", "--product", "HC-Gateway",
       "--version", "3.4.0", "--out", "release.json")
    ok("release", "import", "release.json")
    return tmp_path


@pytest.fixture
def verifier(plant: Path) -> Iterator[str]:
    """`cpstrust verifier serve --port 0` in its own process; yields its URL."""
    cpstrust = Path(sys.executable).with_name("cpstrust")
    log = plant / "verifier.log"  # a file, not a pipe nobody reads that could fill up
    with log.open("w") as errors:
        process = subprocess.Popen([str(cpstrust), "verifier", "serve", "--port", "0"],
                                   stdout=subprocess.PIPE, stderr=errors, text=True,
                                   env=dict(os.environ))
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        if found is None:
            pytest.fail(f"the verifier did not start: {line} {log.read_text()}")
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


def attest(url: str, *extra: str, key: str = "device") -> tuple[int, dict[str, Any]]:
    code, out, err = run("agent", "attest", "firmware", "--verifier", url, "--device",
                         "gw-line3", "--key", key, "--format", "json", *extra)
    assert code in (0, 1), err
    result: dict[str, Any] = json.loads(out)
    return code, result


def devices() -> dict[str, dict[str, Any]]:
    return {d["device"]: d for d in json.loads(ok("devices", "--format", "json"))["devices"]}


def test_genuine_device_exits_0_and_is_listed_genuine(verifier: str) -> None:
    code, result = attest(verifier, "--product", "HC-Gateway", "--version", "3.4.0")
    assert code == 0
    assert set(result) == {"device", "verdict", "reasons", "findings", "signer", "appraised_at"}
    assert result["verdict"] == "GENUINE" and result["device"] == "gw-line3"
    listed = devices()
    assert listed["gw-line3"]["verdict"] == "GENUINE"
    assert listed["gw-line3"]["release"] == {"product": "HC-Gateway", "version": "3.4.0"}
    assert listed["gw-line3"]["site"] == "Mikawa Assembly Plant"
    assert listed["gw-line3"]["open_findings"] == 0
    assert listed["gw-line4"]["verdict"] is None
    assert "GENUINE" in ok("devices")


def test_modified_file_exits_1_and_opens_a_finding(verifier: str, plant: Path) -> None:
    (plant / "firmware/bin/gateway").write_bytes(b"\x7fELF gateway with a backdoor")
    code, result = attest(verifier)
    assert code == 1 and result["verdict"] == "MODIFIED"
    assert [(f["kind"], f["path"], f["severity"]) for f in result["findings"]] == [
        ("MODIFIED", "bin/gateway", "critical")]
    assert devices()["gw-line3"]["open_findings"] == 1
    shown = json.loads(ok("devices", "show", "gw-line3", "--format", "json"))
    assert shown["verdict"] == "MODIFIED"
    assert [(f["path"], f["status"]) for f in shown["findings"]] == [("bin/gateway", "open")]


def test_unlisted_elf_exits_1_and_is_shown_with_the_device(verifier: str, plant: Path) -> None:
    miner = plant / "firmware/usr/bin/miner"
    miner.parent.mkdir(parents=True)
    miner.write_bytes(b"\x7fELF coin miner")
    code, result = attest(verifier)
    assert code == 1 and result["verdict"] == "UNLISTED"
    assert [(f["kind"], f["path"], f["executable"]) for f in result["findings"]] == [
        ("UNLISTED", "usr/bin/miner", True)]
    assert "usr/bin/miner" in ok("devices", "show", "gw-line3")


def test_device_of_another_key_is_untrusted(verifier: str) -> None:
    code, out, _ = run("agent", "attest", "firmware", "--verifier", verifier, "--device",
                       "gw-line4", "--key", "device")
    assert code == 1
    assert "UNTRUSTED_SIGNER" in out and "may sign only gw-line3" in out


def test_unknown_device_and_unreachable_verifier_exit_2(verifier: str) -> None:
    code, _, err = run("agent", "attest", "firmware", "--verifier", verifier, "--device",
                       "ghost", "--key", "device")
    assert code == 2 and "HTTP 404" in err and "no device named 'ghost'" in err
    code, _, err = run("agent", "attest", "firmware", "--verifier", "http://127.0.0.1:1",
                       "--device", "gw-line3", "--key", "device")
    assert code == 2 and "cannot reach the verifier" in err


def post(url: str, path: str, body: bytes, length: int | None = None) -> tuple[int, str]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", path)
    connection.putheader("Content-Length", str(len(body) if length is None else length))
    connection.endheaders()
    connection.send(body)
    response = connection.getresponse()
    text = json.loads(response.read())["error"]
    connection.close()
    return response.status, text


def test_bad_requests_are_refused_with_a_message(verifier: str) -> None:
    assert post(verifier, "/v1/attest", b"{not json")[0] == 400
    status, message = post(verifier, "/v1/attest", b'{"envelope": {}}')
    assert status == 400 and "'nonce'" in message
    status, message = post(verifier, "/v1/attest", json.dumps(
        {"nonce": "00" * 32, "envelope": {"payload": "!", "payloadType": "x",
                                          "signatures": []}}).encode())
    assert status == 400 and "base64" in message
    assert post(verifier, "/v1/unknown", b"{}")[0] == 404
    assert post(verifier, "/v1/attest", b"{}", length=10**12)[0] == 413


def test_verdict_is_printed_in_japanese(verifier: str) -> None:
    code, out, _ = run("--lang", "ja", "agent", "attest", "firmware", "--verifier", verifier,
                       "--device", "gw-line3", "--key", "device")
    assert code == 0 and "gw-line3 の構成証明: GENUINE" in out


def test_tpm_attestation_key_answers_with_a_quote_over_http(
    verifier: str, plant: Path, swtpm_tcti: str
) -> None:
    ok("keys", "create", "gw-ak", "--backend", "tpm", "--tcti", swtpm_tcti, "--algorithm",
       "ecdsa-p256", "--attestation-key")
    Path("ak.pem").write_text(ok("keys", "export-public", "gw-ak"))
    ok("trust", "add-key", "ak.pem", "--role", "device-identity", "--scope", "gw-line3")
    code, result = attest(verifier, key="gw-ak")
    assert code == 0 and result["verdict"] == "GENUINE"
    (plant / "firmware/etc/gateway.conf").write_bytes(b"listen 0.0.0.0:502\n")
    code, result = attest(verifier, key="gw-ak")
    assert code == 1 and result["verdict"] == "MODIFIED"


def test_device_key_on_a_pkcs11_token_signs_the_report(
    verifier: str, softhsm_token: SoftToken, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CPSTRUST_PKCS11_PIN", softhsm_token.pin)
    ok("keys", "create", "gw-se", "--backend", "pkcs11", "--module", softhsm_token.module,
       "--token", softhsm_token.label, "--algorithm", "ecdsa-p256")
    Path("se.pem").write_text(ok("keys", "export-public", "gw-se"))
    ok("trust", "add-key", "se.pem", "--role", "device-identity", "--scope", "gw-line3")
    code, result = attest(verifier, key="gw-se")
    assert code == 0 and result["verdict"] == "GENUINE"
