"""`cpstrust image verify` and `release import` on a firmware tree signed as a release:
exit codes and JSON keys. What makes an image genuine, and which SBOM declares it, is
tested in tests/app/test_images.py."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from clirun import ok, run

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 9


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


FILES = {
    "usr/bin/plcd": ELF + b"plc daemon 2.1.0",
    "usr/lib/libmodbus.so.5": ELF + b"libmodbus 3.1.6",
    "etc/plc.conf": b"scan_ms = 10\n",
}


def cyclonedx(files: dict[str, bytes]) -> dict[str, object]:
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "firmware", "name": "plc-4000", "version": "2.1.0"}},
        "components": [
            {"type": "file", "name": path, "bom-ref": f"file-{i}",
             "hashes": [{"alg": "SHA-256", "content": sha(data)}]}
            for i, (path, data) in enumerate(files.items())
        ],
    }


@pytest.fixture
def firmware(vendor: Path) -> Path:
    """A firmware tree, its SBOM, and the release signed over both."""
    root = vendor / "rootfs"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    Path("plc.cdx.json").write_text(json.dumps(cyclonedx(FILES)))
    ok("release", "sign", "rootfs", "--key", "release", "--product", "plc-4000", "--version",
       "2.1.0", "--sbom", "plc.cdx.json", "--out", "release.json")
    return root


def verify(image: str, *extra: str) -> tuple[int, dict[str, object]]:
    code, out, _ = run("image", "verify", image, "--release", "release.json", *extra,
                       "--format", "json")
    return code, json.loads(out)


def kinds(report: dict[str, object]) -> list[tuple[str, str, str]]:
    return [(f["kind"], f["path"], f["severity"]) for f in report["findings"]]  # type: ignore[attr-defined,index]


def test_genuine_tree_exits_0_with_the_json_keys(firmware: Path) -> None:
    code, report = verify("rootfs", "--sbom", "plc.cdx.json")
    assert code == 0
    assert set(report) == {"verdict", "product", "version", "signers", "sbom_used",
                           "files_measured", "files_declared", "findings"}
    assert report["verdict"] == "GENUINE" and report["findings"] == []
    assert report["files_measured"] == 3


def test_modified_image_exits_1_with_its_findings(firmware: Path) -> None:
    (firmware / "usr/lib/libmodbus.so.5").write_bytes(ELF + b"libmodbus with implant")
    code, report = verify("rootfs", "--sbom", "plc.cdx.json")
    assert code == 1 and report["verdict"] == "MODIFIED"
    assert kinds(report) == [("MODIFIED", "usr/lib/libmodbus.so.5", "critical")]
    assert set(report["findings"][0]) == {  # type: ignore[index]
        "kind", "path", "severity", "expected", "actual", "executable", "reason"}


def test_tar_with_path_traversal_is_refused_as_bad_input(firmware: Path) -> None:
    with tarfile.open("evil.tar", "w") as tar:
        member = tarfile.TarInfo("../../etc/passwd")
        member.size = 4
        tar.addfile(member, io.BytesIO(b"root"))
    code, _, err = run("image", "verify", "evil.tar", "--release", "release.json")
    assert code == 2 and "evil.tar" in err


def test_image_verify_of_a_refused_release_exits_1_with_the_reason(firmware: Path) -> None:
    Path("other.cdx.json").write_text(json.dumps(cyclonedx({"etc/plc.conf": b"x"})))
    code, report = verify("rootfs", "--sbom", "other.cdx.json")
    assert code == 1 and report["reason"] == "subject-mismatch"


def test_release_import_keeps_evidence_and_its_sbom_serves_image_verify(firmware: Path) -> None:
    report = json.loads(ok("release", "import", "release.json", "--sbom", "plc.cdx.json",
                           "--supplier", "Vendor KK", "--format", "json"))
    assert report["accepted"] is True and report["version"] == "2.1.0"
    assert report["subjects"] == 3 and report["sbom_components"] == 3
    code, verdict = verify("rootfs")  # no --sbom: the stored one with the signed digest
    assert code == 0 and verdict["sbom_used"] is True


def test_release_import_of_untrusted_release_exits_1_naming_the_reason(firmware: Path) -> None:
    ok("keys", "create", "stranger")
    ok("release", "sign", "rootfs", "--key", "stranger", "--product", "plc-4000", "--version",
       "2.1.0", "--out", "forged.json")
    code, _, err = run("release", "import", "forged.json", "--supplier", "Vendor KK")
    assert code == 1 and "untrusted-signer" in err
