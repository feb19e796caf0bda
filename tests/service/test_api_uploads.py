"""Bad input through the API, class by class (issue 15, "Bad input"): oversized and
truncated bodies, wrong content types, malformed JSON, the CLI's hostile SBOMs, bad
envelopes and advisories, path and header injection in names, forged, expired and
revoked keys and signatures, filters shaped like SQL. Each answers a problem document,
stores nothing, names nothing of another tenant, and the server keeps serving others."""

from __future__ import annotations

import base64
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tenants import DEMO, GATEWAY_SBOM, Tenants
from threaded_server import free_port, serving

from cpstrust.app import truststore
from cpstrust.app.identity import create_api_key, revoke_api_key
from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.sbom import read_sbom
from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.model.identity import Role
from cpstrust.model.trust import Role as KeyRole
from cpstrust.service.api import ServiceSettings, create_app
from cpstrust.store.tables import (
    AdvisoryRow,
    EvidenceRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)

API = "/api/v1"
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
RELEASE = DEMO / "release" / "ss-sensorhub-1.8.0.release.json"
RELEASE_KEY = DEMO / "release" / "setouchi-release.pem"
LIMIT = 256 * 1024  # the served app's upload limit, small to be crossed quickly
# Names only the tenants other than Z hold: no answer to Z may carry one.
FOREIGN = ("a-hub", "a-gw", "b-gw", "x-plant", "y-plant", "x-hub-1", "y-gw-1")


def _stored(tenants: Tenants) -> dict[str, int]:
    """How many rows each table an upload writes to holds."""
    with tenants.services.store.transaction() as session:
        return {t.__name__: session.scalar(select(func.count()).select_from(t)) or 0
                for t in (ProductRow, ReleaseRow, SbomDocumentRow, EvidenceRow, AdvisoryRow)}


def _problem(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    assert code is None or body["code"] == code, body
    assert "/tmp" not in response.text and "upload-" not in response.text
    assert not [name for name in FOREIGN if name in response.text]


def _auth(tenants: Tenants, role: Role = Role.ADMIN) -> dict[str, str]:
    return tenants.auth("Z", role)


def _expected_status(error: InputError) -> int:
    return 413 if isinstance(error, LimitExceededError) else 400


def _cli_refusal(path: Path) -> InputError | None:
    """How ``sbom import`` refuses the file at its default limits (None: it reads it;
    some files of the directory are hostile only under smaller limits)."""
    try:
        read_sbom(path.read_bytes(), source=path.name)
    except InputError as error:
        return error
    return None


def test_every_hostile_sbom_of_the_cli_is_refused_alike_and_nothing_stored(
        client: TestClient, tenants: Tenants) -> None:
    before = _stored(tenants)
    refused = {path: error for path in sorted((BAD / "sbom").iterdir())
               if (error := _cli_refusal(path)) is not None}
    assert len(refused) >= 8
    for path, error in refused.items():
        data = path.read_bytes()
        status = _expected_status(error)
        # An empty body is refused before it is read as an SBOM.
        code = error.code if data else "service_body_empty"
        raw = client.post(f"{API}/sboms?product=z-box&version=1", headers=_auth(tenants),
                          content=data)
        _problem(raw, status, code)
        multipart = client.post(f"{API}/sboms?product=z-box&version=1",
                                headers=_auth(tenants), files={"file": (path.name, data)})
        _problem(multipart, status, code)
        if data:
            assert path.name in multipart.json()["detail"]  # the client's name, not ours
    assert _stored(tenants) == before


def test_bad_envelopes_and_advisories_are_refused_and_nothing_stored(
        client: TestClient, tenants: Tenants) -> None:
    before = _stored(tenants)
    for path in sorted((BAD / "envelope").iterdir()):
        with pytest.raises(InputError) as cli:
            read_envelope(path.read_bytes(), path.name)
        response = client.post(f"{API}/releases", headers=_auth(tenants, Role.UPLOADER),
                               files={"envelope": (path.name, path.read_bytes())})
        _problem(response, _expected_status(cli.value), cli.value.code)
    for path in sorted((BAD / "osv").glob("*.json")):
        response = client.post(f"{API}/advisories", headers={
            **tenants.operator_auth(), "Content-Type": "application/json"},
            content=path.read_bytes())
        _problem(response, 400)
    assert _stored(tenants) == before


def test_wrong_content_types_and_malformed_json_are_problems(client: TestClient,
                                                            tenants: Tenants) -> None:
    before = _stored(tenants)
    for content_type in ("text/csv", "application/x-www-form-urlencoded", "image/png", ""):
        response = client.post(f"{API}/advisories", content=b"id,summary",
                               headers={**tenants.operator_auth(), "Content-Type": content_type})
        _problem(response, 415, "service_content_type_unsupported")
    _problem(client.post(f"{API}/sboms?product=z-box&version=1", headers=_auth(tenants),
                         files={"other": ("bom.json", GATEWAY_SBOM.read_bytes())}),
             400, "service_multipart_needs_file")
    _problem(client.post(f"{API}/releases", headers=_auth(tenants, Role.UPLOADER),
                         files={"sbom": ("bom.json", GATEWAY_SBOM.read_bytes())}),
             400, "service_multipart_needs_file")
    _problem(client.post(f"{API}/releases", headers=_auth(tenants, Role.UPLOADER),
                         content=b'{"payloadType": "x", "payload": '), 400)
    _problem(client.post(f"{API}/advisories", content=b'{"id": "CPST-1", "id": "CPST-2"}',
                         headers={**tenants.operator_auth(), "Content-Type": "application/json"}),
             400)
    finding = client.get(f"{API}/findings?limit=1", headers=tenants.auth("A")).json()["items"][0]
    for body in (b'{"status": ', b"\xff\xfe", b'"accepted"', b"{}" * 10):
        _problem(client.patch(f"{API}/findings/{finding['id']}", headers=tenants.auth("A"),
                              content=body), 400)
    assert _stored(tenants) == before


@pytest.mark.parametrize(("product", "version"), [
    ("z-box\r\nSet-Cookie: stolen=1", "1"),
    ("z-box", "1\r\nLocation: http://evil.example/"),
    ("z-box\x00", "1"),
    ("z-box", "\x1b[31m1"),
])
def test_control_characters_in_names_are_refused(client: TestClient, tenants: Tenants,
                                                 product: str, version: str) -> None:
    before = _stored(tenants)
    response = client.post(f"{API}/sboms", params={"product": product, "version": version},
                           headers=_auth(tenants), content=GATEWAY_SBOM.read_bytes())
    _problem(response, 400, "service_request_invalid")
    assert "set-cookie" not in response.headers and "location" not in response.headers
    assert _stored(tenants) == before


def _multipart(filename: bytes, data: bytes) -> tuple[bytes, str]:
    """A multipart body with one file part named exactly ``filename`` (a client library
    would escape what a hostile client sends as is)."""
    boundary = "cpst-test-boundary"
    body = (f"--{boundary}\r\n".encode()
            + b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
            + b"Content-Type: application/json\r\n\r\n" + data
            + f"\r\n--{boundary}--\r\n".encode())
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(("given", "kept"), [
    (b"../../etc/passwd", "passwd"),
    (b"..\\..\\boot.ini", "boot.ini"),
    (b"bom\x00.json", "bom.json"),
    (b"bom\x1b[2J\x07.json", "bom[2J.json"),
])
def test_a_file_name_with_a_path_or_control_characters_is_kept_as_its_bare_name(
        client: TestClient, tenants: Tenants, given: bytes, kept: str) -> None:
    body, content_type = _multipart(given, GATEWAY_SBOM.read_bytes())
    response = client.post(f"{API}/sboms?product=z-box&version=1", content=body,
                           headers={**_auth(tenants), "Content-Type": content_type})
    assert response.status_code == 201, response.text
    with tenants.services.store.transaction() as session:
        names = set(session.scalars(select(SbomDocumentRow.source_name)))
    assert kept in names


def test_forged_expired_and_revoked_keys_upload_nothing(client: TestClient,
                                                        tenants: Tenants) -> None:
    before = _stored(tenants)
    expired = create_api_key(tenants.services, at=datetime.now(UTC) - timedelta(days=2),
                             organisation="Z", role=Role.ADMIN, expires_in=timedelta(days=1))
    revoked = create_api_key(tenants.services, at=datetime.now(UTC), organisation="Z",
                             role=Role.ADMIN)
    revoke_api_key(tenants.services, revoked.info.key_id, datetime.now(UTC))
    _prefix, key_id, _secret = tenants.keys[("Z", Role.ADMIN)].split("_", 2)
    for key, code in ((f"cpst_{key_id}_{'A' * 43}", "identity_key_invalid"),
                      ("cpst_0000000000000000_forged", "identity_key_invalid"),
                      (expired.secret, "identity_key_expired"),
                      (revoked.secret, "identity_key_revoked")):
        auth = {"Authorization": f"Bearer {key}"}
        _problem(client.post(f"{API}/sboms?product=z-box&version=1", headers=auth,
                             content=GATEWAY_SBOM.read_bytes()), 401, code)
        _problem(client.post(f"{API}/releases", headers=auth,
                             files={"envelope": ("r.json", RELEASE.read_bytes())}), 401, code)
        _problem(client.post(f"{API}/advisories", headers={
            **auth, "Content-Type": "application/json"}, content=b"{}"), 401, code)
    assert _stored(tenants) == before


def _trust_release_key(tenants: Tenants, **changes: object) -> str:
    key = truststore.key_from_pem_file(RELEASE_KEY, frozenset({KeyRole.RELEASE_SIGNER}))
    truststore.trust_key(tenants.services, replace(key, **changes), datetime.now(UTC))
    return key.keyid


def _forged(envelope: bytes) -> bytes:
    """The release with its payload changed after signing (a subject's digest)."""
    document = orjson.loads(envelope)
    payload = base64.b64decode(document["payload"])
    document["payload"] = base64.b64encode(payload.replace(b'"sha256":"', b'"sha256":"0', 1)
                                           ).decode()
    return orjson.dumps(document)


def test_forged_expired_and_revoked_signatures_keep_nothing(client: TestClient,
                                                            tenants: Tenants) -> None:
    before = _stored(tenants)
    auth = {**_auth(tenants, Role.UPLOADER), "Content-Type": "application/json"}
    keyid = _trust_release_key(tenants)
    _problem(client.post(f"{API}/releases", headers=auth, content=_forged(RELEASE.read_bytes())),
             422)
    _trust_release_key(tenants, not_after=datetime.now(UTC) - timedelta(days=1))
    _problem(client.post(f"{API}/releases", headers=auth, content=RELEASE.read_bytes()), 422)
    _trust_release_key(tenants)
    truststore.revoke(tenants.services, keyid, "compromised", datetime.now(UTC))
    _problem(client.post(f"{API}/releases", headers=auth, content=RELEASE.read_bytes()), 422)
    assert _stored(tenants) == before


@pytest.mark.parametrize("shaped", [
    "' OR '1'='1", "z-box' --", "x\"; DROP TABLE product; --", "%' OR 1=1 OR name LIKE '%",
    "1 UNION SELECT name FROM organization",
])
def test_filters_shaped_like_sql_find_nothing_and_break_nothing(
        client: TestClient, tenants: Tenants, shaped: str) -> None:
    auth = _auth(tenants, Role.AUDITOR)
    for path, params in (("/findings", {"product": shaped}),
                         ("/products", {"supplier": shaped}), ("/devices", {"site": shaped}),
                         ("/products", {"sort": shaped}), ("/findings", {"min_severity": shaped}),
                         ("/products", {"cursor": shaped})):
        response = client.get(f"{API}{path}", params=params, headers=auth)
        if response.status_code == 200:
            assert response.json()["items"] == [], (path, params)
        else:
            _problem(response, 400)
    for path in (f"/products/{shaped}", f"/devices/{shaped}", f"/impact/{shaped}",
                 f"/sites/{shaped}/zones"):
        _problem(client.get(f"{API}{path}", headers=auth), 404)
    assert [p["name"] for p in client.get(f"{API}/products", headers=tenants.auth("B")
                                          ).json()["items"]] == ["b-gw"]


@pytest.fixture
def served(tenants: Tenants, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real uvicorn serving the tenants (uploads limited to ``LIMIT``), its port and
    its upload directory."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings = ServiceSettings(limits=replace(DEFAULT_LIMITS, max_bytes=LIMIT),
                               upload_dir=uploads)
    port = free_port()
    with serving(create_app(tenants.services, settings), port):
        yield port, uploads


def _head(port: int, request: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(request.replace("\n", "\r\n").encode())
    return sock


def _status_line(sock: socket.socket) -> bytes:
    received = b""
    while b"\r\n" not in received:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    return received.split(b"\r\n", 1)[0]


def test_oversized_bodies_are_refused_before_they_are_read_on_every_upload_route(
        served: tuple[int, Path], tenants: Tenants) -> None:
    port, uploads = served
    before = _stored(tenants)
    for path, key, content_type in (
            ("/sboms?product=z-box&version=1", tenants.keys[("Z", Role.ADMIN)],
             "application/json"),
            ("/releases", tenants.keys[("Z", Role.UPLOADER)], "application/json"),
            ("/advisories", tenants.operator_key, "application/zip")):
        with _head(port, f"POST {API}{path} HTTP/1.1\nHost: 127.0.0.1\n"
                         f"Authorization: Bearer {key}\n"
                         f"Content-Type: {content_type}\nContent-Length: {1 << 40}\n\n"
                   ) as sock:
            sock.sendall(b"{" + b" " * 100)  # a small part of what was announced
            assert _status_line(sock).startswith(b"HTTP/1.1 413 "), path
    assert not list(uploads.iterdir())
    assert _stored(tenants) == before


def test_a_truncated_upload_stores_nothing_while_others_are_served(
        served: tuple[int, Path], tenants: Tenants) -> None:
    port, uploads = served
    before = _stored(tenants)
    body = GATEWAY_SBOM.read_bytes()
    slow = _head(port, f"POST {API}/sboms?product=z-box&version=1 HTTP/1.1\nHost: x\n"
                       f"Authorization: Bearer {tenants.keys[('Z', Role.ADMIN)]}\n"
                       f"Content-Type: application/json\nContent-Length: {len(body)}\n\n")
    slow.sendall(body[:len(body) // 2])  # half, and the client waits
    started = time.monotonic()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as other:
        for _ in range(5):
            answer = other.get(f"{API}/products", headers=tenants.auth("B"))
            assert answer.status_code == 200 and answer.json()["items"][0]["name"] == "b-gw"
    assert time.monotonic() - started < 5  # not queued behind the stalled upload
    slow.close()  # the rest never comes
    deadline = time.monotonic() + 10
    while list(uploads.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(uploads.iterdir())  # the partial file is gone
    assert _stored(tenants) == before
