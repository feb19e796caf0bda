"""Go build info read from real executables as their bytes are hashed, compared with
what ``go version -m`` reads from the same files (plain, -trimpath, stripped, and the Go
toolchain's own binaries), and hostile blobs: a warning naming the file, never a crash."""

from __future__ import annotations

import json
import struct
import tarfile
from pathlib import Path

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.go_buildinfo import (
    MAGIC,
    GoBuildInfo,
    GoModule,
    go_packages,
    read_build_info,
    stdlib_version,
    writable_ranges,
)
from cpstrust.limits import InventoryLimits
from cpstrust.sbom.generation import inventory, keep_rule
from cpstrust.trust.image import measure_image_keeping
from go_binaries import BUILDS, LOCAL_DEPENDENCY, MAIN_MODULE, GoBinaries, build_go_binaries

GOROOT_BINARIES = sorted(p for p in Path("/usr/lib/go/bin").iterdir() if p.is_file())
START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")  # Go's module info sentinels
END = bytes.fromhex("f932433186182072008242104116d8f2")


@pytest.fixture(scope="session")
def go_binaries(tmp_path_factory: pytest.TempPathFactory) -> GoBinaries:
    return build_go_binaries(tmp_path_factory.mktemp("go") / "workspace")


def as_go_prints_it(info: GoBuildInfo) -> str:
    """The build info as ``go version -m`` prints it after its first line."""
    def module(word: str, m: GoModule) -> list[str]:
        if m.replaced_by is None:
            return [f"\t{word}\t{m.path}\t{m.version}\t{m.h1}"]
        r = m.replaced_by
        return [f"\t{word}\t{m.path}\t{m.version}", f"\t=>\t{r.path}\t{r.version}\t{r.h1}"]

    lines = [f"\tpath\t{info.path}"]
    if info.main is not None:
        lines += module("mod", info.main)
    for dep in info.deps:
        lines += module("dep", dep)
    for key, value in info.settings:
        quoted = json.dumps(value) if any(c in value for c in " \t\r\n\"`") else value
        lines.append(f"\tbuild\t{key}={quoted}")
    return "\n".join(lines) + "\n"


def excerpts_of(image: Path, limits: InventoryLimits = InventoryLimits()) -> dict[str, bytes]:
    return measure_image_keeping(image, keep_rule(limits)).excerpts


@pytest.mark.parametrize("build", BUILDS)
def test_each_build_reads_as_go_version_m_reads_it(go_binaries: GoBinaries, build: str) -> None:
    binary = go_binaries.binaries[build]
    excerpt = excerpts_of(binary.parent)["hello"]
    info = read_build_info(excerpt, "hello")
    reference = go_binaries.reference(build)
    assert reference.split("\n", 1)[0].endswith(f": {info.go_version}")
    assert as_go_prints_it(info) == without_blank_lines(reference.split("\n", 1)[1])
    assert info.main == GoModule(MAIN_MODULE, "(devel)", "")


@pytest.mark.parametrize("binary", GOROOT_BINARIES, ids=lambda p: p.name)
def test_the_go_toolchain_binaries_read_as_go_version_m_reads_them(
        binary: Path, tmp_path: Path) -> None:
    # The go command reads build info itself, so its read-only data holds the magic too.
    excerpt = excerpts_of(binary.parent)[binary.name]
    info = read_build_info(excerpt, binary.name)
    reference = build_reference(binary, tmp_path)
    assert reference.split("\n", 1)[0].endswith(f": {info.go_version}")
    assert as_go_prints_it(info) == without_blank_lines(reference.split("\n", 1)[1])


def without_blank_lines(text: str) -> str:
    # Go 1.19's BuildInfo.String ends a replaced module with an empty line; later Go not.
    return "".join(line for line in text.splitlines(keepends=True) if line.strip())


def build_reference(binary: Path, home: Path) -> str:
    from go_binaries import go

    (home / "cwd").mkdir()
    return go("version", "-m", str(binary), cwd=home / "cwd")


def test_a_compressed_tar_yields_the_same_build_info_in_its_one_pass(
        go_binaries: GoBinaries, tmp_path: Path) -> None:
    archive = tmp_path / "image.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(go_binaries.binaries["stripped"], "usr/bin/hello")
    from_tar = excerpts_of(archive)["usr/bin/hello"]
    assert from_tar == excerpts_of(go_binaries.binaries["stripped"].parent)["hello"]


def test_components_are_stdlib_the_main_module_and_its_modules(go_binaries: GoBinaries) -> None:
    found = inventory(measure_image_keeping(go_binaries.binaries["plain"].parent, keep_rule()),
                      "image", "x", None)
    packages = {p.purl: p for p in found.packages}
    stdlib = f"pkg:golang/stdlib@{stdlib_version(go_version())}"
    main, local = f"pkg:golang/{MAIN_MODULE}", f"pkg:golang/{LOCAL_DEPENDENCY}"
    assert set(packages) == {stdlib, main, local}
    assert packages[main].application and packages[main].file == "hello"
    assert packages[main].version == ""  # "(devel)": built from a working tree
    assert dict(found.dependencies)[main] == (stdlib, local)
    assert packages[local].properties == (("cpstrust:golang:replaced-by", "../greeting"),)
    assert found.warnings == ()


def go_version() -> str:
    from go_binaries import go

    return go("env", "GOVERSION", cwd=Path("/tmp")).strip()


def test_a_module_replaced_by_a_module_is_the_module_built_with_its_hash() -> None:
    info = GoBuildInfo("go1.22.1", "x/cmd", GoModule("x", "v1.0.0", ""), (
        GoModule("a.org/m", "v1.0.0", "h1:old=", GoModule("b.org/m", "v1.2.0", "h1:new=")),),
        (("GOOS", "linux"), ("GOARCH", "arm64")))
    packages = {p.purl: p for p in go_packages(info, "bin/x")}
    assert packages["pkg:golang/b.org/m@v1.2.0"].properties == (
        ("cpstrust:golang:h1", "h1:new="),)
    assert ("cpstrust:golang:GOARCH", "arm64") in packages["pkg:golang/x@v1.0.0"].properties


@pytest.mark.parametrize(("go", "version"), [
    ("go1.21.5", "v1.21.5"), ("go1.22", "v1.22.0"), ("go1.22rc1", "v1.22.0-rc.1"),
    ("go1.21beta2", "v1.21.0-beta.2"), ("go1.22.1 X:boringcrypto", "v1.22.1"),
    ("devel go1.23-abcdef Tue", ""), ("gox", ""),
])
def test_stdlib_versions_are_module_versions(go: str, version: str) -> None:
    assert stdlib_version(go) == version


def blob(version: bytes = b"go1.22.1", modinfo: bytes = b"path\tx\nmod\tx\tv1.0.0\t\n",
         header: bytes = b"\x08\x02") -> bytes:
    framed = START + modinfo + END
    return (MAGIC + header + bytes(16) + varint(len(version)) + version
            + varint(len(framed)) + framed)


def varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    return bytes(out + bytes([value]))


def elf(segments: list[tuple[int, int, int]], body: dict[int, bytes], size: int) -> bytes:
    """An ELF64 header with PT_LOAD segments (flags, offset, length) and bytes at offsets."""
    data = bytearray(size)
    data[:16] = b"\x7fELF\x02\x01\x01" + bytes(9)
    struct.pack_into("<Q", data, 0x20, 64)
    struct.pack_into("<HH", data, 0x36, 56, len(segments))
    for n, (flags, offset, length) in enumerate(segments):
        struct.pack_into("<IIQQQQQQ", data, 64 + 56 * n, 1, flags, offset, offset, offset,
                         length, length, 0x1000)
    for offset, content in body.items():
        data[offset:offset + len(content)] = content
    return bytes(data)


def test_the_magic_outside_the_writable_data_is_never_taken(tmp_path: Path) -> None:
    forged = blob(modinfo=b"path\tforged\nmod\tforged\tv6.6.6\t\n")
    real = blob()
    image = tmp_path / "image"
    image.mkdir()
    # Read-only data at 0x1000 holds an aligned forged blob; the writable segment the real.
    (image / "bin").write_bytes(elf([(4, 0x1000, 0x1000), (6, 0x2000, 0x1000)],
                                    {0x1000: forged, 0x2000 + 0x20: real}, 0x3000))
    assert read_build_info(excerpts_of(image)["bin"], "bin").main == GoModule("x", "v1.0.0", "")


def test_a_magic_split_across_two_chunks_is_found(tmp_path: Path) -> None:
    image = tmp_path / "image"
    image.mkdir()
    at = (1 << 20) - 16  # the hasher reads 1 MiB chunks: the header straddles the first
    (image / "bin").write_bytes(elf([(6, 0x1000, 2 << 20)], {at: blob()}, 3 << 20))
    assert read_build_info(excerpts_of(image)["bin"], "bin").go_version == "go1.22.1"


@pytest.mark.parametrize(("content", "code"), [
    (blob()[:40], "go_buildinfo_truncated"),
    (blob(header=b"\x03\x02"), "go_buildinfo_bad_header"),
    (blob(header=b"\x08\x00"), "go_buildinfo_before_118"),
    (blob(version=b""), "go_buildinfo_bad_header"),
    (blob(modinfo=b"mod\tx\n"), "go_buildinfo_bad_line"),
    (blob(modinfo=b"=>\ta\tv1\t\n"), "go_buildinfo_bad_line"),
    (blob(modinfo=b"build\t=x\n"), "go_buildinfo_bad_line"),
    (blob(modinfo=b"build\tk=\"unterminated\n"), "go_buildinfo_bad_line"),
    (blob(modinfo=b"path\t\xff\n"), "go_buildinfo_not_utf8"),
    (MAGIC + b"\x08\x02" + bytes(16) + b"\xff" * 12, "go_buildinfo_truncated"),
])
def test_a_damaged_or_forged_blob_is_refused_naming_the_file(content: bytes, code: str) -> None:
    with pytest.raises(InputError) as caught:
        read_build_info(content, "usr/bin/tool")
    assert caught.value.code == code and caught.value.source == "usr/bin/tool"


def test_a_forged_length_keeps_no_more_than_the_limit_and_warns(tmp_path: Path) -> None:
    image = tmp_path / "image"
    image.mkdir()
    huge = MAGIC + b"\x08\x02" + bytes(16) + varint(8) + b"go1.22.1" + varint(1 << 40)
    (image / "bin").write_bytes(elf([(6, 0x1000, 1 << 20)], {0x1000: huge}, 0x1000 + (1 << 20)))
    limits = InventoryLimits(max_go_buildinfo_bytes=4096)
    measured = measure_image_keeping(image, keep_rule(limits))
    assert len(measured.excerpts["bin"]) == 4096
    found = inventory(measured, "image", "x", None)
    assert found.packages == ()
    assert [w.code for w in found.warnings] == ["generate_go_skipped"]
    assert "bin" in found.warnings[0].text() and "ends early" in found.warnings[0].text()


def test_an_executable_over_the_size_limit_is_hashed_but_not_read(
        go_binaries: GoBinaries) -> None:
    limits = InventoryLimits(max_executable_bytes=1024)
    assert excerpts_of(go_binaries.binaries["plain"].parent, limits) == {}


@pytest.mark.parametrize("head", [
    b"", b"\x7fELF", b"\x7fELF\x02\x01" + b"\xff" * 200, b"MZ" + b"\xff" * 100,
    b"\xcf\xfa\xed\xfe" + b"\xff" * 100, b"#!/bin/sh\n", b"\x00" * 64,
])
def test_headers_that_do_not_parse_give_no_ranges_and_no_error(head: bytes) -> None:
    assert writable_ranges(head) == ()
