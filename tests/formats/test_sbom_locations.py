"""Where an SBOM places files in the product: CycloneDX evidence occurrences, SPDX files."""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from cyclonedx.model import HashAlgorithm, HashType
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.component_evidence import ComponentEvidence, Occurrence
from cyclonedx.output.json import JsonV1Dot5, JsonV1Dot6, JsonV1Dot7
from cyclonedx.output.xml import XmlV1Dot5, XmlV1Dot6, XmlV1Dot7
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
from spdx_tools.spdx.writer.tagvalue import tagvalue_writer

from cpstrust.errors import LimitExceededError
from cpstrust.formats.cyclonedx_schema import json_validator
from cpstrust.formats.cyclonedx_write import write_cyclonedx_json
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.limits import ReadLimits
from cpstrust.model.sbom import Hash, Sbom, SbomComponent, SbomFormat, product_path

SSL = "ab" * 32


def _bom_with_occurrences() -> Bom:
    openssl = Component(
        name="openssl", version="3.0.13", bom_ref="openssl", type=ComponentType.LIBRARY,
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=SSL)],
        evidence=ComponentEvidence(occurrences=[
            Occurrence(location="/usr/lib/libssl.so.3"),
            Occurrence(location="./opt/vendor/lib/libssl.so.3")]))
    plain = Component(name="zlib", version="1.3.1", bom_ref="zlib")
    return Bom(components=[openssl, plain])


@pytest.mark.parametrize("writer", [JsonV1Dot5, JsonV1Dot6, JsonV1Dot7,
                                    XmlV1Dot5, XmlV1Dot6, XmlV1Dot7],
                         ids=["json-1.5", "json-1.6", "json-1.7", "xml-1.5", "xml-1.6", "xml-1.7"])
def test_cyclonedx_evidence_occurrences_become_normalised_locations(writer: type) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = writer(_bom_with_occurrences()).output_as_string().encode()
    by_ref = {c.ref: c for c in read_sbom(data, source="generated").components}
    assert sorted(by_ref["openssl"].locations) == ["opt/vendor/lib/libssl.so.3",
                                                   "usr/lib/libssl.so.3"]
    assert by_ref["zlib"].locations == ()


def test_repeated_occurrences_of_one_path_are_kept_once() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "name": "busybox", "evidence": {"occurrences": [
            {"location": "/bin/busybox"}, {"location": "./bin/busybox"},
            {"location": "bin//busybox"}, {"location": "/"}]}},
        {"type": "library", "name": "no-occurrences", "evidence": {"identity": [
            {"field": "name", "confidence": 1}]}}]}
    sbom = read_sbom(orjson.dumps(document), source="x")
    assert [c.locations for c in sbom.components] == [("bin/busybox",), ()]


def test_cyclonedx_file_components_keep_their_name_and_have_no_invented_locations() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
        {"type": "file", "name": "./usr/bin/app",
         "hashes": [{"alg": "SHA-256", "content": SSL}]}]}
    [component] = read_sbom(orjson.dumps(document), source="x").components
    assert (component.type, component.name, component.locations) == ("file", "./usr/bin/app", ())


def test_writer_round_trips_locations_as_evidence_occurrences() -> None:
    sbom = Sbom(format=SbomFormat.SPDX_JSON, spec_version="2.3", serial=None,
                subject_name=None, subject_version=None, components=(
                    SbomComponent(ref="SPDXRef-app", name="./usr/bin/app", version=None,
                                  purl=None, type="file", hashes=(Hash("SHA-256", SSL),),
                                  locations=("usr/bin/app",)),
                    SbomComponent(ref="lib", name="lib", version="1", purl=None)))
    written = orjson.loads(write_cyclonedx_json(sbom))
    assert list(json_validator("1.6").iter_errors(written)) == []
    assert written["components"][0]["evidence"] == {"occurrences": [{"location": "usr/bin/app"}]}
    assert "evidence" not in written["components"][1]
    again = read_sbom(orjson.dumps(written), source="written")
    assert [c.locations for c in again.components] == [("usr/bin/app",), ()]


def _spdx_document() -> Document:
    info = CreationInfo("SPDX-2.3", "SPDXRef-DOCUMENT", "gateway-firmware",
                        "https://example.com/spdx/gateway-1",
                        [Actor(ActorType.TOOL, "firmware-scanner")], datetime(2024, 5, 1))
    package = Package("SPDXRef-gateway", "gateway", SpdxNoAssertion(), version="2.0",
                      files_analyzed=True, verification_code=None)
    files = [
        File("./usr/bin/app", "SPDXRef-app", [Checksum(ChecksumAlgorithm.SHA1, "cd" * 20),
                                               Checksum(ChecksumAlgorithm.SHA256, SSL)]),
        File("./etc/config.txt", "SPDXRef-config", [Checksum(ChecksumAlgorithm.SHA1, "ef" * 20)]),
    ]
    relationships = [
        Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-gateway"),
        Relationship("SPDXRef-gateway", RelationshipType.CONTAINS, "SPDXRef-app"),
        Relationship("SPDXRef-gateway", RelationshipType.CONTAINS, "SPDXRef-config"),
    ]
    return Document(info, packages=[package], files=files, relationships=relationships)


@pytest.mark.parametrize("name", ["doc.spdx.json", "doc.spdx"])
def test_spdx_files_become_file_components_located_at_their_file_name(
        name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    writer = json_writer if name.endswith(".json") else tagvalue_writer
    writer.write_document_to_file(_spdx_document(), str(path), validate=False)
    sbom, _ = read_sbom_file(path)
    files = {c.ref: c for c in sbom.components if c.type == "file"}
    assert files == {
        "SPDXRef-app": SbomComponent(
            ref="SPDXRef-app", name="./usr/bin/app", version=None, purl=None, type="file",
            hashes=(Hash("SHA-1", "cd" * 20), Hash("SHA-256", SSL)),
            locations=("usr/bin/app",)),
        "SPDXRef-config": SbomComponent(
            ref="SPDXRef-config", name="./etc/config.txt", version=None, purl=None,
            type="file", hashes=(Hash("SHA-1", "ef" * 20),), locations=("etc/config.txt",)),
    }
    assert [c.ref for c in sbom.components if c.type != "file"] == ["SPDXRef-gateway"]
    assert set(sbom.dependencies) == {("SPDXRef-gateway", "SPDXRef-app"),
                                      ("SPDXRef-gateway", "SPDXRef-config")}


def test_spdx_files_count_against_the_component_limit(tmp_path: Path) -> None:
    path = tmp_path / "doc.spdx.json"
    json_writer.write_document_to_file(_spdx_document(), str(path), validate=False)
    with pytest.raises(LimitExceededError) as caught:
        read_sbom_file(path, ReadLimits(max_components=2))
    assert caught.value.problem == "more than 2 packages and files"
    assert caught.value.location == "/files/1"


@pytest.mark.parametrize(("written", "normal"), [
    ("./usr/bin/x", "usr/bin/x"), ("/usr/bin/x", "usr/bin/x"), ("usr//bin/./x", "usr/bin/x"),
    ("//usr/bin/x", "usr/bin/x"), ("usr/lib/../bin/x", "usr/bin/x"), (".", ""), ("", ""),
    ("../x", "../x")])
def test_product_paths_are_written_one_way(written: str, normal: str) -> None:
    assert product_path(written) == normal
