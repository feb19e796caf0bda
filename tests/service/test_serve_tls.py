"""A real uvicorn on 127.0.0.1 with a throwaway certificate: the API over TLS, and an
oversized upload refused with 413 before its body is read whole."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from tenants import Tenants
from threaded_server import free_port, serving

from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.model.identity import Role
from cpstrust.service.api import ServiceSettings, create_app

LIMIT = 1024 * 1024


def _certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def server(tenants: Tenants, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    cert, key = _certificate(tmp_path)
    port = free_port()
    settings = ServiceSettings(limits=replace(DEFAULT_LIMITS, max_bytes=LIMIT),
                               upload_dir=tmp_path)
    with serving(create_app(tenants.services, settings), port, ssl_certfile=str(cert),
                 ssl_keyfile=str(key)):
        yield port, cert


def _tls_socket(port: int, cert: Path) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(cert))
    return context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                               server_hostname="127.0.0.1")


def test_the_api_answers_over_tls(server: tuple[int, Path], tenants: Tenants) -> None:
    port, cert = server
    with httpx.Client(verify=ssl.create_default_context(cafile=str(cert))) as client:
        response = client.get(f"https://127.0.0.1:{port}/api/v1/products",
                              headers=tenants.auth("X"))
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["items"]] == ["a-hub"]


def _answer(sock: ssl.SSLSocket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_an_announced_oversize_body_is_refused_before_it_is_sent(
        server: tuple[int, Path], tenants: Tenants) -> None:
    port, cert = server
    key = tenants.keys[("A", Role.UPLOADER)]
    with _tls_socket(port, cert) as sock:
        sock.sendall(f"POST /api/v1/sboms?product=a-big&version=1 HTTP/1.1\r\n"
                     f"Host: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
                     f"Content-Type: application/json\r\nContent-Length: {10 * LIMIT}\r\n"
                     f"\r\n".encode())
        sock.sendall(b"{" + b" " * 1000)  # a thousandth of what was announced
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"application/problem+json" in answer


def test_a_chunked_body_growing_past_the_limit_is_refused_as_it_crosses(
        server: tuple[int, Path], tenants: Tenants, tmp_path: Path) -> None:
    port, cert = server
    key = tenants.keys[("A", Role.UPLOADER)]
    chunk = b" " * 65536
    with _tls_socket(port, cert) as sock:
        sock.sendall(f"POST /api/v1/sboms?product=a-big&version=1 HTTP/1.1\r\n"
                     f"Host: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
                     f"Transfer-Encoding: chunked\r\n\r\n".encode())
        sent = 0
        while sent <= LIMIT + len(chunk):  # just past the limit, never the terminator
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert not list(tmp_path.glob("upload-*"))  # the partial file is gone
