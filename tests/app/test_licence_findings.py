"""Licence findings under the stored licence policy: set, changed, cleared, and an SBOM
stored under it; kept through the one lifecycle and announced as events (cause
``policy``, or ``sbom`` for an SBOM's); each release judged under the overrides of its
product and its supplier. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.event_delivery import deliver_to_jsonl
from cpstrust.app.events import list_events
from cpstrust.app.findings import FindingFilter, list_findings, set_finding_status
from cpstrust.app.licence_policy import (
    clear_licence_policy,
    held_licence_policy,
    set_licence_policy,
)
from cpstrust.app.licences import check_stored_licences
from cpstrust.app.sbom_batch import SbomToImport
from cpstrust.app.sboms import import_sbom, import_sboms
from cpstrust.app.scanning import StoredScope
from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.model.events import CauseKind, EventKind
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.licence import Decision
from cpstrust.model.reports import StoredFinding
from cpstrust.store.tables import LicencePolicyVersionRow
from event_data import PURL, advisories

# Component purl -> the licence it declares (None: none given).
LICENCES: dict[str, str | None] = {
    "pkg:pypi/gpl-lib@1.0": "GPL-3.0-only",
    "pkg:pypi/mit-lib@1.0": "MIT",
    "pkg:pypi/bare-lib@1.0": None,
    "pkg:pypi/lgpl-lib@1.0": "LGPL-2.1-only",
    PURL: "MIT",  # urllib3 1.24.1: a vulnerability finding too, once advisories come
}

STRICT = """\
version: 1
default: allow
missing: review
categories: {copyleft: deny, copyleft-limited: review}
conflicts:
  - between: ["category:copyleft", MIT]
    decision: deny
"""
ALLOW_ALL = "version: 1\ndefault: allow\nmissing: allow\nunknown: allow\n"

EXPECTED = {
    ("pkg:pypi/gpl-lib@1.0", "licence-denied:GPL-3.0-only"),
    ("pkg:pypi/gpl-lib@1.0", "licence-conflict:category:copyleft+MIT"),
    ("pkg:pypi/mit-lib@1.0", "licence-conflict:category:copyleft+MIT"),
    (PURL, "licence-conflict:category:copyleft+MIT"),
    ("pkg:pypi/bare-lib@1.0", "licence-missing"),
    ("pkg:pypi/lgpl-lib@1.0", "licence-review:LGPL-2.1-only"),
}


def licensed_sbom(path: Path, licences: dict[str, str | None] = LICENCES) -> Path:
    components = []
    for purl, licence in licences.items():
        component = {"type": "library", "name": purl.split("/")[1].split("@")[0],
                     "version": purl.split("@")[1], "purl": purl, "bom-ref": purl}
        if licence is not None:
            component["licenses"] = [{"license": {"id": licence}}]
        components.append(component)
    path.write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "firmware", "name": "Acme Gateway",
                                   "version": "2.4.0", "bom-ref": "gateway"}},
        "components": components}))
    return path


def policy(tmp_path: Path, text: str, name: str = "licences.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def licence_findings(services: Services) -> list[StoredFinding]:
    return list_findings(services, FindingFilter(kind=FindingKind.LICENCE))


def keys(findings: list[StoredFinding]) -> set[tuple[str | None, str]]:
    return {(f.purl, f.vulnerability_id) for f in findings}


def stored_release(services: Services, tmp_path: Path, version: str = "2.4.0") -> None:
    import_sbom(services, licensed_sbom(tmp_path / f"bom-{version}.json"), product="Gateway",
                version=version, supplier="Acme")


def test_setting_a_policy_makes_licence_findings_and_introduced_events(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    change = set_licence_policy(services, policy(tmp_path, STRICT))
    found = licence_findings(services)
    assert keys(found) == EXPECTED
    assert all(f.status == "open" and f.kind is FindingKind.LICENCE for f in found)
    denied = next(f for f in found if f.vulnerability_id == "licence-denied:GPL-3.0-only")
    assert (denied.severity.label, denied.licence) == ("high", "GPL-3.0-only")
    events = list_events(services)
    assert change.events == len(events) == len(EXPECTED)
    assert {e.change.kind for e in events} == {EventKind.INTRODUCED}
    assert {e.cause.kind for e in events} == {CauseKind.POLICY}
    assert {e.change.finding.kind for e in events} == {FindingKind.LICENCE}
    assert change.sha256 is not None and change.sha256 in events[0].cause.reference
    held = held_licence_policy(services)
    assert held is not None and held.held.version == change.version == 1


def test_setting_the_same_policy_again_records_nothing(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    again = set_licence_policy(services, policy(tmp_path, STRICT, "copy.yaml"))
    assert (again.version, again.events) == (None, 0)
    assert len(list_events(services)) == len(EXPECTED)


def test_a_policy_allowing_everything_resolves_every_licence_finding(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    first = list_events(services)[-1].id
    change = set_licence_policy(services, policy(tmp_path, ALLOW_ALL, "allow.yaml"))
    resolved = [e for e in list_events(services) if e.id > first]
    assert change.evaluation is not None and change.evaluation.resolved == len(EXPECTED)
    assert [(e.change.kind, e.change.new_status) for e in resolved] == (
        [(EventKind.RESOLVED, FindingStatus.NOT_AFFECTED)] * len(EXPECTED))
    assert {f.status for f in licence_findings(services)} == {"not_affected"}
    again = set_licence_policy(services, policy(tmp_path, STRICT, "strict-again.yaml"))
    assert again.events == len(EXPECTED)  # each found again: reopened
    assert {e.change.kind for e in list_events(services) if e.id > resolved[-1].id} == {
        EventKind.REOPENED}


def test_a_changed_decision_resolves_one_finding_and_introduces_another(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    first = list_events(services)[-1].id
    stricter = STRICT.replace("copyleft-limited: review", "copyleft-limited: deny")
    set_licence_policy(services, policy(tmp_path, stricter, "stricter.yaml"))
    changed = {(e.change.kind, e.change.finding.vulnerability_id)
               for e in list_events(services) if e.id > first}
    assert changed == {(EventKind.RESOLVED, "licence-review:LGPL-2.1-only"),
                       (EventKind.INTRODUCED, "licence-denied:LGPL-2.1-only")}


def test_an_accepted_licence_finding_stays_accepted_when_policies_change(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    denied = next(f for f in licence_findings(services)
                  if f.vulnerability_id == "licence-denied:GPL-3.0-only")
    set_finding_status(services, denied.id, FindingStatus.ACCEPTED, "legal approved")
    first = list_events(services)[-1].id
    # Another policy flagging the same licence the same way: the same finding again.
    reworded = STRICT + "licenses: {GPL-3.0-only: deny}\n"
    change = set_licence_policy(services, policy(tmp_path, reworded, "reworded.yaml"))
    kept = next(f for f in licence_findings(services) if f.id == denied.id)
    assert (kept.status, kept.note) == ("accepted", "legal approved")
    assert change.events == 0 and list_events(services)[-1].id == first
    # A new SBOM for the release carries the person's decision over.
    stored_release(services, tmp_path)
    again = next(f for f in licence_findings(services)
                 if f.vulnerability_id == "licence-denied:GPL-3.0-only")
    assert again.status == "accepted"


def test_vulnerability_evaluation_leaves_licence_findings_alone(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    import_advisory_paths(services, [advisories(tmp_path)])
    assert keys(licence_findings(services)) == EXPECTED
    assert {f.status for f in licence_findings(services)} == {"open"}
    vulnerabilities = list_findings(services, FindingFilter(kind=FindingKind.VULNERABILITY))
    assert [(f.purl, f.vulnerability_id) for f in vulnerabilities] == [
        (PURL, "CVE-2023-43804")]


def test_an_sbom_stored_under_a_policy_gets_licence_findings_with_sbom_events(
        services: Services, tmp_path: Path) -> None:
    set_licence_policy(services, policy(tmp_path, STRICT))
    assert list_events(services) == []  # no stored release: nothing to judge
    stored_release(services, tmp_path)
    assert keys(licence_findings(services)) == EXPECTED
    events = list_events(services)
    assert len(events) == len(EXPECTED)
    assert {(e.change.kind, e.cause.kind) for e in events} == {
        (EventKind.INTRODUCED, CauseKind.SBOM)}


def test_a_batch_of_sboms_under_a_policy_gets_licence_findings(
        services: Services, tmp_path: Path) -> None:
    set_licence_policy(services, policy(tmp_path, STRICT))
    items = [SbomToImport(licensed_sbom(tmp_path / f"bom-{v}.json"), "Gateway", v, "Acme")
             for v in ("1.0", "2.0")]
    import_sboms(services, items, workers=1)
    found = licence_findings(services)
    assert {f.release for f in found} == {"1.0", "2.0"}
    assert len(found) == 2 * len(EXPECTED)
    assert len(list_events(services)) == 2 * len(EXPECTED)


def test_clearing_the_policy_resolves_everything_and_keeps_the_versions(
        services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    first = list_events(services)[-1].id
    cleared = clear_licence_policy(services)
    assert cleared.version == 2 and held_licence_policy(services) is None
    resolved = [e for e in list_events(services) if e.id > first]
    assert {e.change.kind for e in resolved} == {EventKind.RESOLVED}
    assert len(resolved) == len(EXPECTED)
    assert {e.cause.kind for e in resolved} == {CauseKind.POLICY}
    assert "cleared" in resolved[0].cause.reference
    assert clear_licence_policy(services).version is None  # nothing held: nothing to clear
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(LicencePolicyVersionRow)) == 2
    stored_release(services, tmp_path, "2.5.0")  # no policy held: no licence findings
    assert {f.release for f in licence_findings(services)} == {"2.4.0"}


def test_licence_events_say_their_kind_in_json(services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    out = tmp_path / "events.jsonl"
    deliver_to_jsonl(services, out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    denied = next(r for r in lines if r["vulnerability_id"] == "licence-denied:GPL-3.0-only")
    assert (denied["finding_kind"], denied["licence"], denied["kind"]) == (
        "licence", "GPL-3.0-only", "introduced")
    assert denied["cause"]["kind"] == "policy"
    assert denied["purl"] == "pkg:pypi/gpl-lib@1.0"


@pytest.mark.parametrize(("text", "error"), [
    ("version: 1\nlicenses: {GPL-9.9-only: deny}\n", "licence_policy_unknown_licence"),
    ("version: 1\ndefault: maybe\n", "licence_policy_schema_violation"),
    ("version: 1\nlicenses: [unclosed\n", "licence_policy_not_yaml"),
])
def test_a_bad_policy_stores_nothing(services: Services, tmp_path: Path, text: str,
                                     error: str) -> None:
    stored_release(services, tmp_path)
    with pytest.raises(InputError) as raised:
        set_licence_policy(services, policy(tmp_path, text, "bad.yaml"))
    assert raised.value.message.code == error
    assert raised.value.source is not None and "bad.yaml" in raised.value.source
    assert held_licence_policy(services) is None
    assert licence_findings(services) == [] and list_events(services) == []
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(LicencePolicyVersionRow)) == 0


def test_a_bad_policy_leaves_the_held_one_in_force(services: Services, tmp_path: Path) -> None:
    stored_release(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, STRICT))
    with pytest.raises(InputError):
        set_licence_policy(services, policy(tmp_path, "version: 2\n", "bad.yaml"))
    held = held_licence_policy(services)
    assert held is not None and (held.held.version, held.versions) == (1, 1)
    assert keys(licence_findings(services)) == EXPECTED


SCOPED = STRICT + """\
organisations:
  Beta:
    missing: allow
products:
  Gateway:
    licenses: {GPL-3.0-only: review}
  Planned: {}
"""


def two_products(services: Services, tmp_path: Path) -> None:
    """Gateway, supplied by Acme, and Router, supplied by Beta: the same components."""
    stored_release(services, tmp_path)
    import_sbom(services, licensed_sbom(tmp_path / "router.json"), product="Router",
                version="1.0", supplier="Beta")


def flagged(services: Services, product: str) -> set[tuple[str | None, str]]:
    return keys([f for f in licence_findings(services) if f.product == product])


def test_each_release_is_judged_under_its_products_and_suppliers_overrides(
        services: Services, tmp_path: Path) -> None:
    two_products(services, tmp_path)
    change = set_licence_policy(services, policy(tmp_path, SCOPED))
    gateway_gpl = ("pkg:pypi/gpl-lib@1.0", "licence-review:GPL-3.0-only")  # the product's
    assert flagged(services, "Gateway") == (
        EXPECTED - {("pkg:pypi/gpl-lib@1.0", "licence-denied:GPL-3.0-only")} | {gateway_gpl})
    # Router's supplier allows a component without a licence; the rest is the base's.
    assert flagged(services, "Router") == EXPECTED - {("pkg:pypi/bare-lib@1.0",
                                                      "licence-missing")}
    # Named in the policy, stored nowhere: allowed, and said.
    assert (change.unknown_organisations, change.unknown_products) == ((), ("Planned",))


def test_changing_one_products_override_moves_only_that_products_findings(
        services: Services, tmp_path: Path) -> None:
    two_products(services, tmp_path)
    set_licence_policy(services, policy(tmp_path, SCOPED))
    router_before = {(f.id, f.status) for f in licence_findings(services)
                     if f.product == "Router"}
    first = list_events(services)[-1].id
    changed = SCOPED.replace("{GPL-3.0-only: review}", "{GPL-3.0-only: allow}")
    change = set_licence_policy(services, policy(tmp_path, changed, "changed.yaml"))
    events = [e for e in list_events(services) if e.id > first]
    assert [(e.change.finding.product, e.change.kind, e.change.finding.vulnerability_id)
            for e in events] == [("Gateway", EventKind.RESOLVED, "licence-review:GPL-3.0-only")]
    assert change.events == 1 and {e.cause.kind for e in events} == {CauseKind.POLICY}
    assert {(f.id, f.status) for f in licence_findings(services)
            if f.product == "Router"} == router_before


def test_an_sbom_stored_later_is_judged_under_its_products_overrides(
        services: Services, tmp_path: Path) -> None:
    set_licence_policy(services, policy(tmp_path, SCOPED))
    import_sbom(services, licensed_sbom(tmp_path / "router.json"), product="Router",
                version="1.0", supplier="Beta")
    assert ("pkg:pypi/bare-lib@1.0", "licence-missing") not in flagged(services, "Router")
    stored_release(services, tmp_path)
    assert ("pkg:pypi/gpl-lib@1.0", "licence-review:GPL-3.0-only") in flagged(
        services, "Gateway")


def test_the_stored_check_applies_each_products_supplier(
        services: Services, tmp_path: Path) -> None:
    two_products(services, tmp_path)
    checked = check_stored_licences(services, StoredScope(None, None),
                                    policy(tmp_path, SCOPED))
    by_product = {r.product: r for r in checked}
    assert {p: r.organisation for p, r in by_product.items()} == {"Gateway": "Acme",
                                                                  "Router": "Beta"}
    bare = {p: next(c for c in r.report.components if c.name == "bare-lib")
            for p, r in by_product.items()}
    assert [(bare[p].decision, str(bare[p].scopes[0])) for p in ("Gateway", "Router")] == [
        (Decision.REVIEW, "base"), (Decision.ALLOW, "organisation Beta")]
