"""`cpstrust sbom generate`: the SBOM of a root filesystem is the reference a signed
release and `image verify` check the image against; it validates, reads back, and
hostile or malformed images are refused with exit 2, writing nothing."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import orjson
import pytest
from clirun import ok, run

from cpstrust.formats.cyclonedx_schema import json_validator
from spdx3_schema_check import spdx3_document_validator

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 9
FILES = {
    "usr/bin/plcd": ELF + b"plc daemon 2.1.0",
    "usr/lib/libmodbus.so.5": ELF + b"libmodbus 3.1.6",
    "etc/plc.conf": b"scan_ms = 10\n",
    "etc/os-release": b"ID=debian\nVERSION_ID=12\n",
    "var/lib/dpkg/status": b"Package: libmodbus5\nStatus: install ok installed\n"
                           b"Architecture: amd64\nVersion: 3.1.6-2\n"
                           b"Maintainer: Debian IoT <iot@example.org>\nDepends: libc6\n\n"
                           b"Package: libc6\nStatus: install ok installed\n"
                           b"Architecture: amd64\nVersion: 2.36-9\n",
    "usr/lib/python3/dist-packages/pymodbus-3.6.4.dist-info/METADATA":
        b"Metadata-Version: 2.1\nName: pymodbus\nVersion: 3.6.4\nLicense: BSD-3-Clause\n",
}


@pytest.fixture
def rootfs(vendor: Path) -> Path:
    root = vendor / "rootfs"
    for path, data in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    (root / "usr/bin/plc").symlink_to("plcd")
    return root


def generate(*args: str) -> dict[str, object]:
    document: dict[str, object] = json.loads(ok("sbom", "generate", *args))
    return document


def components(document: dict[str, object]) -> list[dict[str, object]]:
    return document["components"]  # type: ignore[return-value]


@pytest.mark.parametrize("output_format", ["cyclonedx", "spdx", "spdx3"])
def test_generated_sbom_signs_a_release_that_verifies_the_image_then_catches_a_change(
        rootfs: Path, output_format: str) -> None:
    ok("sbom", "generate", "rootfs", "--out", "plc.cdx.json", "--version", "2.1.0",
       "--format", output_format)
    ok("release", "sign", "rootfs", "--key", "release", "--product", "plc-4000", "--version",
       "2.1.0", "--sbom", "plc.cdx.json", "--out", "release.json")
    code, out, _ = run("image", "verify", "rootfs", "--release", "release.json", "--sbom",
                       "plc.cdx.json", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["verdict"] == "GENUINE"
    assert report["files_declared"] == len(FILES)
    (rootfs / "etc/plc.conf").write_bytes(b"scan_ms = 1\n")
    code, out, _ = run("image", "verify", "rootfs", "--release", "release.json", "--sbom",
                       "plc.cdx.json", "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["verdict"] == "MODIFIED"
    assert [f["path"] for f in report["findings"]] == ["etc/plc.conf"]


def test_a_tar_gz_of_the_tree_gives_the_same_files_and_packages(rootfs: Path) -> None:
    with tarfile.open("rootfs.tar.gz", "w:gz") as tar:
        tar.add(rootfs, arcname=".")
    from_tree, from_tar = generate("rootfs"), generate("rootfs.tar.gz", "--name", "rootfs")
    assert components(from_tree) == components(from_tar)
    assert from_tree["dependencies"] == from_tar["dependencies"]


def test_files_are_file_components_named_by_path_with_sha256_and_packages_have_purls(
        rootfs: Path) -> None:
    document = generate("rootfs", "--name", "plc-4000", "--version", "2.1.0")
    json_validator("1.6").validate(document)
    files = {c["name"]: c for c in components(document) if c["type"] == "file"}
    assert set(files) == set(FILES)  # regular files only: the link is not one
    assert files["etc/plc.conf"]["hashes"] == [
        {"alg": "SHA-256", "content": hashlib.sha256(FILES["etc/plc.conf"]).hexdigest()}]
    packages = {c["purl"]: c for c in components(document) if c["type"] != "file"}
    assert set(packages) == {"pkg:deb/debian/libmodbus5@3.1.6-2?arch=amd64",
                             "pkg:deb/debian/libc6@2.36-9?arch=amd64",
                             "pkg:pypi/pymodbus@3.6.4"}
    assert packages["pkg:pypi/pymodbus@3.6.4"]["licenses"] == [
        {"license": {"id": "BSD-3-Clause", "acknowledgement": "declared"}}]
    edges = {d["ref"]: d["dependsOn"] for d in document["dependencies"]}  # type: ignore[attr-defined]
    assert edges["pkg:deb/debian/libmodbus5@3.1.6-2?arch=amd64"] == [
        "pkg:deb/debian/libc6@2.36-9?arch=amd64"]
    metadata = document["metadata"]
    assert metadata["component"]["name"] == "plc-4000"  # type: ignore[index]
    assert metadata["tools"]["components"][0]["name"] == "cpstrust"  # type: ignore[index]
    assert str(document["serialNumber"]).startswith("urn:uuid:")


def test_sbom_check_and_scan_read_the_generated_sbom_back(rootfs: Path) -> None:
    ok("sbom", "generate", "rootfs", "--out", "plc.cdx.json")
    check = json.loads(ok("sbom", "check", "plc.cdx.json", "--format", "json"))
    assert check["components"] == 3  # files are not judged as components
    code, out, _ = run("scan", "plc.cdx.json", "--format", "json")
    assert code == 0 and "summary" in json.loads(out)


def test_spdx_output_is_valid_spdx_2_3_with_sha1_and_sha256(rootfs: Path) -> None:
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    ok("sbom", "generate", "rootfs", "--format", "spdx", "--out", "plc.spdx.json")
    raw = orjson.loads(Path("plc.spdx.json").read_bytes())
    assert validate_full_spdx_document(JsonLikeDictParser().parse(raw), "SPDX-2.3") == []
    files = {f["fileName"]: f for f in raw["files"]}
    assert {c["algorithm"] for c in files["./etc/plc.conf"]["checksums"]} == {"SHA1", "SHA256"}
    check = json.loads(ok("sbom", "check", "plc.spdx.json", "--format", "json"))
    assert check["format"] == "spdx-json"


def test_spdx3_output_is_valid_against_the_spdx_3_0_1_schema_and_reads_back(
        rootfs: Path) -> None:
    ok("sbom", "generate", "rootfs", "--format", "spdx3", "--out", "plc.spdx3.json",
       "--version", "2.1.0")
    raw = orjson.loads(Path("plc.spdx3.json").read_bytes())
    assert spdx3_document_validator().is_valid(raw)
    graph = raw["@graph"]
    files = {e["name"]: e for e in graph if e["type"] == "software_File"}
    assert set(files) == set(FILES)
    assert files["etc/plc.conf"]["verifiedUsing"] == [
        {"type": "Hash", "algorithm": "sha256",
         "hashValue": hashlib.sha256(FILES["etc/plc.conf"]).hexdigest()}]
    purls = {e.get("software_packageUrl") for e in graph if e["type"] == "software_Package"}
    assert "pkg:pypi/pymodbus@3.6.4" in purls
    check = json.loads(ok("sbom", "check", "plc.spdx3.json", "--format", "json"))
    assert check["format"] == "spdx3-json" and check["components"] == 4  # with the image


def test_cyclonedx_1_7_on_request_is_valid_against_the_1_7_schema(rootfs: Path) -> None:
    document = generate("rootfs", "--spec-version", "1.7")
    assert document["specVersion"] == "1.7"
    json_validator("1.7").validate(document)
    assert generate("rootfs")["specVersion"] == "1.6"


def test_a_cyclonedx_version_with_another_format_is_refused(rootfs: Path) -> None:
    code, out, err = run("sbom", "generate", "rootfs", "--format", "spdx3",
                         "--spec-version", "1.7")
    assert code == 2 and out == "" and "--spec-version" in err


def _evil_tar(name: str, member: tarfile.TarInfo, data: bytes = b"") -> None:
    with tarfile.open(name, "w") as tar:
        ok_member = tarfile.TarInfo("etc/ok.conf")
        ok_member.size = 2
        tar.addfile(ok_member, io.BytesIO(b"ok"))
        member.size = len(data) if member.isreg() else 0
        tar.addfile(member, io.BytesIO(data) if member.isreg() else None)


def _symlink(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.SYMTYPE, target
    return member


def _hard_link(name: str, target: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type, member.linkname = tarfile.LNKTYPE, target
    return member


@pytest.mark.parametrize(("member", "expected"), [
    (tarfile.TarInfo("../../etc/passwd"), "../../etc/passwd"),
    (tarfile.TarInfo("/etc/shadow"), "/etc/shadow"),
    (_symlink("etc/escape", "../../../../etc/passwd"), "etc/escape"),
    (_hard_link("etc/hard", "../outside"), "../outside"),
    (_hard_link("etc/hard", "etc/never-seen"), "etc/hard"),
    (tarfile.TarInfo("etc/ok.conf"), "etc/ok.conf"),  # a second entry at one path
], ids=["traversal", "absolute", "symlink-escape", "hard-link-out", "hard-link-unknown",
        "two-entries"])
def test_hostile_archive_is_refused_naming_archive_and_member_and_writes_nothing(
        vendor: Path, member: tarfile.TarInfo, expected: str) -> None:
    _evil_tar("evil.tar", member, b"root")
    code, out, err = run("sbom", "generate", "evil.tar", "--out", "evil.cdx.json")
    assert code == 2 and out == ""
    assert "evil.tar" in err and expected in err
    assert not Path("evil.cdx.json").exists()
    assert [p for p in Path().iterdir() if p.name.startswith(".evil.cdx.json")] == []


def test_a_member_beneath_a_link_is_refused(vendor: Path) -> None:
    with tarfile.open("evil.tar", "w") as tar:
        tar.addfile(_symlink("etc", "/tmp"))
        member = tarfile.TarInfo("etc/cron.d/x")
        member.size = 1
        tar.addfile(member, io.BytesIO(b"x"))
    code, _, err = run("sbom", "generate", "evil.tar")
    assert code == 2 and "etc/cron.d/x" in err


def test_device_files_are_skipped_not_listed(vendor: Path) -> None:
    member = tarfile.TarInfo("dev/console")
    member.type, member.devmajor, member.devminor = tarfile.CHRTYPE, 5, 1
    _evil_tar("rootfs.tar", member)
    names = [c["name"] for c in components(generate("rootfs.tar"))]
    assert names == ["etc/ok.conf"]


def test_an_existing_out_file_survives_a_refused_run(vendor: Path) -> None:
    Path("plc.cdx.json").write_bytes(b"previous")
    _evil_tar("evil.tar", tarfile.TarInfo("../x"), b"x")
    code, _, _ = run("sbom", "generate", "evil.tar", "--out", "plc.cdx.json")
    assert code == 2 and Path("plc.cdx.json").read_bytes() == b"previous"


def test_malformed_package_database_is_refused_naming_the_file_inside_and_the_line(
        rootfs: Path) -> None:
    (rootfs / "var/lib/dpkg/status").write_bytes(
        b"Package: a\nVersion: 1\n\nPackage: a\nVersion: 2\n")
    code, _, err = run("sbom", "generate", "rootfs", "--out", "x.json")
    assert code == 2 and "var/lib/dpkg/status" in err and "line 4" in err
    assert not Path("x.json").exists()


def test_messages_are_in_japanese_too(rootfs: Path) -> None:
    (rootfs / "var/lib/dpkg/status").write_bytes(b"Version: 1\n")
    code, _, err = run("--lang", "ja", "sbom", "generate", "rootfs")
    assert code == 2 and "1 行目" in err and "エントリ" in err


def test_a_signed_image_archive_verifies_against_the_sbom_generated_from_it(
        rootfs: Path) -> None:
    with tarfile.open("plc.tar.xz", "w:xz") as tar:
        tar.add(rootfs, arcname=".")
    ok("sbom", "generate", "plc.tar.xz", "--out", "plc.cdx.json")
    ok("release", "sign", "plc.tar.xz", "--key", "release", "--product", "plc-4000",
       "--version", "2.1.0", "--sbom", "plc.cdx.json", "--out", "release.json")
    code, out, _ = run("image", "verify", "plc.tar.xz", "--release", "release.json", "--sbom",
                       "plc.cdx.json", "--format", "json")
    assert code == 0 and json.loads(out)["verdict"] == "GENUINE"


def test_a_lockfile_gives_the_sbom_of_what_it_pins(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    lock = tmp_path / "app" / "requirements.txt"
    lock.parent.mkdir()
    lock.write_text("jinja2==2.10\nurllib3==1.24.1\n")
    out = tmp_path / "app.cdx.json"
    code, _, _ = run("sbom", "generate", str(lock), "--out", str(out))
    assert code == 0
    document = json.loads(out.read_text())
    assert document["metadata"]["component"]["name"] == "app"
    assert sorted(c["purl"] for c in document["components"]) == [
        "pkg:pypi/jinja2@2.10", "pkg:pypi/urllib3@1.24.1"]
    run("vulndb", "import", str(Path(__file__).resolve().parents[2] / "src" / "cpstrust" /
                                "demo" / "advisories"))
    scanned = json.loads(run("scan", str(out), "--format", "json")[1])
    assert scanned["summary"]["findings"] > 0  # read back and matched
    lock.write_text("jinja2>=2.10\n")
    code, _, err = run("sbom", "generate", str(lock), "--out", str(tmp_path / "other.json"))
    assert code == 2 and "line 1" in err and not (tmp_path / "other.json").exists()


def test_spdx3_keeps_the_digests_a_lockfile_pins(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    one, two, three = "a" * 64, "b" * 64, "c" * 64
    lock = tmp_path / "app" / "requirements.txt"
    lock.parent.mkdir()
    lock.write_text(f"jinja2==2.10 --hash=sha256:{one}\n"
                    f"urllib3==1.24.1 --hash=sha256:{two} --hash=sha256:{three}\n")
    out = tmp_path / "app.spdx3.json"
    code, _, err = run("sbom", "generate", str(lock), "--format", "spdx3", "--out", str(out))
    assert code == 0, err
    raw = orjson.loads(out.read_bytes())
    assert spdx3_document_validator().is_valid(raw)
    packages = {e["name"]: e for e in raw["@graph"] if e.get("type") == "software_Package"}
    # One file allowed: its digest verifies the package.
    assert packages["jinja2"]["verifiedUsing"] == [
        {"type": "Hash", "algorithm": "sha256", "hashValue": one}]
    # Two files allowed: each is a reference, named by its digest (RFC 6920).
    refs = packages["urllib3"]["externalRef"]
    assert [r["externalRefType"] for r in refs] == ["binaryArtifact", "binaryArtifact"]
    assert [r["locator"][0].split(";")[0] for r in refs] == ["ni:///sha-256"] * 2
    assert "verifiedUsing" not in packages["urllib3"]  # neither file is the package alone


def test_go_binaries_in_the_image_are_components_with_their_modules(
        rootfs: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    from go_binaries import MAIN_MODULE, build_go_binaries

    built = build_go_binaries(tmp_path_factory.mktemp("go") / "workspace")
    (rootfs / "usr/bin/hello").write_bytes(built.binaries["stripped"].read_bytes())
    document = generate("rootfs")
    json_validator("1.6").validate(document)
    by_purl = {c.get("purl"): c for c in components(document)}
    main = by_purl[f"pkg:golang/{MAIN_MODULE}"]
    assert main["type"] == "application" and "version" not in main
    edges = {d["ref"]: d["dependsOn"] for d in document["dependencies"]}  # type: ignore[attr-defined]
    assert any(p.startswith("pkg:golang/stdlib@v1.") for p in edges[main["bom-ref"]])


@pytest.mark.parametrize(("terminal", "shown"), [("1", True), ("0", False)])
def test_progress_goes_to_stderr_on_a_terminal_only_and_never_into_the_sbom(
        rootfs: Path, monkeypatch: pytest.MonkeyPatch, terminal: str, shown: bool) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", terminal)
    code, out, err = run("sbom", "generate", "rootfs")
    assert code == 0
    json_validator("1.6").validate(json.loads(out))
    assert ("hashing files" in err) is shown
