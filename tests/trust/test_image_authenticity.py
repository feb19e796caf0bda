"""Firmware image authenticity: measuring directories and tars safely, and the verdict."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    File,
    Package,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.writer.json import json_writer

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.limits import ImageLimits
from cpstrust.model.advisory import Severity
from cpstrust.model.authenticity import (
    DIGEST_PREFERENCE,
    EntryKind,
    FindingKind,
    ImageAppraisal,
    ImageVerdict,
    MeasuredFile,
    Reference,
)
from cpstrust.model.sbom import Hash, Sbom, SbomComponent, SbomFormat
from cpstrust.trust.authenticity import (
    appraise_image,
    merge_references,
    reference_from_sbom,
    reference_from_subjects,
    resolve_path,
)
from cpstrust.trust.image import measure_image
from cpstrust.trust.measurement import DIGEST_ALGORITHMS

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00 machine code"
IMAGE = {
    "usr/bin/app": ELF + b" app",
    "usr/lib/libcrypto.so.3": ELF + b" crypto",
    "etc/config.txt": b"mode=secure\n",
    "etc/banner": b"welcome\n",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_tree(root: Path, files: dict[str, bytes] = IMAGE) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if "usr/bin/app" in files:
        (root / "usr/bin/app").chmod(0o755)  # the library is an executable by its magic alone
    return root


def file_sbom(files: dict[str, bytes], algorithm: str = "SHA-256") -> Sbom:
    """An SBOM declaring each file as a CycloneDX-style file component."""
    return Sbom(format=SbomFormat.CYCLONEDX_JSON, spec_version="1.6", serial=None,
                subject_name="gateway", subject_version="2.0", components=tuple(
                    SbomComponent(ref=f"file-{i}", name=name, version=None, purl=None,
                                  type="file", hashes=(Hash(algorithm, hashlib.new(
                                      algorithm.replace("-", "").lower(), data).hexdigest()),))
                    for i, (name, data) in enumerate(files.items())))


def appraise(root: Path, reference: Reference) -> ImageAppraisal:
    return appraise_image(measure_image(root, extra_algorithms=reference.extra_algorithms),
                          reference)


def kinds(appraisal: ImageAppraisal) -> list[tuple[FindingKind, str, Severity]]:
    return [(f.kind, f.path, f.severity) for f in appraisal.findings]


Member = tuple[str, bytes | None, Callable[[tarfile.TarInfo], None] | None]


def write_tar(path: Path, members: list[Member], mode: str = "w") -> Path:
    """A tar with members exactly as given: tarfile does not check names on writing."""
    with tarfile.open(path, mode) as tar:  # type: ignore[call-overload]
        for name, data, adjust in members:
            info = tarfile.TarInfo(name)
            info.size = len(data) if data is not None else 0
            if adjust is not None:
                adjust(info)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def refusal(path: Path, limits: ImageLimits = ImageLimits()) -> InputError:
    with pytest.raises(InputError) as caught:
        measure_image(path, limits)
    assert caught.value.source == str(path)
    return caught.value


# The verdict engine, on directories


def test_untouched_image_is_genuine(tmp_path: Path) -> None:
    appraisal = appraise(build_tree(tmp_path), reference_from_sbom(file_sbom(IMAGE)))
    assert (appraisal.verdict, appraisal.findings) == (ImageVerdict.GENUINE, ())
    assert (appraisal.files_measured, appraisal.files_declared) == (4, 4)


def test_modified_executable_is_critical_and_modified_data_high(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "usr/bin/app").write_bytes(ELF + b" backdoor")
    (root / "etc/config.txt").write_bytes(b"mode=debug\n")
    appraisal = appraise(root, reference_from_sbom(file_sbom(IMAGE)))
    assert appraisal.verdict is ImageVerdict.MODIFIED
    assert kinds(appraisal) == [
        (FindingKind.MODIFIED, "usr/bin/app", Severity.CRITICAL),
        (FindingKind.MODIFIED, "etc/config.txt", Severity.HIGH)]
    app = appraisal.findings[0]
    assert app.expected == f"SHA-256:{sha256(IMAGE['usr/bin/app'])}"
    assert app.actual == f"SHA-256:{sha256(ELF + b' backdoor')}"
    assert app.reason.text() == ("executable differs from the SHA-256 declared by SBOM "
                                 "component file-0")


def test_unlisted_elf_ranks_above_missing_and_unlisted_text_below(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "usr/lib/libhidden.so").write_bytes(ELF + b" hidden")  # no execute bit: magic
    (root / "var/log").mkdir(parents=True)
    (root / "var/log/boot.txt").write_bytes(b"booted\n")
    (root / "etc/banner").unlink()
    appraisal = appraise(root, reference_from_sbom(file_sbom(IMAGE)))
    assert appraisal.verdict is ImageVerdict.UNLISTED
    assert kinds(appraisal) == [
        (FindingKind.UNLISTED, "usr/lib/libhidden.so", Severity.HIGH),
        (FindingKind.MISSING, "etc/banner", Severity.MEDIUM),
        (FindingKind.UNLISTED, "var/log/boot.txt", Severity.LOW)]
    assert appraisal.findings[0].executable


def test_missing_file_outranks_unlisted_data(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "etc/banner").unlink()
    (root / "etc/notes.txt").write_bytes(b"notes\n")
    appraisal = appraise(root, reference_from_sbom(file_sbom(IMAGE)))
    assert appraisal.verdict is ImageVerdict.MISSING
    missing = appraisal.findings[0]
    assert (missing.kind, missing.expected, missing.actual) == (
        FindingKind.MISSING, f"SHA-256:{sha256(IMAGE['etc/banner'])}", None)
    assert missing.reason.text() == "declared by SBOM component file-3, absent from the image"
    assert appraise(root, reference_from_sbom(file_sbom(
        {k: v for k, v in IMAGE.items() if k != "etc/banner"}))).verdict is ImageVerdict.UNLISTED


def test_modified_outranks_an_unlisted_executable(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "etc/banner").write_bytes(b"changed\n")
    (root / "usr/bin/implant").write_bytes(b"#!/bin/sh\nnc -l 4444\n")
    appraisal = appraise(root, reference_from_sbom(file_sbom(IMAGE)))
    assert appraisal.verdict is ImageVerdict.MODIFIED
    assert kinds(appraisal) == [(FindingKind.MODIFIED, "etc/banner", Severity.HIGH),
                                (FindingKind.UNLISTED, "usr/bin/implant", Severity.HIGH)]


def test_symlink_escaping_the_root_is_a_high_finding(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "image")
    (root / "etc/shadow").symlink_to("../../../../etc/shadow")
    (root / "etc/resolv.conf").symlink_to("/tmp/resolv.conf")  # absolute: inside the device
    (root / "usr/lib/libcrypto.so").symlink_to("libcrypto.so.3")
    appraisal = appraise(root, reference_from_sbom(file_sbom(IMAGE)))
    assert appraisal.verdict is ImageVerdict.ESCAPING_SYMLINK
    [finding] = appraisal.findings
    assert (finding.kind, finding.path, finding.severity) == (
        FindingKind.ESCAPING_SYMLINK, "etc/shadow", Severity.HIGH)
    assert finding.reason.text() == ("symbolic link to '../../../../etc/shadow' resolves "
                                     "outside the image root")


def test_directory_walk_never_follows_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.bin").write_bytes(ELF)
    root = build_tree(tmp_path / "image")
    (root / "mnt").symlink_to("../outside")
    (root / "media").symlink_to(outside)  # absolute: resolved inside the image, as on the device
    measured = {f.path: f for f in measure_image(root)}
    assert not [path for path in measured if path.startswith(("mnt/", "media/"))]
    assert measured["mnt"].kind is EntryKind.ESCAPING_SYMLINK
    assert measured["mnt"].sha256 == sha256(b"../outside")
    assert measured["media"].kind is EntryKind.SYMLINK
    assert measured["media"].sha256 == sha256(os.fsencode(str(outside)))


def test_fifo_in_a_directory_is_skipped_never_opened(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "image")
    os.mkfifo(root / "etc/pipe")  # opening it would block forever
    assert "etc/pipe" not in {f.path for f in measure_image(root)}


def test_path_declared_through_a_directory_link_is_found_at_its_target(tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    (root / "lib").symlink_to("usr/lib")  # merged /usr
    declared = {("lib/libcrypto.so.3" if k == "usr/lib/libcrypto.so.3" else k): v
                for k, v in IMAGE.items()}
    assert appraise(root, reference_from_sbom(file_sbom(declared))).verdict \
        is ImageVerdict.GENUINE
    # ...also when the SBOM gives only SHA-1: the measurer hashes the target for it.
    assert appraise(root, reference_from_sbom(file_sbom(declared, "SHA-1"))).verdict \
        is ImageVerdict.GENUINE


def test_declared_link_matches_the_content_it_leads_to(tmp_path: Path) -> None:
    # sha256sum-style subjects follow links: "bin/sh" declared with busybox's digest.
    root = build_tree(tmp_path)
    (root / "usr/bin/sh").symlink_to("app")
    subjects = {"usr/bin/sh": sha256(IMAGE["usr/bin/app"])}
    appraisal = appraise(root, merge_references(
        reference_from_sbom(file_sbom({k: v for k, v in IMAGE.items() if k != "usr/bin/app"})),
        reference_from_subjects(subjects)))
    assert appraisal.verdict is ImageVerdict.GENUINE


# Where references come from


def test_sbom_with_only_sha1_is_checked_with_sha1(tmp_path: Path) -> None:
    reference = reference_from_sbom(file_sbom(IMAGE, "SHA-1"))
    assert reference.extra_algorithms == {path: ("SHA-1",) for path in IMAGE}
    root = build_tree(tmp_path)
    assert appraise(root, reference).verdict is ImageVerdict.GENUINE
    (root / "etc/banner").write_bytes(b"changed\n")
    [finding] = appraise(root, reference).findings
    assert (finding.kind, finding.expected) == (
        FindingKind.MODIFIED, f"SHA-1:{hashlib.sha1(IMAGE['etc/banner']).hexdigest()}")
    with pytest.raises(ValueError, match=r"pass reference\.extra_algorithms to the measurer"):
        appraise_image(measure_image(root), reference)


def test_every_preferred_algorithm_can_be_computed() -> None:
    assert set(DIGEST_PREFERENCE) <= set(DIGEST_ALGORITHMS)


def test_spdx_files_give_the_reference(tmp_path: Path) -> None:
    info = CreationInfo("SPDX-2.3", "SPDXRef-DOCUMENT", "gateway", "https://example.com/gw",
                        [Actor(ActorType.TOOL, "scanner")], datetime(2024, 5, 1))
    files = [File(f"./{name}", f"SPDXRef-f{i}", [
        Checksum(ChecksumAlgorithm.SHA1, hashlib.sha1(data).hexdigest()),
        Checksum(ChecksumAlgorithm.SHA256, sha256(data))])
        for i, (name, data) in enumerate(IMAGE.items())]
    document = Document(info, packages=[Package(
        "SPDXRef-gw", "gateway", SpdxNoAssertion(), files_analyzed=True)], files=files,
        relationships=[Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-gw")])
    path = tmp_path / "sbom.spdx.json"
    json_writer.write_document_to_file(document, str(path), validate=False)
    reference = reference_from_sbom(read_sbom_file(path)[0])
    assert reference.extra_algorithms == {}  # SHA-256 preferred over SHA-1
    root = build_tree(tmp_path / "image")
    assert appraise(root, reference).verdict is ImageVerdict.GENUINE


def test_cyclonedx_evidence_occurrences_give_the_reference(tmp_path: Path) -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "name": "openssl", "version": "3.0.13", "bom-ref": "openssl",
         "hashes": [{"alg": "SHA-256", "content": sha256(IMAGE["usr/lib/libcrypto.so.3"])}],
         "evidence": {"occurrences": [{"location": "/usr/lib/libcrypto.so.3"}]}},
        {"type": "application", "name": "app", "bom-ref": "app",
         "hashes": [{"alg": "SHA-512", "content": hashlib.sha512(
             IMAGE["usr/bin/app"]).hexdigest()}],
         "evidence": {"occurrences": [{"location": "./usr/bin/app"}]}},
        {"type": "file", "name": "etc/config.txt",
         "hashes": [{"alg": "SHA-256", "content": sha256(IMAGE["etc/config.txt"])}]}]}
    sbom = read_sbom(orjson.dumps(document), source="sbom.json")
    root = build_tree(tmp_path)
    appraisal = appraise(root, reference_from_sbom(sbom))
    assert kinds(appraisal) == [(FindingKind.UNLISTED, "etc/banner", Severity.LOW)]


def test_release_subject_disagreeing_with_the_sbom_is_a_finding_naming_both(
        tmp_path: Path) -> None:
    root = build_tree(tmp_path)
    subjects = {"./usr/bin/app": sha256(b"another build"),
                "etc/banner": sha256(IMAGE["etc/banner"])}
    reference = merge_references(reference_from_sbom(file_sbom(IMAGE)),
                                 reference_from_subjects(subjects))
    appraisal = appraise(root, reference)
    assert appraisal.verdict is ImageVerdict.CONFLICTING_REFERENCE
    [finding] = appraisal.findings
    assert (finding.kind, finding.path, finding.severity) == (
        FindingKind.CONFLICTING_REFERENCE, "usr/bin/app", Severity.HIGH)
    assert finding.reason.text() == ("declarations disagree: the file matches SBOM component "
                                     "file-0 but not release subject")
    assert finding.expected == f"SHA-256:{sha256(b'another build')}"


def test_path_declared_without_a_usable_digest_is_unverified_not_genuine(tmp_path: Path) -> None:
    sbom = file_sbom(IMAGE)
    blind = SbomComponent(ref="blind", name="etc/banner", version=None, purl=None, type="file",
                          hashes=(Hash("BLAKE3", "00" * 32),))
    sbom = Sbom(sbom.format, sbom.spec_version, None, None, None, (*sbom.components[:3], blind))
    [finding] = appraise(build_tree(tmp_path), reference_from_sbom(sbom)).findings
    assert (finding.kind, finding.path, finding.severity) == (
        FindingKind.UNLISTED, "etc/banner", Severity.LOW)
    assert "no digest cpstrust can compute" in finding.reason.text()


def test_a_genuine_appraisal_cannot_carry_findings() -> None:
    with pytest.raises(ValueError, match="GENUINE exactly when"):
        ImageAppraisal(ImageVerdict.GENUINE, appraise_image(
            [MeasuredFile("x", 1, "00", False)], Reference({})).findings, 1, 0)
    with pytest.raises(ValueError, match="GENUINE exactly when"):
        ImageAppraisal(ImageVerdict.MISSING, (), 0, 1)


def test_link_resolution_climbs_loops_and_absolute_targets() -> None:
    links = {"lib": "usr/lib", "usr/lib/loop": "loop", "abs": "/usr/lib", "up": "../.."}
    assert resolve_path("lib/libc.so", links) == "usr/lib/libc.so"
    assert resolve_path("abs/x", links) == "usr/lib/x"
    assert resolve_path("up/x", links) is None
    assert resolve_path("usr/lib/loop", links) == "usr/lib/loop"  # a loop leads nowhere


# Tar archives


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_measures_exactly_like_the_directory(mode: str, tmp_path: Path) -> None:
    root = build_tree(tmp_path / "image")
    (root / "usr/lib/libcrypto.so").symlink_to("libcrypto.so.3")
    archive = tmp_path / "image.tar"
    with tarfile.open(archive, mode) as tar:  # type: ignore[call-overload]
        tar.add(root, arcname=".")
    assert measure_image(archive) == measure_image(root)


def test_large_members_hashed_in_the_background_match(tmp_path: Path) -> None:
    big = {f"blob{i}.bin": bytes([i]) * (3 << 20) + ELF for i in range(4)}
    root = build_tree(tmp_path / "image", big)
    archive = tmp_path / "image.tar"
    with tarfile.open(archive, "w", format=tarfile.GNU_FORMAT) as tar:
        tar.add(root, arcname=".")
    measured = measure_image(archive)
    assert measured == measure_image(root)
    assert {f.path: f.sha256 for f in measured} == {k: sha256(v) for k, v in big.items()}


@pytest.mark.parametrize(("name", "problem"), [
    ("../evil.sh", "member path climbs out of the image with '..'"),
    ("usr/../../evil.sh", "member path climbs out of the image with '..'"),
    ("/etc/passwd", "absolute member path")])
def test_tar_member_outside_the_root_is_refused(name: str, problem: str, tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "evil.tar", [("ok.txt", b"ok", None), (name, b"x", None)])
    error = refusal(archive)
    assert (error.location, error.problem) == (f"member {name!r}", problem)
    assert error.diagnostics() == f"{archive}: at member {name!r}: {problem}"


def test_tar_symlink_escaping_the_root_is_recorded_never_followed(tmp_path: Path) -> None:
    def link(target: str) -> Callable[[tarfile.TarInfo], None]:
        def adjust(info: tarfile.TarInfo) -> None:
            info.type, info.linkname = tarfile.SYMTYPE, target
        return adjust
    archive = write_tar(tmp_path / "links.tar", [
        ("etc/passwd", None, link("../../../etc/passwd")), ("bin/sh", None, link("busybox"))])
    measured = {f.path: f for f in measure_image(archive)}
    assert measured["etc/passwd"].kind is EntryKind.ESCAPING_SYMLINK
    assert measured["etc/passwd"].sha256 == sha256(b"../../../etc/passwd")
    assert measured["bin/sh"].kind is EntryKind.SYMLINK


def test_tar_member_beneath_a_symlink_is_refused(tmp_path: Path) -> None:
    def link(info: tarfile.TarInfo) -> None:
        info.type, info.linkname = tarfile.SYMTYPE, "/etc"
    archive = write_tar(tmp_path / "slip.tar", [("conf", None, link),
                                                ("conf/cron.d/job", b"* * * * * evil", None)])
    error = refusal(archive)
    assert error.location == "member 'conf/cron.d/job'"
    assert error.problem == ("member lies beneath the symbolic link 'conf': unpacking would "
                             "write through it")


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE])
def test_tar_device_and_fifo_members_are_skipped(kind: bytes, tmp_path: Path) -> None:
    def device(info: tarfile.TarInfo) -> None:
        info.type, info.devmajor, info.devminor = kind, 1, 3
    archive = write_tar(tmp_path / "dev.tar", [("dev/console", None, device),
                                               ("etc/plc.conf", b"x", None)])
    assert [f.path for f in measure_image(archive)] == ["etc/plc.conf"]


def test_tar_member_of_unknown_type_is_refused(tmp_path: Path) -> None:
    def odd(info: tarfile.TarInfo) -> None:
        info.type = b"V"  # a volume label, not something a firmware image holds
    archive = write_tar(tmp_path / "odd.tar", [("label", None, odd)])
    assert "unknown tar type" in refusal(archive).problem


def test_tar_bomb_is_refused_before_its_content_is_read(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "bomb.tar.gz", [
        (f"zeros{i}", bytes(4 << 20), None) for i in range(3)], mode="w:gz")
    assert archive.stat().st_size < 100_000
    with pytest.raises(LimitExceededError) as caught:
        measure_image(archive, ImageLimits(max_total_bytes=10 << 20))
    assert (caught.value.source, caught.value.location) == (str(archive), "member 'zeros2'")
    assert caught.value.problem == f"content larger than {10 << 20} bytes in total"


def test_tar_with_too_many_members_is_refused(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "many.tar", [(f"f{i}", b"", None) for i in range(6)])
    with pytest.raises(LimitExceededError, match="more than 5 members"):
        measure_image(archive, ImageLimits(max_members=5))


def test_tar_hard_link_is_measured_as_its_target(tmp_path: Path) -> None:
    def hard(target: str) -> Callable[[tarfile.TarInfo], None]:
        def adjust(info: tarfile.TarInfo) -> None:
            info.type, info.linkname, info.mode = tarfile.LNKTYPE, target, 0o755
        return adjust
    archive = write_tar(tmp_path / "links.tar", [
        ("bin/busybox", ELF, lambda info: setattr(info, "mode", 0o755)),
        ("bin/ls", None, hard("bin/busybox"))])
    measured = {f.path: f for f in measure_image(archive, extra_algorithms={"bin/ls": ["SHA-1"]})}
    assert (measured["bin/ls"].sha256, measured["bin/ls"].size) == (sha256(ELF), len(ELF))
    assert measured["bin/ls"].kind is EntryKind.FILE and measured["bin/ls"].executable
    assert measured["bin/ls"].digest("SHA-1") == hashlib.sha1(ELF).hexdigest()
    dangling = write_tar(tmp_path / "dangling.tar", [("bin/ls", None, hard("bin/later"))])
    assert refusal(dangling).problem == ("hard link to 'bin/later', which is not an earlier "
                                         "file of the archive")


def test_tar_with_two_members_at_one_path_is_refused(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "twice.tar", [("./etc/x", b"first", None),
                                                 ("etc/x", b"second", None)])
    assert refusal(archive).problem.startswith("the image holds two entries at this path")


@pytest.mark.parametrize("content", [b"", b"not a tar archive at all" * 40,
                                     b"\x1f\x8b\x08\x00truncated gzip"])
def test_unreadable_archive_is_refused_naming_it(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "image.bin"
    path.write_bytes(content)
    assert refusal(path).problem.startswith("neither a directory nor a readable tar archive")


@pytest.mark.parametrize(("size", "location", "problem"), [
    (100_000, "member 'cut.bin'", "the archive ends inside this member"),
    # Large members are hashed in the background; tarfile finds the end first.
    (1 << 20, "after member 'cut.bin'",
     "the archive is damaged or truncated: unexpected end of data")])
def test_truncated_tar_is_refused(size: int, location: str, problem: str,
                                  tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "whole.tar", [("cut.bin", bytes(size), None)])
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[:size // 2])
    error = refusal(cut)
    assert (error.location, error.problem) == (location, problem)


def test_truncated_tar_gz_is_refused(tmp_path: Path) -> None:
    archive = write_tar(tmp_path / "whole.tar.gz", [("cut.bin", os.urandom(200_000), None)],
                        mode="w:gz")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[:100_000])
    error = refusal(cut)
    assert error.location == "after member 'cut.bin'"
    assert error.problem.startswith("the archive is damaged or truncated: ")
