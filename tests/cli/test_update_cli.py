"""`cpstrust update check` against a real HTTP server on 127.0.0.1: exit 0 with its JSON
for an accepted update, 1 with the reason for a refused one, 2 for an unreachable server
or plain HTTP not allowed. Why an update is refused is tested in tests/app/test_updates.py."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import ok, run


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An update server: files under ``root/<product>/`` are what it serves."""
    root = tmp_path / "server"
    (root / "plc-4000").mkdir(parents=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root / "plc-4000"
    httpd.shutdown()
    httpd.server_close()


def publish(published: Path, version: str) -> None:
    Path("fw.bin").write_bytes(f"\x7fELF firmware {version}".encode())
    ok("release", "sign", "fw.bin", "--key", "release", "--product", "plc-4000", "--version",
       version, "--out", "release.json")
    shutil.copy("release.json", published / "release.json")
    shutil.copy("fw.bin", published / "fw.bin")


def check(base: str, installed: str = "2.0.0") -> tuple[int, dict[str, object]]:
    code, out, _ = run("update", "check", "--server", base, "--product", "plc-4000",
                       "--installed", installed, "--allow-http", "--download", "downloads",
                       "--format", "json")
    return code, json.loads(out) if out.strip() else {}


def test_genuine_newer_update_is_accepted(vendor: Path, server: tuple[str, Path]) -> None:
    base, published = server
    publish(published, "2.1.0")
    code, report = check(base)
    assert code == 0
    assert set(report) == {"accepted", "product", "installed", "offered", "directory",
                           "artifacts", "signers"}
    assert (report["accepted"], report["offered"], report["artifacts"]) == (True, "2.1.0",
                                                                           ["fw.bin"])
    assert Path("downloads/fw.bin").read_bytes() == (published / "fw.bin").read_bytes()


def test_genuinely_signed_older_update_is_refused_as_rollback(
    vendor: Path, server: tuple[str, Path]
) -> None:
    base, published = server
    publish(published, "1.9.3")  # an old release with a known hole, validly signed
    code, report = check(base, installed="2.0.0")
    assert code == 1
    assert set(report) == {"accepted", "reason", "detail"}
    assert (report["accepted"], report["reason"]) == (False, "rollback")


def test_unreachable_server_exits_2(vendor: Path) -> None:
    code, _, err = run("update", "check", "--server", "http://127.0.0.1:9", "--product",
                       "plc-4000", "--installed", "1", "--allow-http")
    assert code == 2 and "cannot fetch" in err


def test_plain_http_is_refused_without_allow_http(vendor: Path) -> None:
    code, _, err = run("update", "check", "--server", "http://127.0.0.1:9", "--product",
                       "plc-4000", "--installed", "1")
    assert code == 2 and "plain HTTP" in err
