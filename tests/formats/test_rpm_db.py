"""rpm 4.16+ sqlite databases: a real one made by rpmbuild and rpm (Debian's `rpm`, which
the test command installs), and header blobs that break their own bounds."""

from __future__ import annotations

import sqlite3
import struct
import subprocess
from pathlib import Path

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.rpm_db import read_rpm_db
from cpstrust.model.inventory import Party
from cpstrust.sbom.generation import inventory, keep_rule
from cpstrust.trust.image import measure_image_keeping

SPECS = {
    "plcd": "Name: plcd\nVersion: 2.1.0\nRelease: 3\nEpoch: 1\nSummary: s\n"
            "License: MIT AND BSD-2-Clause\nVendor: Hokuriku Controls\nBuildArch: noarch\n"
            "Requires: libmodbus\n%description\nd\n%files\n",
    "libmodbus": "Name: libmodbus\nVersion: 3.1.6\nRelease: 1\nSummary: s\n"
                 "License: LGPL-2.1-or-later\nBuildArch: noarch\n%description\nd\n%files\n",
}
DB = "var/lib/rpm/rpmdb.sqlite"


@pytest.fixture(scope="module")
def rpm_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("rpmbuild")
    for name, spec in SPECS.items():
        (top / f"{name}.spec").write_text(spec)
        subprocess.run(["rpmbuild", "-bb", "--define", f"_topdir {top}", str(top / f"{name}.spec")],
                       check=True, capture_output=True)
    root = top / "root"
    (root / "etc").mkdir(parents=True)
    (root / "etc/os-release").write_text('ID="fedora"\n')
    rpm = ["rpm", "--root", str(root), "--dbpath", "/var/lib/rpm"]
    subprocess.run([*rpm, "--initdb"], check=True, capture_output=True)
    subprocess.run([*rpm, "-i", "--nodeps", "--noscripts",
                    *map(str, (top / "RPMS/noarch").iterdir())], check=True, capture_output=True)
    return root


def test_a_real_rpm_database_gives_purls_with_epoch_licence_vendor_and_edges(
        rpm_root: Path) -> None:
    found = inventory(measure_image_keeping(rpm_root, keep_rule()), "r", "r", None)
    packages = {p.name: p for p in found.packages}
    plcd = packages["plcd"]
    assert plcd.purl == "pkg:rpm/fedora/plcd@2.1.0-3?arch=noarch&epoch=1"
    assert plcd.licences == ("MIT AND BSD-2-Clause",)
    assert plcd.supplier == Party("Hokuriku Controls")
    assert dict(found.dependencies)[plcd.purl] == (packages["libmodbus"].purl,)


def _database(tmp_path: Path, blob: bytes) -> bytes:
    path = tmp_path / "rpmdb.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB)")
        connection.execute("INSERT INTO Packages VALUES (7, ?)", (blob,))
    connection.close()
    return path.read_bytes()


def _blob(entries: list[tuple[int, int, int, int]], data: bytes,
          claimed: tuple[int, int] | None = None) -> bytes:
    head = struct.pack(">II", *(claimed or (len(entries), len(data))))
    return head + b"".join(struct.pack(">IIiI", *e) for e in entries) + data


@pytest.mark.parametrize(("blob", "problem"), [
    (b"\0\0", "shorter"),
    (_blob([], b"", claimed=(100_000, 0)), "do not fit"),
    (_blob([], b"abc", claimed=(0, 1 << 30)), "do not fit"),
    (_blob([(1000, 6, 50, 1)], b"name\0"), "outside the data"),
    (_blob([(1000, 6, -4, 1)], b"name\0"), "outside the data"),
    (_blob([(1000, 6, 0, 1)], b"no end"), "without its end"),
    (_blob([(1003, 4, 2, 1)], b"\0\0\0"), "integer outside"),
], ids=["short", "entries", "data", "offset-past", "offset-negative", "unterminated",
        "int-past"])
def test_a_header_breaking_its_bounds_is_refused_with_its_row(
        tmp_path: Path, blob: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        read_rpm_db(_database(tmp_path, blob), DB, "fedora")
    assert caught.value.location == "row 7" and caught.value.source == DB


def test_a_header_without_a_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_rpm_db(_database(tmp_path, _blob([(1001, 6, 0, 1)], b"1.0\0")), DB, "fedora")
    assert caught.value.code == "packagedb_entry_without"


def test_a_file_that_is_no_sqlite_database_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_rpm_db(b"not sqlite at all" * 10, DB, "fedora")
    assert caught.value.code == "rpm_db_unreadable"
