"""SPDX 2.2/2.3 JSON and tag-value reading, checked against spdx-tools' own parse."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from license_expression import get_spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    Checksum,
    ChecksumAlgorithm,
    CreationInfo,
    Document,
    ExternalPackageRef,
    ExternalPackageRefCategory,
    ExtractedLicensingInfo,
    File,
    Package,
    PackagePurpose,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.parser.parse_anything import parse_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
from spdx_tools.spdx.writer.json import json_writer
from spdx_tools.spdx.writer.tagvalue import tagvalue_writer

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats import spdx_tagvalue
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.formats.spdx_validate import validate_spdx_document
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import Hash, SbomFormat

LICENSING = get_spdx_licensing()


def _package(spdx_id: str, name: str, version: str, purl: str | None, *,
             version_22: bool = False, **extra: object) -> Package:
    refs = [ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)] \
        if purl else []
    extra.setdefault("external_references", refs)
    return Package(spdx_id, name, SpdxNoAssertion(), version=version, files_analyzed=False,
                   license_concluded=LICENSING.parse("MIT"),
                   license_declared=LICENSING.parse("Apache-2.0 OR MIT"),
                   copyright_text=SpdxNoAssertion() if version_22 else None, **extra)


def _document(version: str) -> Document:
    is_22 = version == "SPDX-2.2"
    info = CreationInfo(version, "SPDXRef-DOCUMENT", "gateway-firmware",
                        "https://example.com/spdx/gateway-1", [
                            Actor(ActorType.TOOL, "firmware-scanner"),
                            Actor(ActorType.ORGANIZATION, "Example Corp")],
                        datetime(2024, 5, 1, 12, 0, 0))
    packages = [
        _package("SPDXRef-gateway", "gateway", "2.0", None, version_22=is_22,
                 supplier=Actor(ActorType.ORGANIZATION, "Example Corp"),
                 **({} if is_22 else {"primary_package_purpose": PackagePurpose.FIRMWARE})),
        _package("SPDXRef-openssl", "openssl", "3.0.13", "pkg:generic/openssl@3.0.13",
                 version_22=is_22, checksums=[Checksum(ChecksumAlgorithm.SHA256, "ab" * 32),
                                              Checksum(ChecksumAlgorithm.SHA1, "cd" * 20)],
                 external_references=[
                     ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl",
                                        "pkg:generic/openssl@3.0.13"),
                     ExternalPackageRef(ExternalPackageRefCategory.SECURITY, "cpe23Type",
                                        "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*")]),
        _package("SPDXRef-zlib", "zlib", "1.3.1", "pkg:generic/zlib@1.3.1", version_22=is_22),
        _package("SPDXRef-busybox", "busybox", "1.36.1", "pkg:generic/busybox@1.36.1",
                 version_22=is_22),
    ]
    relationships = [
        Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-gateway"),
        Relationship("SPDXRef-gateway", RelationshipType.CONTAINS, "SPDXRef-busybox"),
        Relationship("SPDXRef-gateway", RelationshipType.DEPENDS_ON, "SPDXRef-openssl"),
        Relationship("SPDXRef-zlib", RelationshipType.DEPENDENCY_OF, "SPDXRef-openssl"),
    ]
    return Document(info, packages=packages, relationships=relationships)


def _write(document: Document, path: Path) -> Path:
    writer = json_writer if path.suffix == ".json" else tagvalue_writer
    writer.write_document_to_file(document, str(path))  # validates, so the document is valid
    return path


CASES = [("SPDX-2.3", "doc.spdx.json"), ("SPDX-2.3", "doc.spdx"),
         ("SPDX-2.2", "doc.spdx.json"), ("SPDX-2.2", "doc.spdx")]


@pytest.mark.parametrize(("version", "name"), CASES,
                         ids=["2.3-json", "2.3-tagvalue", "2.2-json", "2.2-tagvalue"])
def test_reading_equals_spdx_tools_parse(version: str, name: str, tmp_path: Path) -> None:
    path = _write(_document(version), tmp_path / name)
    sbom, raw = read_sbom_file(path)
    reference = parse_file(str(path))
    assert raw == path.read_bytes()
    assert sbom.format == (SbomFormat.SPDX_JSON if name.endswith(".json")
                           else SbomFormat.SPDX_TAG_VALUE)
    assert sbom.spec_version == version.removeprefix("SPDX-")
    assert [(c.ref, c.name, c.version, c.purl) for c in sbom.components] == [
        (p.spdx_id, p.name, p.version,
         next((r.locator for r in p.external_references if r.reference_type == "purl"), None))
        for p in reference.packages]
    assert [c.licenses for c in sbom.components] == [
        (str(p.license_concluded), str(p.license_declared)) for p in reference.packages]
    assert sbom.serial == reference.creation_info.document_namespace
    assert sbom.created == "2024-05-01T12:00:00Z"
    assert sbom.tools == ("firmware-scanner",)


@pytest.mark.parametrize("name", ["doc.spdx.json", "doc.spdx"])
def test_maps_checksums_cpe_supplier_subject_and_edges(name: str, tmp_path: Path) -> None:
    sbom = read_sbom(_write(_document("SPDX-2.3"), tmp_path / name).read_bytes(), source=name)
    by_ref = {c.ref: c for c in sbom.components}
    openssl = by_ref["SPDXRef-openssl"]
    assert openssl.hashes == (Hash("SHA-256", "ab" * 32), Hash("SHA-1", "cd" * 20))
    assert openssl.cpe == "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*"
    assert (by_ref["SPDXRef-gateway"].supplier, by_ref["SPDXRef-gateway"].type) == (
        "Example Corp", "firmware")
    assert (sbom.subject_name, sbom.subject_version) == ("gateway", "2.0")
    # CONTAINS and DEPENDS_ON keep their direction; DEPENDENCY_OF is turned around.
    assert set(sbom.dependencies) == {("SPDXRef-gateway", "SPDXRef-busybox"),
                                      ("SPDXRef-gateway", "SPDXRef-openssl"),
                                      ("SPDXRef-openssl", "SPDXRef-zlib")}
    assert [c.name for c in sbom.without_purl()] == ["gateway"]


def _broken_documents() -> dict[str, Document]:
    dangling = _document("SPDX-2.3")
    dangling.relationships.append(
        Relationship("SPDXRef-zlib", RelationshipType.DEPENDS_ON, "SPDXRef-missing"))
    duplicate = _document("SPDX-2.3")
    duplicate.packages.append(_package("SPDXRef-zlib", "zlib-copy", "1", None))
    unknown_licence = _document("SPDX-2.3")
    unknown_licence.packages[2].license_declared = LICENSING.parse("LicenseRef-secret")
    no_describes = _document("SPDX-2.3")
    no_describes.relationships.pop(0)
    old_22 = _document("SPDX-2.2")
    old_22.packages[0].license_concluded = None
    files_unanalysed = _document("SPDX-2.3")
    files_unanalysed.files.append(File("./a.c", "SPDXRef-file-a",
                                       [Checksum(ChecksumAlgorithm.SHA1, "ab" * 20)]))
    files_unanalysed.relationships.append(
        Relationship("SPDXRef-zlib", RelationshipType.CONTAINS, "SPDXRef-file-a"))
    known_licence = _document("SPDX-2.3")
    known_licence.extracted_licensing_info.append(
        ExtractedLicensingInfo("LicenseRef-secret", "text"))
    known_licence.packages[2].license_declared = LICENSING.parse("LicenseRef-secret")
    return {"dangling": dangling, "duplicate": duplicate, "unknown-licence": unknown_licence,
            "no-describes": no_describes, "2.2-missing-licence": old_22,
            "files-in-unanalysed-package": files_unanalysed, "valid-licence-ref": known_licence}


@pytest.mark.parametrize("case", sorted(_broken_documents()))
def test_linear_validator_finds_what_spdx_tools_full_validator_finds(case: str) -> None:
    document = _broken_documents()[case]
    ours = [m.validation_message for m in validate_spdx_document(document)]
    reference = [m.validation_message for m in validate_full_spdx_document(document)]
    assert bool(ours) == bool(reference) == (case != "valid-licence-ref")
    # spdx-tools words one message with the relationship list; every other text is the same.
    assert {m.split(", but found")[0] for m in ours} == {
        m.split(", but found")[0] for m in reference}


def test_validation_failure_names_the_tag_value_line(tmp_path: Path) -> None:
    path = tmp_path / "dangling.spdx"
    tagvalue_writer.write_document_to_file(_broken_documents()["dangling"], str(path),
                                           validate=False)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if "SPDXRef-missing" in text)
    with pytest.raises(InputError) as caught:
        read_sbom_file(path)
    assert caught.value.location == f"line {line}"
    assert caught.value.problem == ('SPDX validation failed: did not find the referenced spdx_id '
                                    '"SPDXRef-missing" in the SPDX document')


def test_invalid_purl_in_spdx_names_the_package(tmp_path: Path) -> None:
    document = _document("SPDX-2.3")
    # spdx-tools' own purl regex lets this through; packageurl-python does not.
    document.packages[2].external_references[0].locator = "pkg:9generic/zlib@1.3.1"
    path = tmp_path / "bad-purl.spdx.json"
    json_writer.write_document_to_file(document, str(path), validate=False)
    with pytest.raises(InputError) as caught:
        read_sbom_file(path)
    assert caught.value.location == "/packages/2"
    assert caught.value.problem == (
        "component 'zlib' has an invalid package URL 'pkg:9generic/zlib@1.3.1': "
        "purl type cannot start with a number: '9generic'.")


def test_tagvalue_parser_never_rebuilds_the_licence_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # spdx-tools' own parser calls get_spdx_licensing() per licence field (~37 ms each).
    import spdx_tools.spdx.parser.tagvalue.parser as stock

    def refuse() -> None:
        raise AssertionError("licence index rebuilt")

    monkeypatch.setattr(stock, "get_spdx_licensing", refuse)
    text = _write(_document("SPDX-2.3"), tmp_path / "doc.spdx").read_text()
    document = spdx_tagvalue.parse_tagvalue(text)
    assert [str(p.license_declared) for p in document.packages] == ["Apache-2.0 OR MIT"] * 4


@pytest.mark.parametrize("name", ["doc.spdx.json", "doc.spdx"])
def test_refuses_more_packages_than_the_limit(name: str, tmp_path: Path) -> None:
    path = _write(_document("SPDX-2.3"), tmp_path / name)
    with pytest.raises(LimitExceededError) as caught:
        read_sbom_file(path, ReadLimits(max_components=3))
    assert caught.value.problem == "more than 3 packages"
    assert caught.value.location == ("/packages/3" if name.endswith(".json") else next(
        f"line {i}" for i, text in enumerate(path.read_text().splitlines(), 1)
        if text == "SPDXID: SPDXRef-busybox"))
