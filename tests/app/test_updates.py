"""The update check as a use case, on SQLite and PostgreSQL, against a real HTTP server on
127.0.0.1 that may be the attacker (the ShadowHammer pattern): a genuine, newer update is
accepted; anything else is refused by reason and leaves no artifact behind."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from installations import NOW, PRODUCT, SECRETS, Vendor, file_key, trusted

from cpstrust.app import truststore, updates
from cpstrust.errors import CpstrustError
from cpstrust.formats.dsse import write_envelope
from cpstrust.model.evidence import ReleaseProvenance, Subject
from cpstrust.model.trust import Refusal, Refused, Role
from cpstrust.trust.release import sign_release


@dataclass(frozen=True, slots=True)
class UpdateServer:
    url: str
    published: Path  # what it serves for PRODUCT


@pytest.fixture
def server(tmp_path: Path) -> Iterator[UpdateServer]:
    """An update server: files under ``root/<product>/`` are what it serves."""
    root = tmp_path / "server"
    (root / PRODUCT).mkdir(parents=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield UpdateServer(f"http://127.0.0.1:{httpd.server_address[1]}", root / PRODUCT)
    httpd.shutdown()
    httpd.server_close()


def publish(vendor: Vendor, server: UpdateServer, version: str, *, key: str = "release",
            product: str = PRODUCT) -> bytes:
    """Sign firmware ``version`` with ``key`` and put it on the server: its bytes."""
    firmware = server.published.parent.parent / "fw.bin"
    firmware.write_bytes(f"\x7fELF firmware {version}".encode())
    vendor.sign(firmware, out=server.published / "release.json", key=key, product=product,
                version=version)
    shutil.copy(firmware, server.published / "fw.bin")
    return firmware.read_bytes()


def check(vendor: Vendor, server: UpdateServer, downloads: Path,
          installed: str = "2.0.0") -> updates.CheckedUpdate | Refused:
    request = updates.UpdateRequest(server.url, PRODUCT, installed, download_to=downloads,
                                    allow_insecure_http=True)
    return updates.check(vendor.services, request, NOW)


def refusal(outcome: object) -> Refusal:
    assert isinstance(outcome, Refused), outcome
    return outcome.reason


def test_a_genuine_newer_update_is_accepted(vendor: Vendor, server: UpdateServer,
                                            tmp_path: Path) -> None:
    firmware = publish(vendor, server, "2.1.0")
    outcome = check(vendor, server, tmp_path / "downloads")
    assert isinstance(outcome, updates.CheckedUpdate)
    assert (outcome.accepted.offered, outcome.artifacts) == ("2.1.0", ("fw.bin",))
    assert (outcome.directory / "fw.bin").read_bytes() == firmware


def test_a_genuinely_signed_older_update_is_refused_as_rollback(
        vendor: Vendor, server: UpdateServer, tmp_path: Path) -> None:
    publish(vendor, server, "1.9.3")  # an old release with a known hole, validly signed
    assert refusal(check(vendor, server, tmp_path / "downloads")) is Refusal.ROLLBACK
    assert not (tmp_path / "downloads" / "fw.bin").exists()


def test_an_artifact_other_than_the_signed_one_is_refused_and_removed(
        vendor: Vendor, server: UpdateServer, tmp_path: Path) -> None:
    publish(vendor, server, "2.1.0")
    (server.published / "fw.bin").write_bytes(b"\x7fELF firmware 2.1.0 + ShadowHammer")
    outcome = check(vendor, server, tmp_path / "downloads")
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH
    assert not (tmp_path / "downloads" / "fw.bin").exists()  # nothing left to install


def test_an_update_for_another_product_is_refused(vendor: Vendor, server: UpdateServer,
                                                  tmp_path: Path) -> None:
    # The release key may now sign any product: only the product asked for protects.
    truststore.trust_key(vendor.services, trusted(vendor.release, Role.RELEASE_SIGNER), NOW)
    publish(vendor, server, "2.1.0", product="hmi-200")
    assert refusal(check(vendor, server, tmp_path / "downloads")) is Refusal.SUBJECT_MISMATCH


def test_an_update_signed_by_a_revoked_key_is_refused(vendor: Vendor, server: UpdateServer,
                                                      tmp_path: Path) -> None:
    publish(vendor, server, "2.1.0")
    truststore.revoke(vendor.services, vendor.release.keyid, "vendor build server compromised",
                      NOW)
    assert refusal(check(vendor, server, tmp_path / "downloads")) is Refusal.REVOKED


def test_an_update_signed_by_an_untrusted_key_is_refused_before_any_download(
        vendor: Vendor, server: UpdateServer, tmp_path: Path) -> None:
    file_key(vendor.services, "attacker")  # in no trust store
    publish(vendor, server, "2.1.0", key="attacker")
    assert refusal(check(vendor, server, tmp_path / "downloads")) is Refusal.UNTRUSTED_SIGNER
    assert not (tmp_path / "downloads" / "fw.bin").exists()  # nothing fetched from an impostor


def test_a_signed_artifact_name_climbing_out_of_the_download_directory_is_refused(
        vendor: Vendor, server: UpdateServer, tmp_path: Path) -> None:
    provenance = ReleaseProvenance(PRODUCT, "2.1.0", "urn:test", NOW, None)
    with vendor.services.keyring.signer("release", SECRETS) as signer:
        envelope = sign_release([Subject("../escaped.bin", {"sha256": "0" * 64})], provenance,
                                [signer])
    (server.published / "release.json").write_bytes(write_envelope(envelope))
    with pytest.raises(CpstrustError, match="unsafe artifact name"):
        check(vendor, server, tmp_path / "downloads")
    assert not (tmp_path / "escaped.bin").exists()


def test_plain_http_is_refused_unless_allowed(vendor: Vendor, server: UpdateServer,
                                              tmp_path: Path) -> None:
    publish(vendor, server, "2.1.0")
    request = updates.UpdateRequest(server.url, PRODUCT, "2.0.0",
                                    download_to=tmp_path / "downloads")
    with pytest.raises(CpstrustError, match="plain HTTP"):
        updates.check(vendor.services, request, NOW)


def test_a_failed_download_leaves_no_unchecked_artifact_behind(
        vendor: Vendor, server: UpdateServer, tmp_path: Path) -> None:
    for name in ("a.bin", "b.bin"):
        (tmp_path / name).write_bytes(f"genuine {name}".encode())
    vendor.sign(tmp_path / "a.bin", tmp_path / "b.bin", out=server.published / "release.json")
    (server.published / "a.bin").write_bytes(b"trojaned a.bin")  # and b.bin is not served
    with pytest.raises(CpstrustError, match="cannot fetch"):
        check(vendor, server, tmp_path / "downloads")
    assert not (tmp_path / "downloads" / "a.bin").exists()
