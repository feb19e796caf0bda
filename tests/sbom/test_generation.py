"""The inventory of an image: packages from each database found in one measurement, the
distribution from os-release, edges, and what fails the run or is only a warning."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cpstrust.app.sbom_generation import GeneratedFormat, generate_sbom
from cpstrust.errors import InputError, LimitExceededError
from cpstrust.limits import ImageLimits, InventoryLimits
from cpstrust.model.inventory import ImageInventory
from cpstrust.sbom.generation import inventory, keep_rule
from cpstrust.trust.image import measure_image, measure_image_keeping

NOW = datetime(2026, 12, 5, tzinfo=UTC)


def build(root: Path, files: dict[str, bytes]) -> Path:
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def inventory_of(image: Path, limits: InventoryLimits = InventoryLimits()) -> ImageInventory:
    return inventory(measure_image_keeping(image, keep_rule(limits)), str(image), "x", None)


def purls(found: ImageInventory) -> list[str]:
    return [p.purl for p in found.packages]


def test_the_measurement_keeps_the_databases_and_hashes_every_file_alike(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {"var/lib/dpkg/status": b"Package: a\nVersion: 1\n",
                                  "usr/bin/a": b"\x7fELF"})
    measured = measure_image_keeping(root, keep_rule())
    assert measured.files == measure_image(root)
    assert measured.contents == {"var/lib/dpkg/status": b"Package: a\nVersion: 1\n"}


def test_distroless_status_d_and_ubuntu_namespace(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {
        "etc/os-release": b'NAME="Ubuntu"\nID=ubuntu\n',
        "var/lib/dpkg/status.d/base": b"Package: base-files\nVersion: 13\nArchitecture: all\n",
        "var/lib/dpkg/status.d/base.md5sums": b"00  etc/issue\n",
    })
    assert purls(inventory_of(root)) == ["pkg:deb/ubuntu/base-files@13?arch=all"]


def test_the_same_package_in_two_dpkg_files_with_different_versions_fails(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {"var/lib/dpkg/status": b"Package: a\nVersion: 1\n",
                                  "var/lib/dpkg/status.d/a": b"Package: a\nVersion: 2\n"})
    with pytest.raises(InputError) as caught:
        inventory_of(root)
    assert caught.value.code == "packagedb_package_twice_in_files"
    assert "var/lib/dpkg/status.d/a" in str(caught.value)


def test_alpine_packages_and_their_edges_through_provides(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {
        "etc/os-release": b"ID=alpine\n",
        "lib/apk/db/installed": b"P:musl\nV:1.2.4-r2\nA:x86_64\np:so:libc.musl.so.1=1\n\n"
                                b"P:busybox\nV:1.36\nA:x86_64\nD:so:libc.musl.so.1\n",
    })
    found = inventory_of(root)
    assert dict(found.dependencies)["pkg:apk/alpine/busybox@1.36?arch=x86_64"] == (
        "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64",)


def test_python_npm_and_jar_packages_are_found_with_their_places(tmp_path: Path) -> None:
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w") as archive:
        archive.writestr("META-INF/maven/g/a/pom.properties",
                         "groupId=g\nartifactId=a\nversion=1\n")
    root = build(tmp_path / "r", {
        "usr/lib/python3.11/site-packages/six-1.16.0.dist-info/METADATA":
            b"Name: six\nVersion: 1.16.0\n",
        "srv/app/package-lock.json": json.dumps({"lockfileVersion": 3, "packages": {
            "node_modules/left-pad": {"version": "1.3.0", "dependencies": {"pad": "*"}},
            "node_modules/pad": {"version": "1.0.0"}}}).encode(),
        "srv/app/node_modules/left-pad/package.json": b'{"name": "left-pad", "version": "1.3.0"}',
        "opt/lib/a.jar": jar.getvalue(),
        "opt/lib/broken.jar": b"not a zip",
    })
    found = inventory_of(root)
    assert purls(found) == ["pkg:maven/g/a@1", "pkg:npm/left-pad@1.3.0", "pkg:npm/pad@1.0.0",
                            "pkg:pypi/six@1.16.0"]
    # Listed by the lock and by its package.json: the lock's resolved edges are kept.
    assert dict(found.dependencies)["pkg:npm/left-pad@1.3.0"] == ("pkg:npm/pad@1.0.0",)
    assert [w.code for w in found.warnings] == ["generate_jar_skipped"]


def test_an_oversized_metadata_fails_naming_the_image_and_the_file(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {"usr/lib/python3/dist-packages/a-1.dist-info/METADATA":
                                  b"Name: a\nVersion: 1\n" + b"x" * 2000})
    with pytest.raises(InputError) as caught:
        inventory_of(root, InventoryLimits(max_metadata_bytes=1000))
    assert caught.value.code == "packagedb_too_large"
    assert str(root) in str(caught.value) and "a-1.dist-info/METADATA" in str(caught.value)


def test_databases_kept_past_their_total_bound_stop_the_measurement(tmp_path: Path) -> None:
    root = build(tmp_path / "r", {f"srv/a{i}/package-lock.json": b"{}" * 100 for i in range(3)})
    with pytest.raises(LimitExceededError):
        inventory_of(root, InventoryLimits(max_total_bytes=500))


def test_a_tar_bomb_past_the_image_limits_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.tar"
    with tarfile.open(archive, "w") as tar:
        for i in range(10):
            member = tarfile.TarInfo(f"f{i}")
            member.size = 1000
            tar.addfile(member, io.BytesIO(b"\0" * 1000))
    out = tmp_path / "bomb.cdx.json"
    for limits in (ImageLimits(max_members=5), ImageLimits(max_total_bytes=5000)):
        with pytest.raises(LimitExceededError, match=r"bomb\.tar"):
            generate_sbom(archive, output_format=GeneratedFormat.CYCLONEDX, at=NOW, out=out,
                          limits=limits)
        assert not out.exists()


def test_a_hard_linked_database_in_a_tar_is_read_through_its_link(tmp_path: Path) -> None:
    archive = tmp_path / "r.tar"
    status = b"Package: a\nVersion: 1\n"
    with tarfile.open(archive, "w") as tar:
        member = tarfile.TarInfo("var/lib/dpkg/status-old")
        member.size = len(status)
        tar.addfile(member, io.BytesIO(status))
        link = tarfile.TarInfo("var/lib/dpkg/status")
        link.type, link.linkname = tarfile.LNKTYPE, "var/lib/dpkg/status-old"
        tar.addfile(link)
    assert purls(inventory_of(archive)) == ["pkg:deb/debian/a@1"]
