"""SPDX 3.0.1 JSON-LD: the SPDX project's real examples read into the model, what we
write valid against the SPDX 3.0.1 JSON schema and read back as written, and each class
of bad input refused with the file, the JSON pointer and the problem."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from test_inventory_write import FIXED, INVENTORY

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.formats.spdx3_write import write_spdx3
from cpstrust.limits import ReadLimits
from cpstrust.messages import Lang, catalogue
from cpstrust.model.sbom import Hash, Sbom, SbomDetail, SbomFormat
from cpstrust.sbom.consistency import purl_disagreements
from cpstrust.sbom.quality import check_quality
from spdx3_schema_check import spdx3_document_validator

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = DATA / "spdx3"
GOOD = sorted(p for p in EXAMPLES.glob("*.spdx3.json") if "duplicate" not in p.name)
K8S = "https://spdx.org/spdxdocs/k8s-releng-bom-7c6a33ab-bd76-4b06-b291-a850e0815b07-specv3/"


def read(path: Path, detail: SbomDetail = SbomDetail.FULL) -> Sbom:
    return read_sbom_file(path, detail=detail)[0]


def packages(sbom: Sbom) -> dict[str, Any]:
    return {c.name: c for c in sbom.components if c.type != "file"}


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_each_real_example_is_valid_spdx_3_0_1_and_is_read(path: Path) -> None:
    assert spdx3_document_validator().is_valid(orjson.loads(path.read_bytes()))
    sbom = read(path, SbomDetail.QUALITY)
    assert sbom.format is SbomFormat.SPDX3_JSON and sbom.spec_version == "3.0.1"
    assert sbom.subject_name and sbom.serial and sbom.created
    assert check_quality(sbom).components == len(packages(sbom))


def test_packages_carry_purl_version_and_declared_licence_and_tools_are_named() -> None:
    sbom = read(EXAMPLES / "k8s-bom-example11.spdx3.json")
    tokio = packages(sbom)["tokio"]
    assert (tokio.version, tokio.purl, tokio.licenses) == ("1.19.2", "pkg:cargo/tokio@1.19.2",
                                                           ("MIT",))  # NOASSERTION dropped
    assert sbom.subject_name == "hello-server-src" and sbom.tools == ("sigs.k8s.io/bom/pkg/spdx",)
    assert sbom.serial == f"{K8S}document0"


def test_a_purl_naming_another_package_is_flagged_as_for_the_other_formats() -> None:
    sbom = read(EXAMPLES / "k8s-bom-example11.spdx3.json")
    flagged = {(d.name, d.field.value) for d in purl_disagreements(sbom.components)}
    assert ("hello-server-src", "name") in flagged and ("hello-server-src", "version") in flagged


def test_files_carry_hashes_and_depends_on_and_contains_become_edges() -> None:
    sbom = read(EXAMPLES / "appbomination-example9.spdx3.json")
    files = [c for c in sbom.components if c.type == "file"]
    assert len(files) == 15
    assert all(c.hashes and c.locations == (c.name.removeprefix("./"),) for c in files)
    by_ref = {c.ref: c.name for c in sbom.components}
    edges = {(by_ref[a], by_ref[b]) for a, b in sbom.dependencies}
    assert {("App-BOM-ination", "junit"), ("junit", "hamcrest-core")} <= edges  # dependsOn
    assert len(sbom.dependencies) == 22


def test_the_subject_is_found_through_the_sbom_root_and_suppliers_are_named() -> None:
    sbom = read(EXAMPLES / "suppliers-example13.spdx3.json")
    assert (sbom.subject_name, sbom.subject_version) == ("Acme Application", "1.3")
    assert packages(sbom)["npm-elliptic"].supplier == "Fedor Indutny"
    assert packages(sbom)["alpine:latest"].type == "container"


def test_describes_names_the_subject_and_links_are_not_dependency_edges() -> None:
    sbom = read(EXAMPLES / "examplemaven-example8.spdx3.json")
    assert sbom.subject_name == "examplemaven"
    assert packages(sbom)["examplemaven"].licenses == ("Apache-2.0",)
    assert len(sbom.dependencies) == 3  # contains only: hasDynamicLink is not dependsOn


def test_quality_facts_name_authors_licences_and_download_locations() -> None:
    sbom = read(EXAMPLES / "suppliers-example13.spdx3.json", SbomDetail.QUALITY)
    assert sbom.facts is not None
    assert sbom.facts.authors == ("Application Owner Jane Doe", "Acme Company")
    assert sbom.facts.creator_contacts == ("jane-doe-1@acme.com",)
    maven = read(EXAMPLES / "examplemaven-example8.spdx3.json", SbomDetail.QUALITY)
    assert maven.facts is not None
    facts = maven.facts.components
    declared = {f.declared_licences for f in facts.values()}
    assert ("Apache-2.0",) in declared


def test_what_we_write_is_the_golden_file_valid_and_read_back_as_written() -> None:
    written = write_spdx3(INVENTORY, **FIXED)
    golden = DATA / "generate" / "inventory.spdx3.json"
    if os.environ.get("CPSTRUST_UPDATE_GOLDEN"):
        golden.write_bytes(written)
    assert written == golden.read_bytes()
    assert spdx3_document_validator().is_valid(orjson.loads(written))
    sbom = read_sbom(written, source="x")
    assert {c.purl for c in sbom.components if c.purl} == {p.purl for p in INVENTORY.packages}
    files = {c.name: c.hashes for c in sbom.components if c.type == "file"}
    assert files == {f.path: (Hash("SHA-256", f.sha256),) for f in INVENTORY.files}
    by_purl = {c.purl: c for c in sbom.components}
    assert (by_purl[INVENTORY.packages[0].purl].ref,
            by_purl[INVENTORY.packages[1].purl].ref) in sbom.dependencies  # bash -> libc6
    assert by_purl["pkg:pypi/six@1.16.0"].licenses == ("MIT",)
    assert by_purl[INVENTORY.packages[0].purl].supplier == "Matthias Klose"
    assert (sbom.subject_name, sbom.subject_version) == ("plc-4000", "2.1.0")


# Bad input, each built from one small valid document.

BASE = "https://example.org/doc#"
MINIMAL: dict[str, Any] = {
    "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
    "@graph": [
        {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1",
         "created": "2026-01-01T00:00:00Z", "createdBy": [f"{BASE}me"]},
        {"type": "Person", "spdxId": f"{BASE}me", "creationInfo": "_:ci", "name": "Me"},
        {"type": "SpdxDocument", "spdxId": f"{BASE}doc", "creationInfo": "_:ci",
         "rootElement": [f"{BASE}app"]},
        {"type": "software_Package", "spdxId": f"{BASE}app", "creationInfo": "_:ci",
         "name": "app", "software_packageVersion": "1.0",
         "software_packageUrl": "pkg:pypi/app@1.0"},
        {"type": "software_Package", "spdxId": f"{BASE}lib", "creationInfo": "_:ci",
         "name": "lib", "software_packageVersion": "2.0",
         "software_packageUrl": "pkg:pypi/lib@2.0"},
        {"type": "Relationship", "spdxId": f"{BASE}rel", "creationInfo": "_:ci",
         "from": f"{BASE}app", "relationshipType": "dependsOn", "to": [f"{BASE}lib"]},
    ],
}


def document(**changes: Any) -> dict[str, Any]:
    """MINIMAL with ``@graph`` elements changed (by index: a dict of new members or None
    to drop) or appended (key "append")."""
    changed = copy.deepcopy(MINIMAL)
    for key, value in changes.items():
        if key == "append":
            changed["@graph"].extend(value)
        else:
            changed["@graph"][int(key.removeprefix("e"))].update(value)
    return changed


def refused(doc: object, limits: ReadLimits = ReadLimits()) -> InputError:
    with pytest.raises(InputError) as caught:
        read_sbom(orjson.dumps(doc), source="supplier.spdx3.json", limits=limits)
    error = caught.value
    assert error.diagnostics().startswith(f"supplier.spdx3.json: at {error.location}: ")
    assert error.code in catalogue() and error.diagnostics(Lang.JA) != error.diagnostics()
    return error


def test_the_minimal_document_is_valid_and_read() -> None:
    assert spdx3_document_validator().is_valid(MINIMAL)
    sbom = read_sbom(orjson.dumps(MINIMAL), source="x")
    assert sbom.dependencies == ((f"{BASE}app", f"{BASE}lib"),)
    assert sbom.subject_purl == "pkg:pypi/app@1.0"


@pytest.mark.parametrize(("context", "shown"), [
    ("https://spdx.org/rdf/3.0.0/spdx-context.jsonld", "3.0.0/spdx-context.jsonld"),
    ("https://www.w3.org/ns/activitystreams", "activitystreams"),
    (["https://spdx.org/rdf/3.0.1/spdx-context.jsonld"], "an array"),
])
def test_json_ld_that_is_not_spdx_3_0_1_is_refused_at_its_context(context: object,
                                                                   shown: str) -> None:
    error = refused({**MINIMAL, "@context": context})
    assert error.location == "/@context" and shown in error.problem


def test_a_document_without_graph_is_refused() -> None:
    error = refused({"@context": MINIMAL["@context"], **MINIMAL["@graph"][3]})
    assert error.location == "/" and "'@graph'" in error.problem


@pytest.mark.parametrize(("doc", "location", "problem"), [
    ({**MINIMAL, "@graph": {"a": 1}}, "/@graph", "an object"),
    ({**MINIMAL, "@graph": [*MINIMAL["@graph"], 7]}, "/@graph/6", "a number"),
])
def test_a_graph_that_is_no_list_of_objects_is_refused(doc: object, location: str,
                                                      problem: str) -> None:
    error = refused(doc)
    assert error.location == location and problem in error.problem


def test_two_elements_with_one_id_are_refused() -> None:
    error = refused(document(e4={"spdxId": f"{BASE}app"}))
    assert error.location == "/@graph/4" and "/@graph/3" in error.problem


def test_the_real_example_that_writes_one_relationship_twice_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read(EXAMPLES / "simplehtr-duplicate-id.spdx3.json")
    assert caught.value.code == "spdx3_duplicate_id" and caught.value.location == "/@graph/102"


def test_a_second_spdx_document_is_refused() -> None:
    second = {**MINIMAL["@graph"][2], "spdxId": f"{BASE}doc2"}
    error = refused(document(append=[second]))
    assert error.location == "/@graph/6" and "/@graph/2" in error.problem


@pytest.mark.parametrize(("change", "location"), [
    ({"e5": {"to": [f"{BASE}nowhere"]}}, "/@graph/5/to/0"),
    ({"e5": {"from": f"{BASE}nowhere"}}, "/@graph/5/from"),
    ({"e2": {"rootElement": [f"{BASE}nowhere"]}}, "/@graph/2/rootElement/0"),
    ({"e4": {"suppliedBy": f"{BASE}nowhere"}}, "/@graph/4/suppliedBy"),
    ({"e4": {"creationInfo": "_:nowhere"}}, "/@graph/4/creationInfo"),
])
def test_a_reference_to_an_element_nowhere_is_refused(change: dict[str, Any],
                                                     location: str) -> None:
    error = refused(document(**change))
    assert error.code == "spdx3_dangling_reference" and error.location == location
    assert "nowhere" in error.problem


def test_references_to_elements_spdx_defines_or_the_document_imports_are_kept() -> None:
    imported = f"{BASE.removesuffix('#')}/other#x"
    doc = document(e2={"import": [{"type": "ExternalMap", "externalSpdxId": imported}]},
                   e4={"suppliedBy": "SpdxOrganization"},
                   e5={"to": [f"{BASE}lib", imported]})
    sbom = read_sbom(orjson.dumps(doc), source="x")
    assert sbom.dependencies == ((f"{BASE}app", f"{BASE}lib"),)


@pytest.mark.parametrize(("change", "location", "code"), [
    ({"e4": {"name": 7}}, "/@graph/4/name", "spdx3_schema_mismatch"),
    ({"e4": {"software_packageVersion": ["2.0"]}}, "/@graph/4/software_packageVersion",
     "spdx3_schema_mismatch"),
    ({"e4": {"colour": "red"}}, "/@graph/4", "spdx3_schema_mismatch"),
    ({"e4": {"type": "software_Pakage"}}, "/@graph/4/type", "spdx3_unknown_type"),
    ({"e4": {"suppliedBy": f"{BASE}app"}}, "/@graph/4/suppliedBy",
     "spdx3_wrong_reference_type"),
    ({"e4": {"creationInfo": f"{BASE}me"}}, "/@graph/4/creationInfo",
     "spdx3_wrong_reference_type"),
    ({"e5": {"relationshipType": "hasDeclaredLicense"}}, "/@graph/5/to/0",
     "spdx3_wrong_reference_type"),
    ({"e4": {"name": None}}, "/@graph/4/name", "spdx3_schema_mismatch"),
])
def test_values_and_references_of_the_wrong_type_are_refused(change: dict[str, Any],
                                                             location: str, code: str) -> None:
    error = refused(document(**change))
    assert (error.code, error.location) == (code, location)


def test_a_package_without_a_name_is_refused() -> None:
    doc = document()
    del doc["@graph"][4]["name"]
    error = refused(doc)
    assert (error.code, error.location) == ("spdx3_element_without_name", "/@graph/4")


def test_a_package_naming_two_purls_is_refused() -> None:
    error = refused(document(e4={"externalIdentifier": [
        {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl",
         "identifier": "pkg:pypi/lib@2.1"}]}))
    assert error.code == "spdx3_purls_disagree" and error.location == "/@graph/4"
    assert "pkg:pypi/lib@2.1" in error.problem


def test_an_unparseable_purl_is_refused_as_in_the_other_formats() -> None:
    error = refused(document(e4={"software_packageUrl": "pkg:/lib"}))
    assert (error.code, error.location) == ("sbom_invalid_purl", "/@graph/4")


def test_a_licence_written_in_expanded_licensing_is_refused_not_dropped() -> None:
    licence_set = {"type": "expandedlicensing_DisjunctiveLicenseSet",
                   "spdxId": f"{BASE}either", "creationInfo": "_:ci",
                   "expandedlicensing_member": ["https://spdx.org/licenses/MIT",
                                                "https://spdx.org/licenses/0BSD"]}
    licensed = {"type": "Relationship", "spdxId": f"{BASE}lic", "creationInfo": "_:ci",
                "from": f"{BASE}lib", "relationshipType": "hasDeclaredLicense",
                "to": [f"{BASE}either"]}
    error = refused(document(append=[licence_set, licensed]))
    assert (error.code, error.location) == ("spdx3_licence_not_read", "/@graph/7/to/0")


def test_more_elements_than_the_limit_are_refused_before_any_is_read() -> None:
    with pytest.raises(LimitExceededError) as caught:
        read_sbom(orjson.dumps(MINIMAL), source="x", limits=ReadLimits(max_components=5))
    assert caught.value.location == "/@graph/5"
