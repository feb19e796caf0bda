"""Components whose purl says another name or version than they do (issue 12: a
``urllib3`` ``1.24.1`` written with ``pkg:pypi/urllib3@2.2.2`` scanned clean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpstrust.errors import CpstrustError
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.model.sbom import PurlField, SbomComponent
from cpstrust.sbom.consistency import purl_disagreements


def _component(name: str, version: str | None, purl: str | None,
               group: str | None = None) -> SbomComponent:
    return SbomComponent(ref=f"ref-{name}", name=name, version=version, purl=purl, group=group)


def test_a_version_the_purl_contradicts_is_named() -> None:
    found = purl_disagreements([_component("urllib3", "1.24.1", "pkg:pypi/urllib3@2.2.2")])
    assert [(d.ref, d.field, d.component_value, d.purl_value) for d in found] == [
        ("ref-urllib3", PurlField.VERSION, "1.24.1", "2.2.2")]


def test_a_name_the_purl_contradicts_is_named() -> None:
    found = purl_disagreements([_component("flask", "2.0.0", "pkg:pypi/jinja2@2.0.0")])
    assert [(d.field, d.component_value, d.purl_value) for d in found] == [
        (PurlField.NAME, "flask", "jinja2")]


def test_both_fields_can_disagree_at_once() -> None:
    found = purl_disagreements([_component("flask", "1.0", "pkg:pypi/jinja2@2.0")])
    assert [d.field for d in found] == [PurlField.NAME, PurlField.VERSION]


@pytest.mark.parametrize(("name", "version", "purl", "group"), [
    ("Django", "4.2", "pkg:pypi/django@4.2.0", None),  # one version to PEP 440
    ("zope.interface", "6.0", "pkg:pypi/zope-interface@6.0", None),  # PEP 503 names
    ("github.com/gogo/protobuf", "1.3.1", "pkg:golang/github.com/gogo/protobuf@v1.3.1", None),
    ("protobuf", "v1.3.1", "pkg:golang/github.com/gogo/protobuf@v1.3.1", None),
    ("protobuf", "1.3.1", "pkg:golang/github.com/gogo/protobuf@v1.3.1", "github.com/gogo"),
    ("log4j-core", "2.17.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
     "org.apache.logging.log4j"),
    ("@babel/core", "7.0.0", "pkg:npm/%40babel/core@7.0.0", None),
    ("openssl", "3.0.11-1~deb12u2", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64",
     None),
])
def test_spellings_of_one_package_and_version_agree(name: str, version: str, purl: str,
                                                    group: str | None) -> None:
    assert purl_disagreements([_component(name, version, purl, group)]) == []


@pytest.mark.parametrize(("name", "version", "purl"), [
    ("thing", "1.0", None),  # no purl: nothing to disagree with
    ("thing", None, "pkg:pypi/thing@1.0"),  # no version of its own
    ("thing", "1.0", "pkg:pypi/thing"),  # no version in the purl
    ("thing", "1.0", "pkg:generic/other@2.0"),  # a type we do not match: not judged
    ("thing", "1.0", "not a purl"),
])
def test_what_cannot_disagree_is_not_reported(name: str, version: str | None,
                                              purl: str | None) -> None:
    assert purl_disagreements([_component(name, version, purl)]) == []


def test_the_shared_real_sboms_have_no_disagreement(shared_data: Path) -> None:
    # 20,000 components written by Syft, Trivy, cdxgen and others: a rule that flagged
    # their ordinary spellings would drown the real disagreements.
    paths = sorted((shared_data / "sboms").rglob("*.json"))
    components = [c for p in paths for c in _read(p)]
    assert len(components) > 10_000
    assert purl_disagreements(components) == []


def _read(path: Path) -> tuple[SbomComponent, ...]:
    try:
        return read_sbom_file(path)[0].components
    except CpstrustError:  # the shared examples include VEX and other non-SBOM documents
        return ()
