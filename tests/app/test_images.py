"""Firmware image verification as a use case, on SQLite and PostgreSQL: what declares an
image's contents (the signed subjects, the SBOM the release signed, or the stored SBOM
with its digest), and the findings when the image is not what was declared."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from installations import NOW, PRODUCT, Vendor

from cpstrust.app import releases, sboms
from cpstrust.app.images import ImageCheck, verify_image
from cpstrust.model.advisory import Severity
from cpstrust.model.authenticity import FindingKind, ImageVerdict
from cpstrust.model.trust import Refusal, Refused

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 9
FILES = {
    "usr/bin/plcd": ELF + b"plc daemon 2.1.0",
    "usr/lib/libmodbus.so.5": ELF + b"libmodbus 3.1.6",
    "etc/plc.conf": b"scan_ms = 10\n",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cyclonedx(files: dict[str, bytes]) -> bytes:
    return json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "firmware", "name": PRODUCT, "version": "2.1.0"}},
        "components": [{"type": "file", "name": path, "bom-ref": f"file-{i}",
                        "hashes": [{"alg": "SHA-256", "content": sha256(data)}]}
                       for i, (path, data) in enumerate(files.items())],
    }).encode()


def checked(outcome: ImageCheck | Refused) -> ImageCheck:
    assert isinstance(outcome, ImageCheck), outcome
    return outcome


def findings(outcome: ImageCheck | Refused) -> list[tuple[FindingKind, str, Severity]]:
    return [(f.kind, f.path, f.severity) for f in checked(outcome).appraisal.findings]


@pytest.fixture
def rootfs(tmp_path: Path) -> Path:
    root = tmp_path / "rootfs"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


@pytest.fixture
def sbom(tmp_path: Path) -> Path:
    path = tmp_path / "plc.cdx.json"
    path.write_bytes(cyclonedx(FILES))
    return path


@pytest.fixture
def tree_release(vendor: Vendor, rootfs: Path, sbom: Path, tmp_path: Path) -> Path:
    """The release signed over the firmware tree (every file a subject) and its SBOM."""
    return vendor.sign(rootfs, out=tmp_path / "tree.release.json", sbom=sbom)


@pytest.fixture
def image(rootfs: Path, tmp_path: Path) -> Path:
    """The firmware tree as one image file."""
    path = tmp_path / "plc-4000-2.1.0.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        tar.add(rootfs, arcname=".")
    return path


@pytest.fixture
def image_release(vendor: Vendor, image: Path, sbom: Path, tmp_path: Path) -> Path:
    """The release signed over the image file itself, naming the SBOM of its contents."""
    return vendor.sign(image, out=tmp_path / "image.release.json", sbom=sbom)


def test_a_genuine_tree_is_genuine(vendor: Vendor, rootfs: Path, tree_release: Path,
                                   sbom: Path) -> None:
    done = checked(verify_image(vendor.services, rootfs, release_file=tree_release,
                                sbom_file=sbom, product=PRODUCT, at=NOW))
    assert done.appraisal.verdict is ImageVerdict.GENUINE and done.sbom_used
    assert (done.appraisal.files_measured, done.appraisal.files_declared) == (3, 3)


def test_without_an_sbom_the_subjects_are_the_image_s_files(vendor: Vendor, rootfs: Path,
                                                            tree_release: Path) -> None:
    genuine = checked(verify_image(vendor.services, rootfs, release_file=tree_release, at=NOW))
    assert genuine.appraisal.verdict is ImageVerdict.GENUINE and not genuine.sbom_used
    assert genuine.appraisal.files_declared == len(FILES)
    (rootfs / "etc/plc.conf").write_bytes(b"scan_ms = 1\n")
    changed = verify_image(vendor.services, rootfs, release_file=tree_release, at=NOW)
    assert findings(changed) == [(FindingKind.MODIFIED, "etc/plc.conf", Severity.HIGH)]


def test_a_tar_of_the_signed_tree_is_checked_against_its_subjects(
        vendor: Vendor, image: Path, tree_release: Path) -> None:
    done = checked(verify_image(vendor.services, image, release_file=tree_release, at=NOW))
    assert done.appraisal.verdict is ImageVerdict.GENUINE
    assert done.appraisal.files_declared == len(FILES)


def test_when_the_image_file_is_the_signed_subject_the_sbom_alone_declares_its_contents(
        vendor: Vendor, image: Path, image_release: Path, sbom: Path) -> None:
    done = checked(verify_image(vendor.services, image, release_file=image_release,
                                sbom_file=sbom, at=NOW))
    # The image's own name is no path inside it: it is neither declared nor missing.
    assert done.appraisal.verdict is ImageVerdict.GENUINE
    assert done.appraisal.files_declared == len(FILES)
    without = verify_image(vendor.services, image, release_file=image_release, at=NOW)
    assert checked(without).sbom_used is False
    assert {(kind, path) for kind, path, _ in findings(without)} == {
        (FindingKind.UNLISTED, path) for path in FILES}


def test_an_sbom_other_than_the_signed_one_is_refused(vendor: Vendor, rootfs: Path,
                                                      tree_release: Path,
                                                      tmp_path: Path) -> None:
    other = tmp_path / "other.cdx.json"
    other.write_bytes(cyclonedx({"etc/plc.conf": b"x"}))
    outcome = verify_image(vendor.services, rootfs, release_file=tree_release,
                           sbom_file=other, at=NOW)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.SUBJECT_MISMATCH


def test_an_sbom_for_a_release_that_names_none_is_refused(vendor: Vendor, rootfs: Path,
                                                          sbom: Path, tmp_path: Path) -> None:
    release = vendor.sign(rootfs, out=tmp_path / "no-sbom.release.json")
    outcome = verify_image(vendor.services, rootfs, release_file=release, sbom_file=sbom,
                           at=NOW)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.SUBJECT_MISMATCH


def test_a_release_of_another_product_is_refused(vendor: Vendor, rootfs: Path,
                                                 tree_release: Path) -> None:
    outcome = verify_image(vendor.services, rootfs, release_file=tree_release,
                           product="hmi-200", at=NOW)
    assert isinstance(outcome, Refused) and outcome.reason is Refusal.SUBJECT_MISMATCH


def test_without_an_sbom_the_stored_sbom_with_the_signed_digest_is_used(
        vendor: Vendor, image: Path, image_release: Path, sbom: Path) -> None:
    imported = releases.import_signed(vendor.services, image_release, sbom_path=sbom,
                                      supplier="Vendor KK", at=NOW)
    assert isinstance(imported, releases.ReleaseImport)
    done = checked(verify_image(vendor.services, image, release_file=image_release, at=NOW))
    assert done.sbom_used and done.appraisal.verdict is ImageVerdict.GENUINE


def test_a_stored_sbom_the_release_did_not_sign_is_not_used(
        vendor: Vendor, image: Path, image_release: Path, tmp_path: Path) -> None:
    # Stored for the very product and version, but its digest is not the signed one.
    unsigned = tmp_path / "unsigned.cdx.json"
    unsigned.write_bytes(cyclonedx(FILES).replace(b'"version": 1', b'"version": 2'))
    sboms.import_sbom(vendor.services, unsigned, product=PRODUCT, version="2.1.0",
                      supplier="Vendor KK")
    done = checked(verify_image(vendor.services, image, release_file=image_release, at=NOW))
    assert not done.sbom_used
    assert done.appraisal.verdict is ImageVerdict.UNLISTED


def test_a_modified_executable_is_a_critical_finding(vendor: Vendor, rootfs: Path,
                                                     tree_release: Path, sbom: Path) -> None:
    (rootfs / "usr/lib/libmodbus.so.5").write_bytes(ELF + b"libmodbus with implant")
    outcome = verify_image(vendor.services, rootfs, release_file=tree_release, sbom_file=sbom,
                           at=NOW)
    assert checked(outcome).appraisal.verdict is ImageVerdict.MODIFIED
    assert findings(outcome) == [(FindingKind.MODIFIED, "usr/lib/libmodbus.so.5",
                                  Severity.CRITICAL)]


def test_an_unlisted_executable_ranks_above_unlisted_data(vendor: Vendor, rootfs: Path,
                                                          tree_release: Path,
                                                          sbom: Path) -> None:
    (rootfs / "usr/bin/remote-helper").write_bytes(ELF + b"undeclared vendor tool")
    (rootfs / "etc/notes.txt").write_bytes(b"hello")
    outcome = verify_image(vendor.services, rootfs, release_file=tree_release, sbom_file=sbom,
                           at=NOW)
    assert checked(outcome).appraisal.verdict is ImageVerdict.UNLISTED
    assert findings(outcome) == [(FindingKind.UNLISTED, "usr/bin/remote-helper", Severity.HIGH),
                                 (FindingKind.UNLISTED, "etc/notes.txt", Severity.LOW)]


def test_a_missing_file_is_found(vendor: Vendor, rootfs: Path, tree_release: Path) -> None:
    (rootfs / "etc/plc.conf").unlink()
    outcome = verify_image(vendor.services, rootfs, release_file=tree_release, at=NOW)
    assert checked(outcome).appraisal.verdict is ImageVerdict.MISSING
    assert findings(outcome) == [(FindingKind.MISSING, "etc/plc.conf", Severity.MEDIUM)]
