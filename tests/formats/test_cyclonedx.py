"""CycloneDX JSON and XML reading, checked against cyclonedx-python-lib; and writing."""

from __future__ import annotations

import json
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import orjson
import pytest
from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import HashAlgorithm, HashType
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.dependency import Dependency
from cyclonedx.model.tool import ToolRepository
from cyclonedx.output.json import JsonV1Dot5, JsonV1Dot6, JsonV1Dot7
from cyclonedx.output.xml import XmlV1Dot5, XmlV1Dot6, XmlV1Dot7
from hypothesis import given, settings
from hypothesis import strategies as st
from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.formats.cyclonedx_schema import json_validator
from cpstrust.formats.cyclonedx_write import write_cyclonedx_json
from cpstrust.formats.sbom import read_sbom
from cpstrust.formats.sbomfields import _PURL_FAST, _PURL_PLAIN, hash_algorithm, purl_problem
from cpstrust.model.sbom import Hash, Sbom, SbomComponent, SbomDetail, SbomFormat

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "data" / "sboms" / "cyclonedx-examples" / "SBOM"
EXAMPLE_FILES = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".json", ".xml"))


def _example_params() -> list[object]:
    if not EXAMPLE_FILES:  # parametrising on nothing would pass silently
        return [pytest.param(None, id="shared-data-missing")]
    return [pytest.param(p, id=str(p.relative_to(EXAMPLES))) for p in EXAMPLE_FILES]


def _flatten(components: Iterable[Component]) -> Iterator[Component]:
    for c in components:
        yield c
        yield from _flatten(c.components)


def _reference_bom(path: Path) -> Bom:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the library warns about deprecated fields
        if path.suffix == ".json":
            return Bom.from_json(json.loads(path.read_bytes()))  # type: ignore[attr-defined]
        return Bom.from_xml(ElementTree.fromstring(path.read_bytes()))  # type: ignore[attr-defined]


def _normal_purl(purl: str | None) -> str | None:
    return PackageURL.from_string(purl).to_string() if purl else None


@pytest.mark.parametrize("path", _example_params())
def test_reading_real_sbom_matches_cyclonedx_python_lib(path: Path | None) -> None:
    if path is None:
        pytest.fail(f"shared CycloneDX examples not found under {EXAMPLES}: "
                    "clone ../shared beside the repository")
    ours = read_sbom(path.read_bytes(), source=str(path))
    reference = _reference_bom(path)
    assert {(c.name, c.version, _normal_purl(c.purl)) for c in ours.components} == {
        (c.name, c.version, c.purl.to_string() if c.purl else None)
        for c in _flatten(reference.components)}
    assert set(ours.dependencies) == {(d.ref.value, t.ref.value)
                                      for d in reference.dependencies for t in d.dependencies}
    subject = reference.metadata.component
    assert ours.subject_name == (subject.name if subject else None)
    assert ours.format == (SbomFormat.CYCLONEDX_JSON if path.suffix == ".json"
                           else SbomFormat.CYCLONEDX_XML)


@pytest.mark.parametrize("path", _example_params())
def test_an_identity_read_maps_the_same_components_without_their_details(
    path: Path | None
) -> None:
    if path is None:
        pytest.fail(f"shared CycloneDX examples not found under {EXAMPLES}")
    full = read_sbom(path.read_bytes(), source=str(path))
    lean = read_sbom(path.read_bytes(), source=str(path), detail=SbomDetail.IDENTITY)
    expected_detail = SbomDetail.IDENTITY if path.suffix == ".json" else SbomDetail.FULL
    assert lean.detail is expected_detail
    if expected_detail is SbomDetail.FULL:  # XML maps everything
        assert lean == full
        return
    assert lean.components == tuple(
        c._replace(hashes=(), licenses=(), supplier=None, locations=()) for c in full.components)
    assert (lean.dependencies, lean.tools) == ((), ())
    assert replace(lean, components=full.components, dependencies=full.dependencies,
                   tools=full.tools, detail=SbomDetail.FULL) == full


def test_an_identity_read_still_validates_the_fields_it_does_not_map() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
        {"type": "library", "name": "x", "hashes": [{"alg": "SHA-256", "content": "zz"}]}]}
    with pytest.raises(InputError) as raised:
        read_sbom(orjson.dumps(document), source="doc", detail=SbomDetail.IDENTITY)
    assert raised.value.location == "/components/0/hashes/0/content"


def test_shared_examples_cover_spec_versions_1_1_to_1_4() -> None:
    if not EXAMPLE_FILES:
        pytest.fail(f"shared CycloneDX examples not found under {EXAMPLES}")
    versions = {(p.suffix, read_sbom(p.read_bytes(), source=p.name).spec_version)
                for p in EXAMPLE_FILES}
    assert versions == {(".json", "1.2"), (".json", "1.3"), (".json", "1.4"), (".xml", "1.1"),
                        (".xml", "1.2"), (".xml", "1.3"), (".xml", "1.4")}


def _library_bom() -> Bom:
    """A BOM built with cyclonedx-python-lib using every field we map, nesting included."""
    nested = Component(name="core-js-inner", version="3.0.0", bom_ref="inner",
                       purl=PackageURL.from_string("pkg:npm/core-js-inner@3.0.0"))
    parent = Component(
        name="core", group="org.example", version="1.2.3", bom_ref="core",
        type=ComponentType.FRAMEWORK, purl=PackageURL.from_string(
            "pkg:maven/org.example/core@1.2.3?type=jar"),
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content="AB" * 32)],
        licenses=[LicenseFactory().make_from_string("Apache-2.0")],
        supplier=OrganizationalEntity(name="Example Corp"),
        cpe="cpe:2.3:a:example:core:1.2.3:*:*:*:*:*:*:*", components=[nested])
    unlicensed = Component(name="no-purl-firmware", version="7", bom_ref="fw",
                           type=ComponentType.FIRMWARE,
                           licenses=[LicenseFactory().make_from_string("MIT OR GPL-2.0-only")])
    root = Component(name="gateway", version="2.0", bom_ref="root",
                     type=ComponentType.DEVICE)
    bom = Bom(components=[parent, unlicensed], serial_number=uuid.UUID(int=7),
              metadata=BomMetaData(component=root, timestamp=datetime(2024, 5, 1, tzinfo=UTC),
                                   tools=ToolRepository(components=[
                                       Component(name="sbom-maker",
                                                 type=ComponentType.APPLICATION)])))
    bom.dependencies.add(Dependency(ref=root.bom_ref, dependencies=[
        Dependency(ref=parent.bom_ref), Dependency(ref=unlicensed.bom_ref)]))
    bom.dependencies.add(Dependency(ref=parent.bom_ref, dependencies=[
        Dependency(ref=nested.bom_ref)]))
    return bom


EXPECTED_COMPONENTS = {
    SbomComponent(ref="core", name="core", version="1.2.3",
                  purl="pkg:maven/org.example/core@1.2.3?type=jar", type="framework",
                  group="org.example", hashes=(Hash("SHA-256", "ab" * 32),),
                  licenses=("Apache-2.0",), supplier="Example Corp",
                  cpe="cpe:2.3:a:example:core:1.2.3:*:*:*:*:*:*:*"),
    SbomComponent(ref="inner", name="core-js-inner", version="3.0.0",
                  purl="pkg:npm/core-js-inner@3.0.0", parent_ref="core"),
    SbomComponent(ref="fw", name="no-purl-firmware", version="7", purl=None, type="firmware",
                  licenses=("MIT OR GPL-2.0-only",)),
}


@pytest.mark.parametrize(("writer", "version"), [
    (JsonV1Dot5, "1.5"), (JsonV1Dot6, "1.6"), (JsonV1Dot7, "1.7"),
    (XmlV1Dot5, "1.5"), (XmlV1Dot6, "1.6"), (XmlV1Dot7, "1.7")],
    ids=["json-1.5", "json-1.6", "json-1.7", "xml-1.5", "xml-1.6", "xml-1.7"])
def test_reads_every_mapped_field_of_documents_written_by_cyclonedx_python_lib(
        writer: type, version: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = writer(_library_bom()).output_as_string().encode()
    sbom = read_sbom(data, source="generated")
    assert set(sbom.components) == EXPECTED_COMPONENTS
    assert set(sbom.dependencies) == {("root", "core"), ("root", "fw"), ("core", "inner")}
    assert (sbom.subject_name, sbom.subject_version, sbom.subject_ref) == ("gateway", "2.0", "root")
    assert sbom.serial == "urn:uuid:00000000-0000-0000-0000-000000000007"
    assert sbom.created is not None and sbom.created.startswith("2024-05-01T00:00:00")
    assert sbom.tools == ("sbom-maker",)
    assert sbom.spec_version == version
    assert [c.name for c in sbom.without_purl()] == ["no-purl-firmware"]


def test_components_without_bom_ref_get_stable_index_path_refs() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "a", "components": [
            {"type": "library", "name": "a-child"}]},
        {"type": "library", "name": "b", "bom-ref": "b-ref"}]}
    first = read_sbom(orjson.dumps(document), source="x")
    assert [(c.ref, c.parent_ref) for c in first.components] == [
        ("component-0", None), ("component-0.0", "component-0"), ("b-ref", None)]
    assert read_sbom(orjson.dumps(document), source="x").components == first.components


def test_legacy_tool_list_and_licence_names_are_read() -> None:
    document = {"bomFormat": "CycloneDX", "specVersion": "1.4",
                "metadata": {"tools": [{"vendor": "acme", "name": "scanner"}, {"name": "other"}]},
                "components": [{"type": "library", "name": "x", "licenses": [
                    {"license": {"name": "Proprietary licence"}}, {"license": {"id": "MIT"}}]}]}
    sbom = read_sbom(orjson.dumps(document), source="x")
    assert sbom.tools == ("scanner", "other")
    assert sbom.components[0].licenses == ("Proprietary licence", "MIT")


def test_hash_algorithm_names_are_normalised() -> None:
    assert [hash_algorithm(n) for n in ("SHA256", "sha-256", "SHA_256", "SHA-256", "SHA3_512",
                                        "BLAKE2b_256", "MD5", "md5", "CRC32")] == [
        "SHA-256", "SHA-256", "SHA-256", "SHA-256", "SHA3-512", "BLAKE2b-256", "MD5", "MD5",
        "CRC32"]


def test_endless_spellings_of_a_hash_name_do_not_grow_what_is_remembered() -> None:
    names = hash_algorithm.__self__  # the dict the bound method belongs to
    spellings = [f"SHA{'-' * i}256" for i in range(1, 2000)]
    assert {hash_algorithm(n) for n in spellings} == {"SHA-256"}
    assert len(names) <= 256


@settings(max_examples=500, deadline=None)
@given(st.from_regex(_PURL_FAST, fullmatch=True) | st.from_regex(_PURL_PLAIN, fullmatch=True))
def test_every_purl_the_fast_checks_accept_parses_with_packageurl(purl: str) -> None:
    PackageURL.from_string(purl)


@pytest.mark.parametrize("purl", ["pkg:npm/@angular/core@16.0.0", "pkg:generic/a b@1",
                                  "pkg:docker/library/nginx@sha256%3Aabc?repository_url=x.io"])
def test_valid_purls_outside_the_fast_subset_are_accepted(purl: str) -> None:
    assert not _PURL_FAST.fullmatch(purl)
    assert not _PURL_PLAIN.fullmatch(purl)
    assert purl_problem(purl) is None


def test_written_json_validates_against_the_official_1_6_schema_and_reads_back() -> None:
    original = read_sbom(JsonV1Dot6(_library_bom()).output_as_string().encode(), source="x")
    written = write_cyclonedx_json(original)
    errors = [e.message for e in json_validator("1.6").iter_errors(orjson.loads(written))]
    assert errors == []
    again = read_sbom(written, source="written")
    assert set(again.components) == set(original.components)
    # The described product keeps its ref, and its edges with it.
    assert set(again.dependencies) == set(original.dependencies) == {
        ("root", "core"), ("root", "fw"), ("core", "inner")}
    assert (again.spec_version, again.serial, again.subject_name, again.subject_ref,
            again.tools) == ("1.6", original.serial, "gateway", "root", ("sbom-maker",))


def test_writer_keeps_spdx_checksums_cyclonedx_can_name() -> None:
    sbom = Sbom(format=SbomFormat.SPDX_JSON, spec_version="2.3", serial="https://x/doc",
                subject_name=None, subject_version=None, components=(
                    SbomComponent(ref="SPDXRef-a", name="a", version="1", purl=None,
                                  hashes=(Hash("MD2", "00"), Hash("SHA-1", "ab" * 20))),))
    written = orjson.loads(write_cyclonedx_json(sbom))
    assert written["components"][0]["hashes"] == [{"alg": "SHA-1", "content": "ab" * 20}]
    assert list(json_validator("1.6").iter_errors(written)) == []


def test_writer_refuses_a_component_with_an_invalid_purl() -> None:
    sbom = Sbom(format=SbomFormat.CYCLONEDX_JSON, spec_version="1.6", serial=None,
                subject_name=None, subject_version=None, components=(
                    SbomComponent(ref="r", name="a", version="1", purl="not-a-purl"),))
    with pytest.raises(InputError, match="component 'a' has an invalid package URL"):
        write_cyclonedx_json(sbom)
