"""The inventory writers: byte-for-byte golden files, validated (CycloneDX 1.6 schema,
cyclonedx-python-lib reading it; spdx-tools' parser and validator), and our reader
finding in them what was written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cyclonedx.model.bom import Bom
from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from cpstrust.formats.cyclonedx_schema import json_validator
from cpstrust.formats.inventory_write import write_cyclonedx, write_spdx
from cpstrust.formats.sbom import read_sbom
from cpstrust.model.authenticity import MeasuredFile
from cpstrust.model.inventory import (
    Artifact,
    ImageInventory,
    InstalledPackage,
    PackageSource,
    Party,
)
from cpstrust.model.sbom import Hash

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "generate"
LIBC = "pkg:deb/debian/libc6@2.36-9?arch=amd64"
BASH = "pkg:deb/debian/bash@5.2.15?arch=amd64"
SIX = "pkg:pypi/six@1.16.0"
JAR = "pkg:maven/org.slf4j/slf4j-api@2.0.9"
GO_MAIN = "pkg:golang/example.com/plc-agent"
NPM = "pkg:npm/left-pad@1.3.0"
IDNA = "pkg:pypi/idna@3.6"

INVENTORY = ImageInventory(
    "plc-4000", "2.1.0",
    files=(MeasuredFile("etc/plc.conf", 13, "a" * 64, False,
                        extra_digests=(Hash("SHA-1", "b" * 40),)),
           MeasuredFile("opt/lib/slf4j-api.jar", 10, "c" * 64, False,
                        extra_digests=(Hash("SHA-1", "d" * 40),))),
    packages=(
        InstalledPackage(PackageSource.DEB, "bash", "5.2.15", BASH, "var/lib/dpkg/status",
                         supplier=Party("Matthias Klose", "doko@debian.org")),
        InstalledPackage(PackageSource.DEB, "libc6", "2.36-9", LIBC, "var/lib/dpkg/status",
                         supplier=Party("GNU Libc Maintainers (glibc)")),
        InstalledPackage(PackageSource.MAVEN, "slf4j-api", "2.0.9", JAR,
                         "opt/lib/slf4j-api.jar", group="org.slf4j",
                         file="opt/lib/slf4j-api.jar"),
        InstalledPackage(PackageSource.PYPI, "six", "1.16.0", SIX, "x/METADATA",
                         licences=("MIT",), author=Party("Benjamin Peterson", "b@p.org")),
        InstalledPackage(PackageSource.GOLANG, "example.com/plc-agent", "", GO_MAIN,
                         "usr/bin/plc-agent", application=True, file="usr/bin/plc-agent",
                         properties=(("cpstrust:golang:toolchain", "go1.22.1"),)),
        InstalledPackage(PackageSource.NPM, "left-pad", "1.3.0", NPM, "package-lock.json",
                         hashes=(Hash("SHA-512", "e" * 128),)),
        InstalledPackage(PackageSource.PYPI, "idna", "3.6", IDNA, "requirements.txt",
                         artifacts=(Artifact("https://files/idna-3.6.tar.gz",
                                             (Hash("SHA-256", "1" * 64),), source=True),
                                    Artifact(None, (Hash("SHA-256", "2" * 64),)))),
    ),
    dependencies=((BASH, (LIBC,)), (LIBC, ()), (JAR, ()), (SIX, ()), (GO_MAIN, (SIX,)),
                  (NPM, ()), (IDNA, ())),
)
FIXED = {"tool_version": "0.1.0", "created": "2026-12-05T00:00:00Z",
         "serial": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"}


def _golden(name: str, written: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("CPSTRUST_UPDATE_GOLDEN"):
        path.write_bytes(written)
    assert written == path.read_bytes()


def test_cyclonedx_is_the_golden_file_and_valid_against_the_1_6_schema() -> None:
    written = write_cyclonedx(INVENTORY, **FIXED)
    _golden("inventory.cdx.json", written)
    json_validator("1.6").validate(json.loads(written))


def test_cyclonedx_python_lib_reads_what_is_written() -> None:
    bom = Bom.from_json(json.loads(write_cyclonedx(INVENTORY, **FIXED)))  # type: ignore[attr-defined]
    assert {str(c.purl) for c in bom.components if c.purl} == {
        BASH, LIBC, JAR, SIX, GO_MAIN, NPM, IDNA}
    idna = next(c for c in bom.components if str(c.purl) == IDNA)
    assert {str(r.url) for r in idna.external_references} == {
        "https://files/idna-3.6.tar.gz", "ni:///sha-256;" + "Ii" * 21 + "I"}
    assert bom.metadata.component.name == "plc-4000"


def test_our_reader_finds_files_packages_and_edges() -> None:
    sbom = read_sbom(write_cyclonedx(INVENTORY, **FIXED), source="x")
    files = {c.name: c.hashes for c in sbom.components if c.type == "file"}
    assert files["etc/plc.conf"] == (Hash("SHA-256", "a" * 64),)
    assert (BASH, LIBC) in sbom.dependencies
    packages = {c.purl: c for c in sbom.components if c.type != "file"}
    assert packages[SIX].licenses == ("MIT",) and packages[BASH].supplier == "Matthias Klose"
    assert packages[JAR].locations == ("opt/lib/slf4j-api.jar",)


def test_spdx_is_the_golden_file_and_valid_spdx_2_3() -> None:
    written = write_spdx(INVENTORY, **FIXED)
    _golden("inventory.spdx.json", written)
    document = JsonLikeDictParser().parse(json.loads(written))
    assert validate_full_spdx_document(document, "SPDX-2.3") == []
    assert read_sbom(written, source="x").spec_version == "2.3"


@pytest.mark.parametrize(("licences", "declared"), [
    (("MIT",), "MIT"), (("MIT", "Apache-2.0"), "(MIT) AND (Apache-2.0)"),
    (("Apache 2.0",), "NOASSERTION"),
])
def test_spdx_declares_only_spdx_expressions(licences: tuple[str, ...], declared: str) -> None:
    package = InstalledPackage(PackageSource.PYPI, "a", "1", "pkg:pypi/a@1", "m",
                               licences=licences)
    one = ImageInventory("x", None, (), (package,), (("pkg:pypi/a@1", ()),))
    written = json.loads(write_spdx(one, **FIXED))
    assert written["packages"][1]["licenseDeclared"] == declared
