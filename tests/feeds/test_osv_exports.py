"""fetch_exports against a real HTTP(S) server on 127.0.0.1 serving zips of real advisories."""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import os
import re
import ssl
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from cpstrust import __version__
from cpstrust.cli.i18n import error_line
from cpstrust.feeds.osv_exports import (
    STATE_FILE_NAME,
    FetchResult,
    Progress,
    export_path,
    fetch_exports,
)
from cpstrust.messages import Lang
from cpstrust.remote.http import FetchError, default_opener

LIMIT = 256 * 1024  # max_bytes in these tests; every real-data zip here is far smaller
STALL_SECONDS = 5.0  # upper bound on how long a "stall" handler keeps its thread


# --- a small OSV-like export server -------------------------------------------------------


@dataclass
class Export:
    body: bytes
    etag: str | None
    last_modified: str
    mode: str = "ok"  # ok | truncate | no-length | stall | status | redirect
    status: int = 200
    location: str = ""


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    status: int
    body_bytes: int


@dataclass
class Site:
    url: str = ""
    exports: dict[str, Export] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    clock: int = 1_700_000_000

    def publish(self, ecosystem: str, body: bytes, *, etag: bool = True, mode: str = "ok",
                status: int = 200, location: str = "") -> Export:
        """Serve ``body`` at /<ecosystem>/all.zip with fresh validators."""
        self.clock += 60
        export = Export(body, f'"{hashlib.sha256(body).hexdigest()[:16]}"' if etag else None,
                        formatdate(self.clock, usegmt=True), mode, status, location)
        self.exports[f"/{ecosystem.replace(' ', '%20')}/all.zip"] = export
        return export

    def hits_for(self, ecosystem: str) -> list[Hit]:
        return [h for h in self.hits if h.path == f"/{ecosystem}/all.zip"]


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        export = self.site.exports.get(self.path)
        if export is None:
            self._respond(404, {}, b"no such export")
        elif export.mode == "status":
            self._respond(export.status, {}, b"server says no")
        elif export.mode == "redirect":
            self._respond(302, {"Location": export.location}, b"")
        elif self._not_modified(export):
            self._respond(304, self._validators(export), b"")
        else:
            self._send_export(export)

    def _not_modified(self, export: Export) -> bool:
        # RFC 9110: If-None-Match wins; If-Modified-Since counts only without it.
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return export.etag is not None and if_none_match == export.etag
        since = self.headers.get("If-Modified-Since")
        return since is not None and (
            parsedate_to_datetime(since) >= parsedate_to_datetime(export.last_modified))

    def _send_export(self, export: Export) -> None:
        headers = self._validators(export)
        if export.mode != "no-length":
            headers["Content-Length"] = str(len(export.body))
        sent = export.body[: len(export.body) // 2] if export.mode in ("truncate", "stall") \
            else export.body
        self._respond(200, headers, sent)
        if export.mode == "stall":
            self.site.release.wait(STALL_SECONDS)  # the client must give up first

    def _respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        # Logged before answering: the client may send its next request before this
        # thread runs again, and the log must keep the order the client saw.
        self.site.hits.append(Hit(self.path, dict(self.headers), status, len(body)))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    @staticmethod
    def _validators(export: Export) -> dict[str, str]:
        found = {"ETag": export.etag, "Last-Modified": export.last_modified}
        return {k: v for k, v in found.items() if v is not None}

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@contextmanager
def running_site(tls: ssl.SSLContext | None = None) -> Iterator[Site]:
    site = Site()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    site.url = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=STALL_SECONDS)


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy from the environment would swallow requests meant for 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as served:
        yield served


@dataclass(frozen=True)
class Zips:
    pypi: tuple[bytes, bytes]  # (first version, a later version with one more advisory)
    go: tuple[bytes, bytes]
    go_stored_corrupt: bytes  # central directory sound, first member fails its CRC


def _zip_of(members: dict[str, bytes], *, stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _osv_members(advisories: Path, kind: str, count: int) -> dict[str, bytes]:
    """``count`` real advisories as OSV JSON members, named as in the OSV exports."""
    if kind == "go":
        files = sorted((advisories / "go-vulndb" / "osv").glob("GO-*.json"))[:count]
        return {f.name: f.read_bytes() for f in files}
    files = sorted((advisories / "pypa" / "vulns").glob("*/PYSEC-*.yaml"))[:count]
    return {f"{f.stem}.json": json.dumps(yaml.safe_load(f.read_text("utf-8")),
                                         default=str).encode() for f in files}


@pytest.fixture(scope="module")
def zips(shared_data: Path) -> Zips:
    advisories = shared_data / "advisories"
    pypi, go = (_osv_members(advisories, kind, 4) for kind in ("pypi", "go"))
    made = Zips(pypi=(_zip_of(dict(list(pypi.items())[:3])), _zip_of(pypi)),
                go=(_zip_of(dict(list(go.items())[:3])), _zip_of(go)),
                go_stored_corrupt=_flip_first_member_byte(_zip_of(go, stored=True)))
    assert all(0 < len(z) < LIMIT for z in (*made.pypi, *made.go))
    return made


def _flip_first_member_byte(archive: bytes) -> bytes:
    data = bytearray(archive)
    first = zipfile.ZipFile(io.BytesIO(archive)).infolist()[0]
    data[first.header_offset + 30 + len(first.filename) + 10] ^= 0xFF  # 30: local header
    return bytes(data)


def fetch(site: Site, cache: Path, ecosystems: list[str], *, timeout: float = 2,
          progress: Progress | None = None) -> FetchResult:
    return fetch_exports(site.url, ecosystems, cache, allow_insecure_http=True,
                         timeout=timeout, max_bytes=LIMIT, progress=progress)


def snapshot(cache: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in the cache with its bytes, mtime and inode: os.replace changes these."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
            for p in sorted(cache.iterdir())}


def state_of(cache: Path) -> dict[str, dict[str, object]]:
    entries: dict[str, dict[str, object]] = json.loads(
        (cache / STATE_FILE_NAME).read_bytes())["ecosystems"]
    return entries


# --- conditional fetching -----------------------------------------------------------------


def test_first_fetch_downloads_every_export_and_remembers_validators(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    pypi, go = site.publish("PyPI", zips.pypi[0]), site.publish("Go", zips.go[0])

    result = fetch_exports(site.url, ["PyPI", "Go"], tmp_path, allow_insecure_http=True,
                           timeout=2)

    assert [(e.ecosystem, e.status) for e in result.exports] == [
        ("PyPI", "updated"), ("Go", "updated")]
    assert result.updated == ("PyPI", "Go")
    for export, served in zip(result.exports, (pypi, go), strict=True):
        assert export.path == export_path(tmp_path, export.ecosystem)
        assert export.path.read_bytes() == served.body
        assert export.size == len(served.body)
        assert (export.etag, export.last_modified) == (served.etag, served.last_modified)
        assert datetime.fromisoformat(export.fetched_at).utcoffset() == timedelta(0)
        assert state_of(tmp_path)[export.ecosystem]["etag"] == served.etag
    assert {h.headers["User-Agent"] for h in site.hits} == {f"cpstrust/{__version__}"}
    assert not any("If-None-Match" in h.headers for h in site.hits)


def test_second_fetch_sends_conditions_and_gets_304_without_a_body(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    served = site.publish("PyPI", zips.pypi[0])
    first = fetch(site, tmp_path, ["PyPI"])
    before = snapshot(tmp_path)

    second = fetch(site, tmp_path, ["PyPI"])

    hit = site.hits_for("PyPI")[-1]
    assert hit.headers["If-None-Match"] == served.etag
    assert hit.headers["If-Modified-Since"] == served.last_modified
    assert (hit.status, hit.body_bytes) == (304, 0)
    assert second.exports[0].status == "unchanged"
    assert second.exports[0].fetched_at == first.exports[0].fetched_at
    assert snapshot(tmp_path) == before  # neither the zip nor the state file was rewritten


def test_last_modified_alone_is_enough_for_a_304(site: Site, zips: Zips, tmp_path: Path) -> None:
    site.publish("Go", zips.go[0], etag=False)
    fetch(site, tmp_path, ["Go"])

    result = fetch(site, tmp_path, ["Go"])

    assert "If-None-Match" not in site.hits[-1].headers
    assert site.hits[-1].status == 304
    assert result.exports[0].status == "unchanged"


def test_changed_export_on_the_server_is_downloaded_again(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("PyPI", zips.pypi[0])
    site.publish("Go", zips.go[0])
    fetch(site, tmp_path, ["PyPI", "Go"])
    changed = site.publish("PyPI", zips.pypi[1])

    result = fetch(site, tmp_path, ["PyPI", "Go"])

    assert [e.status for e in result.exports] == ["updated", "unchanged"]
    assert export_path(tmp_path, "PyPI").read_bytes() == zips.pypi[1]
    assert export_path(tmp_path, "Go").read_bytes() == zips.go[0]
    assert state_of(tmp_path)["PyPI"]["etag"] == changed.etag
    assert site.hits_for("PyPI")[-1].body_bytes == len(zips.pypi[1])


def test_deleted_cached_zip_is_fetched_without_conditions(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("Go", zips.go[0])
    fetch(site, tmp_path, ["Go"])
    export_path(tmp_path, "Go").unlink()

    result = fetch(site, tmp_path, ["Go"])

    assert "If-None-Match" not in site.hits[-1].headers  # a 304 would leave us with no file
    assert result.exports[0].status == "updated"
    assert export_path(tmp_path, "Go").read_bytes() == zips.go[0]


def test_unreadable_state_file_means_a_full_download(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("Go", zips.go[0])
    fetch(site, tmp_path, ["Go"])
    (tmp_path / STATE_FILE_NAME).write_text("{not json", encoding="utf-8")

    result = fetch(site, tmp_path, ["Go"])

    assert result.exports[0].status == "updated"
    assert state_of(tmp_path)["Go"]["size"] == len(zips.go[0])


def test_progress_reports_bytes_so_far_and_content_length(
    site: Site, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("Go", zips.go[0])
    calls: list[tuple[str, int, int | None]] = []

    fetch(site, tmp_path, ["Go"], progress=lambda *args: calls.append(args))

    assert calls[0] == ("Go", 0, len(zips.go[0]))
    assert calls[-1] == ("Go", len(zips.go[0]), len(zips.go[0]))
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_ecosystem_names_are_url_quoted(site: Site, zips: Zips, tmp_path: Path) -> None:
    site.publish("Rocky Linux", zips.go[0])

    result = fetch(site, tmp_path, ["Rocky Linux"])

    assert site.hits[-1].path == "/Rocky%20Linux/all.zip"
    assert result.exports[0].path == tmp_path / "Rocky%20Linux.zip"


def test_path_traversal_ecosystem_name_is_refused(site: Site, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="invalid ecosystem name") as raised:
        fetch(site, tmp_path, [".."])
    assert site.hits == []
    assert error_line(raised.value, Lang.EN) == (  # the CLI adds its hint by code
        "invalid ecosystem name '..' (use the name as OSV writes it, e.g. PyPI, Go, npm)")
    assert error_line(raised.value, Lang.JA) == (
        "エコシステム名 '..' が不正です "
        "(OSV の表記どおりの名前を指定してください(例: PyPI、Go、npm))")


# --- all or nothing -----------------------------------------------------------------------


# Each case: how the server misbehaves for Go, and the problem FetchError must name.
FAILURES: dict[str, tuple[Callable[[Site, Zips], object], str]] = {
    "http-404": (lambda s, z: s.exports.pop("/Go/all.zip"), "HTTP 404"),
    "http-500": (lambda s, z: s.publish("Go", b"", mode="status", status=500), "HTTP 500"),
    "truncated-body": (lambda s, z: s.publish("Go", z.go[1], mode="truncate"), "truncated"),
    "not-a-zip": (lambda s, z: s.publish("Go", b"<html>maintenance</html>"), "not a readable zip"),
    "corrupt-zip-member": (lambda s, z: s.publish("Go", z.go_stored_corrupt), "is corrupt"),
    "zip-bomb": (lambda s, z: s.publish("Go", _zip_of({"GO-0.json": bytes(8 * 1024**2)})),
                 "over 200x"),
    "oversized-by-content-length": (
        lambda s, z: s.publish("Go", _zip_of({"x": os.urandom(LIMIT)}, stored=True)),
        "Content-Length is"),
    "oversized-without-content-length": (
        lambda s, z: s.publish("Go", _zip_of({"x": os.urandom(LIMIT)}, stored=True),
                               mode="no-length"), "body passed"),
    "stalled-server": (lambda s, z: s.publish("Go", z.go[1], mode="stall"), "timed out"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_failing_ecosystem_leaves_cache_and_state_exactly_as_before(
    case: str, site: Site, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("PyPI", zips.pypi[0])
    site.publish("Go", zips.go[0])
    fetch(site, tmp_path, ["PyPI", "Go"])
    before = snapshot(tmp_path)
    site.publish("PyPI", zips.pypi[1])  # fetched and staged fine, then must be thrown away
    break_go, problem = FAILURES[case]
    break_go(site, zips)

    with pytest.raises(FetchError, match=problem) as raised:
        fetch(site, tmp_path, ["PyPI", "Go"], timeout=0.5)

    assert raised.value.source == f"{site.url}/Go/all.zip"
    assert f"{site.url}/Go/all.zip" in str(raised.value)
    assert site.hits_for("PyPI")[-1].body_bytes == len(zips.pypi[1])  # PyPI was downloaded
    assert snapshot(tmp_path) == before  # ...yet no zip, state or temp file changed


# --- transport security -------------------------------------------------------------------


def test_plain_http_is_refused_without_the_flag(site: Site, zips: Zips, tmp_path: Path) -> None:
    site.publish("Go", zips.go[0])
    cache = tmp_path / "cache"

    with pytest.raises(FetchError, match="refusing plain HTTP") as raised:
        fetch_exports(site.url, ["Go"], cache, timeout=2)

    assert raised.value.source == site.url
    assert site.hits == []
    assert not cache.exists()


def test_non_http_schemes_are_refused_even_with_the_flag(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="not an HTTPS URL"):
        fetch_exports("file:///etc", ["Go"], tmp_path, allow_insecure_http=True)


@dataclass(frozen=True)
class SelfSigned:
    server: ssl.SSLContext
    trusting_client: ssl.SSLContext


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> SelfSigned:
    """A certificate for 127.0.0.1 that no system trust store knows."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    return SelfSigned(server, ssl.create_default_context(cafile=str(cert)))


@pytest.fixture
def tls_site(self_signed: SelfSigned) -> Iterator[Site]:
    with running_site(self_signed.server) as served:
        yield served


def test_https_certificate_is_verified_by_default(
    tls_site: Site, zips: Zips, tmp_path: Path,
) -> None:
    tls_site.publish("Go", zips.go[0])

    with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        fetch_exports(tls_site.url, ["Go"], tmp_path, timeout=2)

    assert list(tmp_path.iterdir()) == []


def test_https_with_a_trusted_private_ca_fetches(
    tls_site: Site, self_signed: SelfSigned, zips: Zips, tmp_path: Path,
) -> None:
    tls_site.publish("Go", zips.go[0])

    result = fetch_exports(tls_site.url, ["Go"], tmp_path, timeout=2,
                           opener=default_opener(tls_context=self_signed.trusting_client))

    assert result.exports[0].status == "updated"
    assert export_path(tmp_path, "Go").read_bytes() == zips.go[0]


def test_redirect_from_https_to_plain_http_is_refused(
    tls_site: Site, site: Site, self_signed: SelfSigned, zips: Zips, tmp_path: Path,
) -> None:
    site.publish("Go", zips.go[0])
    tls_site.publish("Go", b"", mode="redirect", location=f"{site.url}/Go/all.zip")

    refused = rf"redirect to {re.escape(site.url)}/Go/all\.zip refused"
    with pytest.raises(FetchError, match=refused):
        fetch_exports(tls_site.url, ["Go"], tmp_path, timeout=2,
                      opener=default_opener(tls_context=self_signed.trusting_client))

    assert site.hits == []
    assert list(tmp_path.iterdir()) == []
