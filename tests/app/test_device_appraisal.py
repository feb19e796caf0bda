"""Appraising a device's answer to its challenge (the verifier's use case), on SQLite and
PostgreSQL, with a real file key for the device and the vendor's signed release as the
reference: what is kept of each verdict, and the findings through their lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from installations import NOW, PRODUCT, SECRETS, Vendor, file_key, trusted

from cpstrust.app import devices, releases, truststore
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.formats.dsse import write_envelope
from cpstrust.model.attestation import AttestationResult, AttestationVerdict
from cpstrust.model.finding import FindingStatus
from cpstrust.model.trust import Role
from cpstrust.trust.agent import answer, measure_report

DEVICE = "plc-01"
CHAIN = f"""
organizations: [{{name: Vendor KK}}]
products: [{{name: {PRODUCT}, supplier: Vendor KK, releases: [{{version: 2.1.0}}]}}]
sites: [{{name: Plant, operator: Vendor KK}}]
devices: [{{name: {DEVICE}, product: {PRODUCT}, version: 2.1.0, site: Plant}}]
"""
FILES = {"usr/bin/plcd": b"\x7fELF plc daemon 2.1.0", "etc/plc.conf": b"scan_ms = 10\n"}


@pytest.fixture
def rootfs(vendor: Vendor, tmp_path: Path) -> Path:
    """Device plc-01 runs release 2.1.0, whose signed release is stored as evidence; its
    identity key is enrolled. Its firmware tree is returned."""
    (tmp_path / "chain.yaml").write_text(CHAIN)
    load_supply_chain_file(vendor.services, tmp_path / "chain.yaml")
    root = tmp_path / "rootfs"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    release = vendor.sign(root, out=tmp_path / "release.json")
    assert isinstance(releases.import_signed(vendor.services, release, at=NOW),
                      releases.ReleaseImport)
    device = file_key(vendor.services, "device")
    truststore.trust_key(vendor.services, trusted(device, Role.DEVICE_IDENTITY,
                                                  scopes=[DEVICE]), NOW)
    return root


def answered(vendor: Vendor, root: Path) -> tuple[str, bytes]:
    """A fresh challenge for the device and its signed answer: (nonce, envelope)."""
    nonce = devices.issue_challenge(vendor.services, DEVICE, timedelta(minutes=1)).nonce
    report = measure_report(root, DEVICE, nonce, None)
    envelope, _ = answer(report, vendor.services.keyring.get("device"),
                         vendor.services.keyring, SECRETS)
    return nonce, write_envelope(envelope)


def appraise(vendor: Vendor, nonce: str, envelope: bytes) -> AttestationResult:
    # Challenges expire by the clock: the appraisal is now, not at the fixed NOW.
    return devices.appraise(vendor.services, nonce=nonce, envelope=envelope, quote=None,
                            at=datetime.now(UTC))


def latest_verdict(vendor: Vendor) -> AttestationVerdict | None:
    return devices.device_detail(vendor.services, DEVICE).status.verdict


def test_a_replayed_answer_is_stale_and_leaves_the_device_s_verdict(vendor: Vendor,
                                                                    rootfs: Path) -> None:
    nonce, envelope = answered(vendor, rootfs)
    assert appraise(vendor, nonce, envelope).verdict is AttestationVerdict.GENUINE
    assert appraise(vendor, nonce, envelope).verdict is AttestationVerdict.STALE
    assert latest_verdict(vendor) is AttestationVerdict.GENUINE  # an unattributable answer


def test_an_unlisted_file_is_an_open_finding_until_it_is_gone(vendor: Vendor,
                                                              rootfs: Path) -> None:
    miner = rootfs / "usr/bin/miner"
    miner.write_bytes(b"\x7fELF coin miner")
    found = appraise(vendor, *answered(vendor, rootfs))
    assert found.verdict is AttestationVerdict.UNLISTED
    assert [(f.path, f.status) for f in devices.device_detail(vendor.services, DEVICE)
            .findings] == [("usr/bin/miner", FindingStatus.OPEN)]
    miner.unlink()
    assert appraise(vendor, *answered(vendor, rootfs)).verdict is AttestationVerdict.GENUINE
    detail = devices.device_detail(vendor.services, DEVICE)
    assert [(f.path, f.status) for f in detail.findings] == [("usr/bin/miner",
                                                              FindingStatus.FIXED)]
    assert detail.status.open_findings == 0


def test_a_device_key_revoked_since_enrolment_is_refused_and_its_findings_stay(
        vendor: Vendor, rootfs: Path) -> None:
    (rootfs / "usr/bin/miner").write_bytes(b"\x7fELF coin miner")
    appraise(vendor, *answered(vendor, rootfs))
    truststore.revoke(vendor.services, vendor.services.keyring.get("device").keyid,
                      "gateway stolen", NOW)
    (rootfs / "usr/bin/miner").unlink()
    refused = appraise(vendor, *answered(vendor, rootfs))
    assert refused.verdict is AttestationVerdict.REVOKED
    detail = devices.device_detail(vendor.services, DEVICE)
    assert detail.status.verdict is AttestationVerdict.REVOKED
    # A refused report says nothing about the files: the finding is not taken as fixed.
    assert [(f.path, f.status) for f in detail.findings] == [("usr/bin/miner",
                                                              FindingStatus.OPEN)]
