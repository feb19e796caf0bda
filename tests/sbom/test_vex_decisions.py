"""Which VEX statement decides each finding: by vulnerability id or alias, by component
or by the product as a whole, the latest standing, disagreements of one time refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.vers import parse_vers
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.model.sbom import Sbom, SbomComponent, SbomFormat
from cpstrust.model.vex import (
    ProductId,
    VexDocument,
    VexFormat,
    VexStatement,
    VexStatus,
)
from cpstrust.sbom.vex import decide, in_range, purl_names

SERIAL = "urn:uuid:7d9e1c52-3b7a-4f0e-9a51-2f6c1d8e4b10"
URLLIB3 = SbomComponent("u", "urllib3", "1.24.1", "pkg:pypi/urllib3@1.24.1?arch=any")
JINJA2 = SbomComponent("j", "jinja2", "2.10", "pkg:pypi/jinja2@2.10")
SBOM = Sbom(SbomFormat.CYCLONEDX_JSON, "1.5", SERIAL, "Acme Gateway", "2.4.0",
            (URLLIB3, JINJA2), subject_ref="gw", subject_purl="pkg:generic/acme/gateway@2.4.0")


def _match(component: SbomComponent, vid: str, *aliases: str) -> VulnerabilityMatch:
    return VulnerabilityMatch(component.ref, component.purl or "", component.name,
                              component.version or "", "PyPI", vid, aliases, Severity.HIGH,
                              (), None)


def _statement(vid: str, *products: ProductId, status: VexStatus = VexStatus.NOT_AFFECTED,
               aliases: tuple[str, ...] = (), at: datetime | None = None,
               place: str = "/statements/0") -> VexStatement:
    return VexStatement(vid, aliases, status, "component_not_present", None, None, products,
                        at, place)


def _doc(*statements: VexStatement, source: str = "vex.json") -> VexDocument:
    return VexDocument(VexFormat.OPENVEX, source, None, None, None, statements, "0" * 64)


def _status(match: VulnerabilityMatch, *documents: VexDocument) -> VexStatus | None:
    decision = decide(SBOM, [match], documents).decisions.get(
        (match.component_ref, match.vulnerability_id))
    return None if decision is None else decision.status


FINDING = _match(URLLIB3, "CVE-2023-43804", "GHSA-v845-jxx5-vc9f")


@pytest.mark.parametrize(("purl", "applies"), [
    ("pkg:pypi/urllib3@1.24.1", True),
    ("pkg:pypi/urllib3", True),  # every version
    ("pkg:pypi/URLLIB3@1.24.1", True),  # PyPI names are normalised
    ("pkg:pypi/urllib3@1.24.1.0", True),  # PEP 440: the same version
    ("pkg:pypi/urllib3@2.0.0", False),  # another version
    ("pkg:pypi/urllib3@1.24.1?arch=any", True),
    ("pkg:pypi/urllib3@1.24.1?arch=arm64", False),  # a qualifier the component lacks
    ("pkg:npm/urllib3@1.24.1", False),
])
def test_a_component_is_named_by_its_purl(purl: str, applies: bool) -> None:
    document = _doc(_statement("CVE-2023-43804", ProductId(purl, purl=purl)))
    assert (_status(FINDING, document) is VexStatus.NOT_AFFECTED) is applies


def test_a_statement_naming_an_alias_applies() -> None:
    by_alias = _doc(_statement("GHSA-v845-jxx5-vc9f", ProductId("p", purl="pkg:pypi/urllib3")))
    assert _status(FINDING, by_alias) is VexStatus.NOT_AFFECTED
    its_alias = _doc(_statement("PYSEC-0000-1", ProductId("p", purl="pkg:pypi/urllib3"),
                                aliases=("cve-2023-43804",)))
    assert _status(FINDING, its_alias) is VexStatus.NOT_AFFECTED
    other = _doc(_statement("CVE-2023-45803", ProductId("p", purl="pkg:pypi/urllib3")))
    assert _status(FINDING, other) is None


@pytest.mark.parametrize(("product", "applies"), [
    (ProductId("gw", name="acme gateway", version="2.4.0"), True),
    (ProductId("gw", name="Acme Gateway", version="2.3.0"), False),
    (ProductId("gw", name="Acme Gateway", versions=("2.3.0", "2.4.0")), True),
    (ProductId("gw", purl="pkg:generic/acme/gateway@2.4.0"), True),
    (ProductId("gw", bom_serial=SERIAL, ref="gw"), True),  # BOM-Link to the product
    (ProductId("gw", bom_serial=SERIAL), True),  # BOM-Link to the whole BOM
    (ProductId("gw", bom_serial=SERIAL, ref="u"), True),  # BOM-Link to the component
    (ProductId("gw", bom_serial=SERIAL, ref="j"), False),  # to another component
    (ProductId("gw", bom_serial="urn:uuid:00000000-0000-4000-8000-000000000000", ref="gw"),
     False),  # another BOM
    (ProductId("gw", name="Acme Gateway", ranges=(
        parse_vers("vers:semver/<7.0.0|>=1.5.0", source="v", location="/"),)), True),
    (ProductId("gw", name="Acme Gateway", ranges=(
        parse_vers("vers:generic/>=2.9|<=4.1", source="v", location="/"),)), False),
    (ProductId("https://acme.example/gateway"), False),  # nothing to compare
])
def test_the_product_as_a_whole(product: ProductId, applies: bool) -> None:
    document = _doc(_statement("CVE-2023-43804", product))
    assert (_status(FINDING, document) is VexStatus.NOT_AFFECTED) is applies


def test_subcomponents_narrow_a_product_statement_to_those_components() -> None:
    product = ProductId("gw", name="Acme Gateway", subcomponents=(
        ProductId("u", purl="pkg:pypi/urllib3"),))
    document = _doc(_statement("CVE-2023-43804", product),
                    _statement("CVE-2019-10906", product, place="/statements/1"))
    assert _status(FINDING, document) is VexStatus.NOT_AFFECTED
    assert _status(_match(JINJA2, "CVE-2019-10906"), document) is None
    elsewhere = ProductId("other", name="Other Product", subcomponents=(
        ProductId("u", purl="pkg:pypi/urllib3"),))
    assert _status(FINDING, _doc(_statement("CVE-2023-43804", elsewhere))) is None


def test_the_latest_statement_stands() -> None:
    product = ProductId("p", purl="pkg:pypi/urllib3")
    old = _statement("CVE-2023-43804", product, at=datetime(2026, 1, 1, tzinfo=UTC))
    new = _statement("CVE-2023-43804", product, status=VexStatus.AFFECTED,
                     at=datetime(2026, 2, 1, tzinfo=UTC), place="/statements/1")
    undated = _statement("CVE-2023-43804", product, status=VexStatus.FIXED,
                         place="/statements/2")
    assert _status(FINDING, _doc(new, old, undated)) is VexStatus.AFFECTED
    assert _status(FINDING, _doc(undated)) is VexStatus.FIXED


def test_two_statements_of_one_time_that_disagree_are_refused() -> None:
    product = ProductId("p", purl="pkg:pypi/urllib3")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    one = _doc(_statement("CVE-2023-43804", product, at=at), source="a.json")
    two = _doc(_statement("GHSA-v845-jxx5-vc9f", product, status=VexStatus.AFFECTED, at=at,
                          place="/statements/4"), source="b.json")
    with pytest.raises(InputError) as caught:
        decide(SBOM, [FINDING], [one, two])
    assert caught.value.code == "vex_conflict"
    assert "a.json /statements/0" in str(caught.value)
    assert "b.json /statements/4" in str(caught.value)
    agreeing = _doc(_statement("CVE-2023-43804", product, at=at))
    assert _status(FINDING, one, agreeing) is VexStatus.NOT_AFFECTED


def test_the_outcome_counts_and_names_unrelated_documents() -> None:
    related = _doc(_statement("CVE-2023-43804", ProductId("p", purl="pkg:pypi/urllib3")),
                   _statement("CVE-1999-0001", ProductId("p", purl="pkg:pypi/urllib3")),
                   source="ours.json")
    unrelated = _doc(_statement("CVE-2023-43804", ProductId("p", purl="pkg:pypi/requests")),
                     source="theirs.json")
    outcome = decide(SBOM, [FINDING], [related, unrelated])
    assert (outcome.statements, outcome.applied) == (3, 1)
    assert outcome.unrelated == ("theirs.json",)


@pytest.mark.parametrize(("vers", "version", "inside"), [
    ("vers:pypi/*", "0.1", True),
    ("vers:pypi/1.0|2.0", "2.0.0", True),
    ("vers:pypi/>=1.0|!=1.5|<2.0", "1.5", False),
    ("vers:pypi/>=1.0|!=1.5|<2.0", "1.6", True),
    ("vers:npm/<1.0.0|>=3.0.0", "2.0.0", False),
    ("vers:npm/<1.0.0|>=3.0.0", "3.1.0", True),
    ("vers:semver/>=2.2.0|<=2.4.0", "2.4.0", True),
    ("vers:generic/>=2.9|<=4.1", "4.1", True),
    ("vers:generic/>=2.9|<=4.1", "10.0", False),  # ordered by value, not as text
    ("vers:deb/>=1:1.0|<1:2.0", "1:1.5-1", True),
    ("vers:unknown-scheme/>=1", "2", False),  # cannot order: in no range
    ("vers:semver/>=1.0.0", "not-a-version", False),
])
def test_vers_ranges_by_the_spec(vers: str, version: str, inside: bool) -> None:
    assert in_range(parse_vers(vers, source="v", location="/"), version) is inside


@pytest.mark.parametrize("text", ["vers:npm", "npm/>=1", "vers:/1", "vers:npm/>=", "vers:npm/>=*",
                                  "vers:npm/1||2"])
def test_malformed_vers_is_refused(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_vers(text, source="vex.json", location="/x")
    assert (caught.value.code, caught.value.location) == ("vers_malformed", "/x")


def test_a_component_without_purl_is_named_by_no_purl() -> None:
    assert not purl_names("pkg:pypi/urllib3", None)
