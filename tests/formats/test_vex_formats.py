"""VEX readers: OpenVEX, CycloneDX VEX and CSAF 2.0 VEX into one model, and each class of
bad input refused with the file and the place named."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.vex import read_vex, read_vex_file
from cpstrust.limits import ReadLimits
from cpstrust.model.vex import VexFormat, VexStatus

DATA = Path(__file__).resolve().parents[1] / "data" / "vex"


def _doc(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text())
    return loaded


def test_every_cyclonedx_vex_example_reads(shared_data: Path) -> None:
    folder = shared_data / "sboms" / "cyclonedx-examples" / "VEX"
    files = sorted(folder.rglob("vex.json"))
    assert len(files) >= 20
    for path in files:
        document = read_vex_file(path)
        assert document.format is VexFormat.CYCLONEDX and document.statements, path


def test_cyclonedx_states_versions_and_bom_links(shared_data: Path) -> None:
    cases = shared_data / "sboms" / "cyclonedx-examples" / "VEX"
    ghi = read_vex_file(cases / "CISA-Use-Cases" / "Case-3" / "vex.json")
    by_id = {s.vulnerability: s for s in ghi.statements}
    assert by_id["CVE-2020-11896"].status is VexStatus.UNDER_INVESTIGATION  # in_triage
    assert by_id["CVE-2020-11898"].status is VexStatus.AFFECTED  # exploitable
    assert by_id["CVE-2020-11901"].status is VexStatus.FIXED  # resolved
    assert by_id["CVE-2020-11897"].justification == "code_not_present"
    # A local ref names the VEX's own component: its name and version name the product.
    assert by_id["CVE-2020-11897"].products[0].name == "GHI"
    assert by_id["CVE-2020-11897"].products[0].version == "17.4"
    abc = read_vex_file(cases / "CISA-Use-Cases" / "Case-4" / "vex.json").statements[0]
    product = abc.products[0]
    assert product.versions == ("2.4", "2.6")
    assert product.ranges[0].scheme == "generic"
    assert product.ranges[0].constraints == ((">=", "2.9"), ("<=", "4.1"))
    linked = read_vex_file(cases / "Use-Cases" / "Case-13" / "vex.json").statements[0]
    assert linked.products[0].bom_serial == "urn:uuid:2c385cf7-e1ee-46e9-a51c-13de1ecb380a"
    assert linked.products[0].ref == "acme-product-1"


def test_openvex_statements_inherit_the_document_time_and_keep_subcomponents() -> None:
    document = read_vex_file(DATA / "gateway.openvex.json")
    assert document.format is VexFormat.OPENVEX and document.author == "Acme PSIRT"
    first, _, third = document.statements
    assert first.timestamp == datetime(2026, 11, 1, 9, tzinfo=UTC)  # the document's
    assert third.timestamp == datetime(2026, 11, 2, 9, tzinfo=UTC)  # its own
    assert first.products[0].purl == "pkg:pypi/urllib3@1.24.1"
    assert first.impact and first.justification == "vulnerable_code_not_in_execute_path"
    assert third.aliases == ("GHSA-g4mx-q9vg-27p4",)
    assert third.products[0].subcomponents[0].purl == "pkg:pypi/urllib3"
    assert first.place == "/statements/0"


def test_csaf_product_tree_relationships_groups_and_flags() -> None:
    document = read_vex_file(DATA / "gateway.csaf.json")
    assert (document.format, document.document_id) == (VexFormat.CSAF, "ACME-VEX-2026-001")
    fixed, not_affected = document.statements
    assert fixed.status is VexStatus.FIXED
    assert (fixed.products[0].name, fixed.products[0].version) == ("Acme Gateway", "2.4.0")
    assert fixed.action == "Patched in the gateway's build."  # through the group
    assert not_affected.justification == "vulnerable_code_not_present"
    assert not_affected.impact == "The parser is patched out."
    inside = not_affected.products[0]
    assert inside.name == "Acme Gateway"
    assert inside.subcomponents[0].purl == "pkg:pypi/urllib3@1.24.1"


def _set(path: list[str | int], value: object) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node: Any = document
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return change


def _delete(path: list[str | int]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node: Any = document
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
    return change


BAD = [
    ("gateway.openvex.json", _set(["statements", 0, "status"], "maybe"),
     "vex_schema_violation", "/statements/0/status"),
    ("gateway.openvex.json", _delete(["statements", 1, "justification"]),
     "vex_schema_violation", None),  # not_affected: justification or impact statement
    ("gateway.openvex.json", _set(["statements", 2, "timestamp"], "yesterday"),
     "vex_bad_timestamp", "/statements/2/timestamp"),
    ("gateway.cdx-vex.json", _set(["vulnerabilities", 0, "affects", 0, "ref"], "nowhere"),
     "vex_unknown_ref", "/vulnerabilities/0/affects/0/ref"),
    ("gateway.cdx-vex.json", _set(["vulnerabilities", 0, "affects", 0, "ref"], "urn:cdx:x/1"),
     "vex_bad_bom_link", "/vulnerabilities/0/affects/0/ref"),
    ("gateway.cdx-vex.json",
     _set(["vulnerabilities", 1, "affects", 0, "versions"], [{"version": "2.4.0",
                                                              "status": "affected"}]),
     "vex_version_contradicts", "/vulnerabilities/1/affects/0/versions/0/status"),
    ("gateway.cdx-vex.json",
     _set(["vulnerabilities", 1, "affects", 0, "versions"], [{"range": "vers:semver"}]),
     "vers_malformed", "/vulnerabilities/1/affects/0/versions/0/range"),
    ("gateway.cdx-vex.json", _set(["vulnerabilities", 0, "analysis", "state"], "fine"),
     "vex_schema_violation", "/vulnerabilities/0/analysis/state"),
    ("gateway.cdx-vex.json", _set(["vulnerabilities"], [{"id": "CVE-2019-10906"}]),
     "vex_no_statement", "/vulnerabilities"),
    ("gateway.csaf.json",
     _set(["vulnerabilities", 0, "product_status", "fixed"], ["GW-999"]),
     "vex_csaf_unknown_product", "/vulnerabilities/0/product_status/fixed/0"),
    ("gateway.csaf.json",
     _set(["vulnerabilities", 0, "product_status", "known_affected"], ["GW-240"]),
     "vex_csaf_status_twice", "/vulnerabilities/0/product_status/known_affected/0"),
    ("gateway.csaf.json", _set(["document", "category"], "csaf_security_advisory"),
     "vex_csaf_not_vex", "/document/category"),
    ("gateway.csaf.json", _delete(["document", "tracking"]),
     "vex_field_missing", "/document"),
    ("gateway.csaf.json", _set(["document", "tracking", "current_release_date"], "soon"),
     "vex_bad_timestamp", "/document/tracking/current_release_date"),
    ("gateway.csaf.json", _set(["vulnerabilities", 0, "remediations", 0, "group_ids"],
                               ["NONE"]),
     "vex_csaf_unknown_group", "/vulnerabilities/0/remediations/0/group_ids/0"),
    ("gateway.csaf.json", _set(["product_tree", "full_product_names", 0, "product_id"],
                               "GW-240"),
     "vex_csaf_product_twice", "/product_tree/full_product_names/0/product_id"),
    ("gateway.csaf.json", _set(["vulnerabilities", 0, "product_status"], ["GW-240"]),
     "vex_field_type", "/vulnerabilities/0/product_status"),
]


@pytest.mark.parametrize(("name", "change", "code", "location"), BAD,
                         ids=[f"{b[0]}:{b[2]}" for b in BAD])
def test_bad_vex_is_refused_naming_file_and_place(
        tmp_path: Path, name: str, change: Callable[[dict[str, Any]], None], code: str,
        location: str | None) -> None:
    document = copy.deepcopy(_doc(name))
    change(document)
    path = tmp_path / name
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as caught:
        read_vex_file(path)
    assert caught.value.code == code
    assert caught.value.source == str(path)
    if location is not None:
        assert caught.value.location == location


def test_a_document_of_no_vex_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"spdxVersion": "SPDX-2.3"}))
    with pytest.raises(InputError) as caught:
        read_vex_file(path)
    assert caught.value.code == "vex_unknown_format" and caught.value.source == str(path)


def test_a_key_written_twice_is_refused() -> None:
    text = (DATA / "gateway.openvex.json").read_text()
    twice = text.replace('"status": "not_affected", "justification"',
                         '"status": "affected", "status": "not_affected", "justification"', 1)
    assert twice != text
    with pytest.raises(InputError) as caught:
        read_vex(twice.encode(), source="twice.json")
    assert caught.value.code == "json_duplicate_key" and caught.value.source == "twice.json"
    assert caught.value.location == "/statements/0"


def test_limits_hold() -> None:
    data = (DATA / "gateway.csaf.json").read_bytes()
    with pytest.raises(LimitExceededError):
        read_vex(data, source="big.json", limits=ReadLimits(max_bytes=100))
    with pytest.raises(LimitExceededError) as caught:
        read_vex(data, source="deep.json", limits=ReadLimits(max_depth=4))
    assert caught.value.source == "deep.json"


def test_csaf_branches_nested_past_the_limit_are_refused() -> None:
    document = _doc("gateway.csaf.json")
    branch: dict[str, Any] = {"category": "product_family", "name": "deep"}
    for _ in range(40):
        branch = {"category": "product_family", "name": "deep", "branches": [branch]}
    document["product_tree"]["branches"] = [branch]
    with pytest.raises(InputError) as caught:
        read_vex(json.dumps(document).encode(), source="deep.json",
                 limits=ReadLimits(max_depth=200))
    assert caught.value.code == "input_nesting_too_deep"
