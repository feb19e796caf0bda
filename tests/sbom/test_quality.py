"""SBOM quality (``sbom check``): NTIA's minimum elements, BSI TR-03183-2 v2.1.0 and the
METI guide's confirmed advice, element by element, read alike from every format."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cpstrust.errors import CpstrustError
from cpstrust.formats.sbom import read_sbom, read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.model.quality import Framework, QualityReport
from cpstrust.model.sbom import SbomDetail
from cpstrust.sbom.quality import check_quality

DATA = Path(__file__).resolve().parents[1] / "data" / "quality"
COMPLETE = DATA / "bsi-complete.cdx.json"


def _check(path: Path) -> QualityReport:
    return check_quality(read_sbom_file(path, DEFAULT_LIMITS, SbomDetail.QUALITY)[0])


def _check_document(document: dict[str, Any]) -> QualityReport:
    data = json.dumps(document).encode()
    return check_quality(read_sbom(data, source="bom.json", detail=SbomDetail.QUALITY))


Unmet = dict[str, tuple[int, int, tuple[str, ...]]]  # element -> (met, applicable, missing)


def _unmet(report: QualityReport, framework: Framework) -> Unmet:
    result = next(f for f in report.frameworks if f.framework is framework)
    return {e.element: (e.met, e.applicable, e.missing) for e in result.elements
            if e.met != e.applicable}


@pytest.mark.parametrize("name", ["bsi-complete.cdx.json", "bsi-complete.cdx.xml"])
def test_an_sbom_with_every_required_field_meets_ntia_and_bsi(name: str) -> None:
    report = _check(DATA / name)
    assert report.components == 2  # the file entry is not judged as a component
    assert {f.framework: f.compliant for f in report.frameworks} == {
        Framework.NTIA: True, Framework.BSI: True, Framework.METI: True,
        Framework.CONSISTENCY: True}
    # BSI's additional fields are reported, without counting for compliance.
    assert _unmet(report, Framework.BSI) == {
        "source_uri": (1, 2, ("uplink",)), "original_licence": (1, 2, ("uplink",))}


def test_json_and_xml_of_one_sbom_read_the_same_facts() -> None:
    json_sbom = read_sbom_file(COMPLETE, DEFAULT_LIMITS, SbomDetail.QUALITY)[0]
    xml_sbom = read_sbom_file(COMPLETE.with_suffix(".xml"), DEFAULT_LIMITS,
                              SbomDetail.QUALITY)[0]
    assert json_sbom.facts is not None and json_sbom.facts == xml_sbom.facts


Edit = Callable[[dict[str, Any]], None]


def _drop_property(name: str) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        d["components"][0]["properties"] = [
            p for p in d["components"][0]["properties"] if p["name"] != f"bsi:component:{name}"]
    return edit


def _set(path: str, value: Any) -> Edit:
    def edit(d: dict[str, Any]) -> None:
        keys: list[Any] = [int(k) if k.isdigit() else k for k in path.split(".")]
        node = d
        for key in keys[:-1]:
            node = node[key]
        if value is None:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return edit


@pytest.mark.parametrize(("edit", "framework", "expected"), [
    (_set("metadata.timestamp", None), Framework.NTIA, {"timestamp": (0, 1, ())}),
    (_set("metadata.timestamp", None), Framework.METI, {"timestamp": (0, 1, ())}),
    (_set("metadata.authors", None), Framework.NTIA, {}),  # the manufacturer made it
    (lambda d: (d["metadata"].pop("authors"), d["metadata"].pop("manufacturer")),
     Framework.NTIA, {"author": (0, 1, ())}),
    (lambda d: (d["metadata"].pop("authors"), d["metadata"].pop("manufacturer")),
     Framework.BSI, {"creator_contact": (0, 1, ())}),
    (_set("components.0.supplier", None), Framework.NTIA, {}),  # its manufacturer supplies
    (lambda d: (d["components"][1].pop("cpe")), Framework.NTIA,
     {"unique_identifier": (1, 2, ("uplink",))}),
    (_set("dependencies", []), Framework.NTIA, {"dependency": (0, 2, ("urllib3", "uplink"))}),
    (_set("compositions", None), Framework.BSI,
     {"dependencies_complete": (0, 2, ("urllib3", "uplink"))}),
    (_set("compositions.0.aggregate", "not_specified"), Framework.BSI,
     {"dependencies_complete": (0, 2, ("urllib3", "uplink"))}),
    (_set("components.1.manufacturer", {"name": "Supplier Ltd"}), Framework.BSI,
     {"component_creator": (1, 2, ("uplink",))}),
    (_drop_property("filename"), Framework.BSI, {"filename": (1, 2, ("urllib3",))}),
    (_drop_property("archive"), Framework.BSI, {"archive": (1, 2, ("urllib3",))}),
    (_set("components.0.properties.1.value", "maybe"), Framework.BSI,
     {"executable": (1, 2, ("urllib3",))}),
    (_set("components.1.externalReferences.0.hashes.0",
          {"alg": "SHA-256", "content": "00" * 32}), Framework.BSI,
     {"hash_sha512": (1, 2, ("uplink",))}),
    (_set("components.1.licenses.0.acknowledgement", "declared"), Framework.BSI,
     {"distribution_licence": (1, 2, ("uplink",))}),
    (_set("components.0.purl", "pkg:pypi/urllib3@1.26.0"), Framework.CONSISTENCY,
     {"purl_agrees": (0, 1, ("urllib3",))}),
])
def test_a_missing_element_is_named_with_the_components_that_miss_it(
    edit: Edit, framework: Framework, expected: Unmet,
) -> None:
    document = copy.deepcopy(json.loads(COMPLETE.read_text()))
    edit(document)
    unmet = _unmet(_check_document(document), framework)
    if framework is Framework.BSI:  # the additional fields the fixture leaves out
        for additional in ("source_uri", "original_licence"):
            if additional not in expected:
                unmet.pop(additional, None)
    assert unmet == expected


def test_spdx_2_is_judged_from_its_own_fields() -> None:
    report = _check(DATA / "spdx23.spdx.json")
    assert _unmet(report, Framework.NTIA) == {
        "unique_identifier": (1, 2, ("SPDXRef-gateway",))}
    bsi = _unmet(report, Framework.BSI)
    assert bsi["bsi_format"] == (0, 1, ())  # SPDX 2 is no longer accepted by v2.1.0
    assert "creator_contact" not in bsi  # "Person: Ada Supplier (ada@supplier.example)"
    assert bsi["component_creator"] == (1, 2, ("SPDXRef-gateway",))  # libfoo's originator
    assert bsi["hash_sha512"] == (1, 2, ("SPDXRef-gateway",))
    assert bsi["dependencies_complete"] == (1, 2, ("SPDXRef-gateway",))  # libfoo: -> NONE
    assert _unmet(report, Framework.METI) == {  # NOASSERTION left in each package
        "no_noassertion": (0, 2, ("SPDXRef-gateway", "SPDXRef-libfoo"))}


def test_a_report_needs_an_sbom_read_at_quality_detail() -> None:
    with pytest.raises(ValueError, match="QUALITY"):
        check_quality(read_sbom_file(COMPLETE)[0])


def test_every_shared_real_sbom_gets_a_report_and_its_json_and_xml_agree(
    shared_data: Path,
) -> None:
    reports: dict[Path, QualityReport] = {}
    for path in sorted((shared_data / "sboms").rglob("*")):
        if path.suffix in (".json", ".xml"):
            try:
                reports[path] = _check(path)
            except CpstrustError:  # VEX documents and other examples that are no SBOM
                continue
    assert len(reports) > 25
    pairs = [(p, p.with_suffix(".xml")) for p in reports if p.suffix == ".json"
             and p.with_suffix(".xml") in reports]
    assert len(pairs) > 10
    # dropwizard and keycloak: their XML leaves out the vcs references their JSON has.
    differ = {p.parent.name for p, x in pairs if reports[p].frameworks != reports[x].frameworks}
    assert differ == {"dropwizard-1.3.15", "keycloak-10.0.2"}
