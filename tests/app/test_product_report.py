"""A product's report on the bundled demo, on SQLite and PostgreSQL: the dependency path
to each vulnerable component, the release reported by default, VEX statuses with their
document, licences decided only by a policy, the quality `sbom check` gives, and what
is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cpstrust.app.demo import demo_dir, load_demo
from cpstrust.app.product_report import product_report
from cpstrust.app.sbom_quality import check_sbom_file
from cpstrust.app.scanning import StoredScope
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.app.vex import import_vex
from cpstrust.errors import NotFoundError
from cpstrust.model.finding import FindingStatus
from cpstrust.model.licence import Decision, LicenceCategory
from cpstrust.model.lifecycle import Decider
from cpstrust.model.product_report import ProductReport, ReportFinding
from cpstrust.model.vex import VexStatus

NOW = datetime.now(UTC)

DATA = Path(__file__).resolve().parents[1] / "data" / "report"
WERKZEUG = "pkg:pypi/werkzeug@2.2.2"


def _path(report: ProductReport, ref: str) -> list[tuple[str, str | None]] | None:
    path = report.paths[ref]
    return None if path is None else [(step.name, step.version) for step in path]


def _finding(report: ProductReport, vulnerability: str) -> ReportFinding:
    return next(f for f in report.findings if f.vulnerability_id == vulnerability)


def test_the_path_runs_from_the_product_through_the_components_that_pull_it_in(
        services: Services) -> None:
    load_demo(services, NOW)
    report = product_report(services, "MBS-BAC200")
    assert (report.version, report.supplier) == ("5.1.2", "Minato Building Systems")
    assert _path(report, WERKZEUG) == [("MBS-BAC200", "5.1.2"),
                                       ("bac200-web-console", "5.1.2"),
                                       ("Flask", "2.2.2"), ("Werkzeug", "2.2.2")]
    assert _path(report, "pkg:pypi/lxml@4.6.2") == [("MBS-BAC200", "5.1.2"), ("lxml", "4.6.2")]
    assert set(report.paths) == {f.component_ref for f in report.findings} == {
        WERKZEUG, "pkg:pypi/flask@2.2.2", "pkg:pypi/lxml@4.6.2"}
    assert report.findings[0].vulnerability_id == "CVE-2023-46136"  # high: worst first


def test_the_shortest_path_is_shown_and_spdx_starts_at_the_package_it_describes(
        services: Services) -> None:
    load_demo(services, NOW)
    gateway = product_report(services, "HC-Gateway", "3.2.0")
    # urllib3 is a dependency of the product and, further down, of requests.
    assert _path(gateway, "pkg:pypi/urllib3@1.26.4") == [("HC-Gateway", "3.2.0"),
                                                          ("urllib3", "1.26.4")]
    hub = product_report(services, "SS-SensorHub")
    assert _path(hub, "SPDXRef-go-2") == [("ss-sensorhub", "1.8.0"),
                                          ("github.com/gogo/protobuf", "v1.3.1")]


def test_the_release_stored_last_is_reported_unless_a_version_is_given(
        services: Services) -> None:
    load_demo(services, NOW)
    latest = product_report(services, "HC-Gateway")
    assert (latest.version, latest.releases) == ("3.4.0", ("3.2.0", "3.4.0"))
    assert latest.findings == ()
    assert len(product_report(services, "HC-Gateway", "3.2.0").findings) == 9


def test_vex_statements_show_with_the_document_they_are_in(services: Services) -> None:
    load_demo(services, NOW)
    import_vex(services, DATA / "mbs-bac200.openvex.json", StoredScope("MBS-BAC200"))
    report = product_report(services, "MBS-BAC200")
    werkzeug = _finding(report, "CVE-2023-46136")
    assert (werkzeug.status, werkzeug.decided_by) == (FindingStatus.NOT_AFFECTED, Decider.VEX)
    assert werkzeug.vex is not None
    assert (werkzeug.vex.status, werkzeug.vex.justification, werkzeug.vex.statement) == (
        VexStatus.NOT_AFFECTED, "vulnerable_code_not_in_execute_path", "/statements/0")
    assert werkzeug.vex.document.endswith("mbs-bac200.openvex.json")
    lxml = _finding(report, "CVE-2022-2309")  # the statement names its GHSA alias
    assert lxml.status is FindingStatus.OPEN
    assert lxml.vex is not None and lxml.vex.status is VexStatus.UNDER_INVESTIGATION
    assert _finding(report, "CVE-2023-30861").vex is None


def test_the_quality_is_what_sbom_check_says_of_the_same_document(services: Services) -> None:
    load_demo(services, NOW)
    for product, file in (("MBS-BAC200", "mbs-bac200-5.1.2.cdx.xml"),
                          ("SS-SensorHub", "ss-sensorhub-1.8.0.spdx.json")):
        report = product_report(services, product)
        assert report.quality == check_sbom_file(demo_dir() / "sboms" / file)
    assert {round(f.score, 3) for f in report.quality.frameworks} != {1.0}


def test_licences_are_classified_always_and_decided_only_by_a_policy(
        services: Services) -> None:
    load_demo(services, NOW)
    plain = product_report(services, "HC-Gateway", "3.2.0")
    assert plain.policy is None
    paramiko = next(c for c in plain.components if c.name == "paramiko")
    assert [v.category for v in paramiko.verdicts] == [LicenceCategory.COPYLEFT_LIMITED]
    decided = product_report(services, "HC-Gateway", "3.2.0", DATA / "licences.yaml")
    by_name = {c.name: c.decision for c in decided.components}
    assert (by_name["paramiko"], by_name["urllib3"], by_name["hc-bootloader"]) == (
        Decision.DENY, Decision.ALLOW, Decision.REVIEW)
    assert decided.policy == str(DATA / "licences.yaml")


def test_an_unknown_product_and_a_release_without_an_sbom_are_refused(
        services: Services, tmp_path: Path) -> None:
    load_demo(services, NOW)
    with pytest.raises(NotFoundError) as unknown:
        product_report(services, "No-Such-Product")
    assert unknown.value.code == "app_no_release_in_scope"
    with pytest.raises(NotFoundError):
        product_report(services, "HC-Gateway", "9.9.9")
    chain = tmp_path / "chain.yaml"
    chain.write_text("organizations:\n  - name: Acme\nproducts:\n  - name: Bare\n"
                     "    supplier: Acme\n    releases:\n      - {version: '1.0'}\n")
    load_supply_chain_file(services, chain)
    with pytest.raises(NotFoundError) as bare:
        product_report(services, "Bare")
    assert bare.value.code == "app_release_without_sbom"
