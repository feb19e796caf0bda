"""A key named twice, through the real commands and the verifier's HTTP endpoint: a
signed payload is refused as ``malformed`` (exit 1), an unreadable file exits 2, and
nothing is stored or consumed. That a refused release or trust store import stores
nothing is tested with the use cases (tests/app/test_releases.py, test_trust_store.py)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest
from clirun import ok, row_count, run

from appservices import services_of
from cpstrust.errors import CpstrustError
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.remote.verifier import VerifierClient
from cpstrust.service.verifier import Verifier, VerifierSettings, make_server
from cpstrust.settings import Settings
from cpstrust.store.attestation import take_challenge
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.tables import OrganizationRow
from cpstrust.trust.keyring import Keyring
from cpstrust.trust.verify import sign_envelope

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
PASSPHRASE = "correct horse battery"  # the vendor fixture's
EVIL = b"\x7fELF not the firmware"
EVIL_SHA256 = hashlib.sha256(EVIL).hexdigest()


def resigned(envelope_file: str, key: str, rewrite: Callable[[bytes], bytes]) -> bytes:
    """The envelope of ``envelope_file`` with its payload rewritten, signed again by
    ``key`` of the vendor's keyring."""
    envelope = json.loads(Path(envelope_file).read_text())
    payload = rewrite(base64.b64decode(envelope["payload"]))
    keyring = Keyring(Settings.from_env().keys_dir)
    with keyring.signer(key, {"passphrase": PASSPHRASE}) as signer:
        return write_envelope(sign_envelope(envelope["payloadType"], payload, [signer]))


def with_member(document: bytes, key: str, value: object) -> bytes:
    """``document`` written compact, one more member at the end of its root object."""
    compact = orjson.dumps(orjson.loads(document))
    return compact[:-1] + b"," + orjson.dumps(key) + b":" + orjson.dumps(value) + b"}"


@pytest.fixture
def two_subjects(vendor: Path) -> Path:
    """release.json signed by the vendor's release key, naming "subject" twice."""
    Path("evil.bin").write_bytes(EVIL)
    ok("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000", "--version",
       "2.1.0", "--out", "genuine.json")
    path = vendor / "release.json"
    evil = [{"name": "evil.bin", "digest": {"sha256": EVIL_SHA256}}]
    path.write_bytes(resigned("genuine.json", "release",
                              lambda payload: with_member(payload, "subject", evil)))
    return path


def test_release_verify_refuses_a_statement_naming_subject_twice(two_subjects: Path) -> None:
    # Either file is refused (tests/trust/test_duplicate_keys_verify.py); here, the
    # command's exit code and its report naming the place.
    code, out, err = run("release", "verify", str(two_subjects), "--artifact", "evil.bin",
                         "--format", "json")
    assert code == 1
    refused = json.loads(out)
    assert refused["accepted"] is False and refused["reason"] == "malformed"
    assert refused["detail"] == f'{two_subjects}: at /: duplicate key "subject"'
    assert "duplicate key" in err


def test_release_verify_of_an_envelope_naming_payload_twice_exits_2(vendor: Path) -> None:
    path = BAD / "envelope" / "duplicate-payload.json"
    code, _, err = run("release", "verify", str(path))
    assert code == 2
    assert "duplicate-payload.json" in err and 'duplicate key "payload"' in err


def test_chain_load_of_a_mapping_naming_name_twice_exits_2_and_stores_nothing(
        vendor: Path) -> None:
    path = BAD / "supplychain" / "duplicate-name.yaml"
    code, _, err = run("chain", "load", str(path))
    assert code == 2
    assert "duplicate-name.yaml" in err and "line 3 column 5" in err
    assert 'duplicate key "name"' in err
    assert row_count(vendor / "vendor", OrganizationRow) == 0


CHAIN = b"""
organizations: [{name: Acme}]
products: [{name: GW, supplier: Acme, releases: [{version: '1'}]}]
sites: [{name: Plant, operator: Acme}]
devices: [{name: gw-1, product: GW, version: '1', site: Plant}]
"""


@pytest.fixture
def verifier(tmp_path: Path) -> Iterator[tuple[Verifier, str]]:
    """An attestation verifier on a fresh store knowing device gw-1, served on a free
    port of 127.0.0.1 in this process."""
    store = Store.open(f"sqlite:///{tmp_path / 'verifier.db'}")
    with store.transaction() as session:
        load_supply_chain(session, read_supply_chain(CHAIN, source="chain.yaml"))
    service = Verifier(services_of(store), VerifierSettings())
    server = make_server(service, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service, f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        store.close()


def post(address: str, path: str, body: bytes) -> tuple[int, str]:
    host, port = address.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", path, body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    error = json.loads(response.read())["error"]
    connection.close()
    return response.status, error


@pytest.mark.parametrize(("body", "location"), [
    ('{{"nonce":"{nonce}","nonce":"' + "00" * 32 + '"}}', "/"),
    ('{{"nonce":"{nonce}","envelope":{{"payloadType":"application/vnd.in-toto+json",'
     '"payload":"e30=","payload":"W10=","signatures":[]}}}}', "/envelope"),
])
def test_verifier_refuses_a_request_naming_a_key_twice_and_keeps_the_challenge(
        verifier: tuple[Verifier, str], body: str, location: str) -> None:
    service, address = verifier
    nonce = service.challenge({"device": "gw-1"})["nonce"]
    status, error = post(address, "/v1/attest", body.format(nonce=nonce).encode())
    assert status == 400
    assert error.startswith(f"request: at {location}: duplicate key")
    with service.services.store.transaction() as session:  # the challenge is still open
        assert take_challenge(session, nonce, datetime.now(UTC)) is not None


def test_agent_refuses_a_verdict_naming_its_verdict_twice() -> None:
    class Answer(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # the name http.server dispatches POST requests to
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"device":"gw-1","verdict":"MODIFIED","verdict":"GENUINE"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = VerifierClient(f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(CpstrustError) as caught:
            client.attest("00" * 32, Envelope(INTOTO_PAYLOAD_TYPE, b"{}", ()), None)
    finally:
        server.shutdown()
        server.server_close()
    assert 'duplicate key "verdict"' in caught.value.problem
    assert caught.value.location == "/"
