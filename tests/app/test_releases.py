"""Signed releases as use cases, on SQLite and PostgreSQL: one name is signed once, a
directory's files are its subjects, the SBOM named is bound by its digest, verification
refuses by reason, and a refused import stores nothing."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from installations import NOW, PRODUCT, SECRETS, Vendor, file_key, row_counts, trusted

from cpstrust.app import releases, truststore
from cpstrust.errors import InputError
from cpstrust.formats.dsse import write_envelope
from cpstrust.model.evidence import ResourceDescriptor, VerifiedRelease
from cpstrust.model.trust import Refusal, Refused, Role
from cpstrust.store.tables import (
    ComponentRow,
    EvidenceRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)
from cpstrust.trust.verify import sign_envelope

FIRMWARE = b"\x7fELF firmware 2.1.0"
FILES = {
    "usr/bin/plcd": b"\x7fELF plc daemon 2.1.0",
    "usr/lib/libmodbus.so.5": b"\x7fELF libmodbus 3.1.6",
    "etc/plc.conf": b"scan_ms = 10\n",
}
# What an import may write: a refused one must leave every count as it was.
WRITTEN = (OrganizationRow, ProductRow, ReleaseRow, EvidenceRow, SbomDocumentRow, ComponentRow)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cyclonedx(files: dict[str, bytes]) -> bytes:
    return json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [{"type": "file", "name": path, "bom-ref": f"file-{i}",
                        "hashes": [{"alg": "SHA-256", "content": sha256(data)}]}
                       for i, (path, data) in enumerate(files.items())],
    }).encode()


def tree(root: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def refusal(outcome: object) -> Refusal:
    assert isinstance(outcome, Refused), outcome
    return outcome.reason


@pytest.fixture
def firmware(tmp_path: Path) -> Path:
    path = tmp_path / "fw.bin"
    path.write_bytes(FIRMWARE)
    return path


@pytest.fixture
def sbom(tmp_path: Path) -> Path:
    path = tmp_path / "plc.cdx.json"
    path.write_bytes(cyclonedx(FILES))
    return path


@pytest.mark.parametrize("layout", ["files", "directories"])
def test_two_artifacts_under_one_name_are_refused(vendor: Vendor, tmp_path: Path,
                                                  layout: str) -> None:
    if layout == "files":
        artifacts = [tree(tmp_path / "a", {"fw.bin": b"one"}) / "fw.bin",
                     tree(tmp_path / "b", {"fw.bin": b"another"}) / "fw.bin"]
    else:  # two firmware roots holding one path
        artifacts = [tree(tmp_path / "a", {"fw.bin": b"one"}),
                     tree(tmp_path / "b", {"fw.bin": b"another"})]
    with pytest.raises(InputError) as refused:
        releases.sign(vendor.services, artifacts, key="release", secrets=SECRETS,
                      product=PRODUCT, version="1", sbom=None, at=NOW)
    assert "fw.bin" in refused.value.problem  # the name signed twice, for the user to fix


def test_every_file_of_a_directory_is_a_subject_named_by_its_path(vendor: Vendor,
                                                                  tmp_path: Path) -> None:
    root = tree(tmp_path / "rootfs", FILES)
    (root / "usr/lib/libmodbus.so").symlink_to("libmodbus.so.5")  # a link is no file
    envelope = vendor.sign(root, out=tmp_path / "release.json")
    verified = releases.verify(vendor.services, envelope, at=NOW)
    assert isinstance(verified, VerifiedRelease)
    assert verified.subject_digests == {path: sha256(data) for path, data in FILES.items()}


def test_the_sbom_named_is_bound_by_its_sha256(vendor: Vendor, firmware: Path,
                                               sbom: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"), sbom=sbom)
    verified = releases.verify(vendor.services, envelope, at=NOW)
    assert isinstance(verified, VerifiedRelease)
    assert verified.provenance.sbom == ResourceDescriptor(
        "plc.cdx.json", {"sha256": sha256(sbom.read_bytes())}, "application/vnd.cyclonedx+json")


def test_an_sbom_that_does_not_read_cleanly_is_not_signed(vendor: Vendor, firmware: Path,
                                                          tmp_path: Path) -> None:
    broken = tmp_path / "broken.cdx.json"
    broken.write_bytes(cyclonedx(FILES)[:-20])
    with pytest.raises(InputError) as refused:
        releases.sign(vendor.services, [firmware], key="release", secrets=SECRETS,
                      product=PRODUCT, version="2.1.0", sbom=broken, at=NOW)
    assert refused.value.source == str(broken)


def test_verify_accepts_the_signed_artifact(vendor: Vendor, firmware: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"))
    verified = releases.verify(vendor.services, envelope, artifacts=[firmware],
                               product=PRODUCT, version="2.1.0", at=NOW)
    assert isinstance(verified, VerifiedRelease)
    assert dict(verified.matched_artifacts) == {str(firmware): "fw.bin"}
    assert [k.keyid for k in verified.signers] == [vendor.release.keyid]


def test_verify_refuses_a_modified_artifact(vendor: Vendor, firmware: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"))
    firmware.write_bytes(FIRMWARE + b" with a backdoor")
    outcome = releases.verify(vendor.services, envelope, artifacts=[firmware], at=NOW)
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH


def test_verify_refuses_a_release_outside_the_key_s_scope(vendor: Vendor,
                                                          firmware: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"), product="hmi-200")
    outcome = releases.verify(vendor.services, envelope, at=NOW)
    assert refusal(outcome) is Refusal.OUT_OF_SCOPE


def test_verify_refuses_a_revoked_key_naming_why(vendor: Vendor, firmware: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"))
    truststore.revoke(vendor.services, vendor.release.keyid, "signing server breached", NOW)
    outcome = releases.verify(vendor.services, envelope, at=NOW)
    assert refusal(outcome) is Refusal.REVOKED
    assert isinstance(outcome, Refused) and "signing server breached" in outcome.detail


def test_verify_refuses_an_expired_key(vendor: Vendor, firmware: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"))
    key = trusted(vendor.release, Role.RELEASE_SIGNER, scopes=[PRODUCT],
                  not_after=NOW + timedelta(days=1))
    truststore.trust_key(vendor.services, key, NOW)
    assert isinstance(releases.verify(vendor.services, envelope, at=NOW), VerifiedRelease)
    outcome = releases.verify(vendor.services, envelope, at=NOW + timedelta(days=2))
    assert refusal(outcome) is Refusal.EXPIRED


def test_import_keeps_the_release_as_evidence_with_the_sbom_it_signed(
        vendor: Vendor, firmware: Path, sbom: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"), sbom=sbom)
    done = releases.import_signed(vendor.services, envelope, sbom_path=sbom,
                                  supplier="Vendor KK", at=NOW)
    assert isinstance(done, releases.ReleaseImport)
    assert (done.release.product, done.version) == (PRODUCT, "2.1.0")
    assert done.sbom is not None and done.sbom.components == len(FILES)
    assert row_counts(vendor.services.store, EvidenceRow, SbomDocumentRow, ReleaseRow) == {
        "EvidenceRow": 1, "SbomDocumentRow": 1, "ReleaseRow": 1}


def test_import_refuses_an_sbom_other_than_the_signed_one_and_stores_nothing(
        vendor: Vendor, firmware: Path, sbom: Path, tmp_path: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"), sbom=sbom)
    other = tmp_path / "other.cdx.json"
    other.write_bytes(cyclonedx({"etc/plc.conf": b"x"}))
    before = row_counts(vendor.services.store, *WRITTEN)
    outcome = releases.import_signed(vendor.services, envelope, sbom_path=other,
                                     supplier="Vendor KK", at=NOW)
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH
    assert row_counts(vendor.services.store, *WRITTEN) == before


def test_import_refuses_an_sbom_for_a_release_that_names_none(
        vendor: Vendor, firmware: Path, sbom: Path) -> None:
    envelope = vendor.sign(firmware, out=firmware.with_name("release.json"))
    before = row_counts(vendor.services.store, *WRITTEN)
    outcome = releases.import_signed(vendor.services, envelope, sbom_path=sbom,
                                     supplier="Vendor KK", at=NOW)
    assert refusal(outcome) is Refusal.SUBJECT_MISMATCH
    assert row_counts(vendor.services.store, *WRITTEN) == before


def test_import_of_an_untrusted_release_stores_nothing(vendor: Vendor, firmware: Path) -> None:
    file_key(vendor.services, "stranger")
    envelope = vendor.sign(firmware, out=firmware.with_name("forged.json"), key="stranger")
    before = row_counts(vendor.services.store, *WRITTEN)
    outcome = releases.import_signed(vendor.services, envelope, supplier="Vendor KK", at=NOW)
    assert refusal(outcome) is Refusal.UNTRUSTED_SIGNER
    assert row_counts(vendor.services.store, *WRITTEN) == before


def test_import_of_a_statement_naming_subject_twice_stores_nothing(
        vendor: Vendor, firmware: Path) -> None:
    genuine = json.loads(vendor.sign(firmware, out=firmware.with_name("genuine.json"))
                         .read_bytes())
    statement = orjson.dumps(orjson.loads(base64.b64decode(genuine["payload"])))
    evil = [{"name": "evil.bin", "digest": {"sha256": sha256(b"\x7fELF not the firmware")}}]
    twice = statement[:-1] + b',"subject":' + orjson.dumps(evil) + b"}"
    with vendor.services.keyring.signer("release", SECRETS) as signer:
        resigned = sign_envelope(genuine["payloadType"], twice, [signer])
    envelope = firmware.with_name("release.json")
    envelope.write_bytes(write_envelope(resigned))
    before = row_counts(vendor.services.store, *WRITTEN)
    outcome = releases.import_signed(vendor.services, envelope, supplier="Vendor KK", at=NOW)
    assert refusal(outcome) is Refusal.MALFORMED
    assert row_counts(vendor.services.store, *WRITTEN) == before
