"""OT incidents through the application layer: alert findings stored at two sites
correlate into incidents as they arrive, severity raised by an open vulnerability found
by a real scan and by a failed attestation recorded by the appraisal use case, plans
tied to the shipped CPSF catalogue, a STIX 2.1 bundle that validates and is the same
when exported again, and de-identification that leaves no address or name behind."""

from __future__ import annotations

import json
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.devices import record_appraisal
from cpstrust.app.ot_findings import list_ot_findings, set_ot_finding_status, store_alerts
from cpstrust.app.ot_incidents import incident_report, list_incidents
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.incident_report import incident_report_json
from cpstrust.formats.stix_incident import write_incident_stix
from cpstrust.formats.stix_schema import validate_bundle
from cpstrust.messages import Lang, Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import AttestationResult, AttestationVerdict
from cpstrust.model.finding import FindingStatus
from cpstrust.model.ot_detect import Alert, AlertKind, Detector
from cpstrust.model.ot_incident import IncidentStatus, StepKind
from cpstrust.store.tables import DeviceRow, OtIncidentRow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ot"))

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "catalogs" / "cpsf.json"

CHAIN = """
organizations: [{name: Plant Op}, {name: Vendor}, {name: Other Vendor}]
products:
  - {name: HC-Gateway, supplier: Vendor,
     releases: [{version: 3.2.0, sbom: hub.cdx.json}]}
  - {name: PLC-9, supplier: Other Vendor, releases: [{version: "2.0"}]}
sites:
  - {name: Line East, operator: Plant Op, zones: [cell]}
  - {name: Line West, operator: Plant Op, zones: [cell]}
devices:
  - {name: hub-east, product: HC-Gateway, version: 3.2.0, site: Line East,
     ip: 10.1.0.5, mac: "02:10:00:00:00:05"}
  - {name: hub-west, product: HC-Gateway, version: 3.2.0, site: Line West,
     ip: 10.2.0.5, mac: "02:20:00:00:00:05"}
  - {name: plc-east, product: PLC-9, version: "2.0", site: Line East, ip: 10.1.0.9}
"""
ATTACKER = "10.1.0.200"
T0 = 1_750_000_000.0


@pytest.fixture
def plant(services: Services, tmp_path: Path) -> Services:
    import_advisory_paths(services, [DEMO / "advisories"])
    shutil.copy(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json", tmp_path / "hub.cdx.json")
    (tmp_path / "chain.yaml").write_text(CHAIN)
    load_supply_chain_file(services, tmp_path / "chain.yaml")
    return services


def _alert(kind: AlertKind, src: str, dst: str, ts: float, count: int = 1) -> Alert:
    # every fact the kinds' explanations name; the addresses among them too, as the
    # detector writes them (de-identification must reach them)
    facts = {"unit": "1", "sub_function": "1", "code": "1", "src": src, "dst": dst,
             "protocol": "6", "port": "502", "new_host": "yes", "count": str(count),
             "window": "10", "learned": "3", "factor": "4"}
    return Alert(kind, Detector.RULES, ts, ts + count, src, dst, "unit 1", count,
                 f"alert_{kind.value}", tuple(facts.items()))


def _store(services: Services, site: str, *alerts: Alert) -> None:
    store_alerts(services, list(alerts), f"{site}.pcap", site=site, last_ts=None)


def _open(services: Services) -> list[int]:
    return [r.incident.id for r in list_incidents(services)]


def test_the_same_anomaly_on_one_release_at_two_sites_is_one_incident(
        plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.77", "10.2.0.5", T0 + 3600))
    (report,) = list_incidents(plant)
    assert {a.device.name for a in report.anomalies if a.device} == {"hub-east", "hub-west"}
    assert report.incident.basis.value == "release"
    assert (report.incident.assessment.devices, report.incident.assessment.sites) == (2, 2)


def test_different_kinds_or_a_day_apart_are_separate_incidents(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0),
           _alert(AlertKind.FLOOD, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.77", "10.2.0.5", T0 + 3 * 86400))
    reports = list_incidents(plant)
    assert sorted((r.incident.kind, len(r.anomalies)) for r in reports) == [
        ("flood", 1), ("modbus_restart", 1), ("modbus_restart", 1)]


def test_an_open_critical_vulnerability_raises_the_severity_and_says_why(
        plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.NEW_TALKER, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line East", _alert(AlertKind.NEW_TALKER, ATTACKER, "10.1.0.9", T0))
    by_device = {r.anomalies[0].device.name: r for r in list_incidents(plant)
                 if r.anomalies[0].device}
    hub, plc = by_device["hub-east"], by_device["plc-east"]
    # PLC-9 has no SBOM and so no vulnerabilities: not raised
    assert plc.incident.assessment.severity == plc.incident.assessment.base_severity
    assert plc.incident.assessment.reasons == ()
    assert hub.incident.assessment.base_severity == Severity.MEDIUM
    assert hub.incident.assessment.severity == Severity.HIGH
    (reason,) = hub.incident.assessment.reasons
    assert reason.code == "incident_open_vulnerability"
    assert "HC-Gateway 3.2.0" in reason.text()
    worst = max(v.severity for v in hub.vulnerabilities)
    assert worst >= Severity.HIGH and reason.facts["severity"] == worst.label


def test_a_failed_attestation_raises_the_severity_again(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.NEW_TALKER, ATTACKER, "10.1.0.9", T0))
    before = list_incidents(plant)[0].incident
    with plant.store.transaction() as session:
        device_id = session.scalar(select(DeviceRow.id).where(DeviceRow.name == "plc-east"))
        assert device_id is not None
        record_appraisal(session, device_id, AttestationResult(
            AttestationVerdict.MODIFIED, (Message("legacy", {"text": "file changed"}),)),
            envelope=b"{}", quote=None, at=datetime(2026, 1, 5, tzinfo=UTC))
    (after,) = list_incidents(plant)
    assert after.incident.id == before.id
    assert int(after.incident.assessment.severity) == int(before.assessment.severity) + 1
    assert [r.code for r in after.incident.assessment.reasons] == [
        "incident_attestation_failed"]
    assert "plc-east" in after.incident.assessment.reasons[0].text()
    steps = [s.kind for s in after.plan]
    assert StepKind.REATTEST_DEVICE in steps and StepKind.RESTORE_CONFIGURATION in steps


def test_correlating_again_changes_nothing_and_joins_merge_into_the_oldest(
        plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.77", "10.2.0.5", T0 + 40 * 3600))
    first, second = sorted(_open(plant))
    with plant.store.transaction() as session:
        stamps = {r.id: r.updated_at for r in session.scalars(select(OtIncidentRow))}
    assert sorted(_open(plant)) == [first, second]
    with plant.store.transaction() as session:
        assert {r.id: r.updated_at for r in session.scalars(select(OtIncidentRow))} == stamps
    # a finding in between links both: one incident, the oldest number
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.78", "10.2.0.5", T0 + 20 * 3600))
    assert _open(plant) == [first]
    (merged,) = list_incidents(plant, IncidentStatus.MERGED)
    assert merged.incident.id == second and merged.incident.merged_into == first
    with pytest.raises(InputError):
        incident_report(plant, second)


def test_an_incident_resolves_when_its_findings_are_decided(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.FLOOD, ATTACKER, "10.1.0.5", T0))
    (finding,) = list_ot_findings(plant)
    set_ot_finding_status(plant, finding.id, FindingStatus.FIXED, "blocked")
    assert list_incidents(plant)[0].incident.status is IncidentStatus.RESOLVED
    assert list_incidents(plant, IncidentStatus.OPEN) == []


def _catalogue_labels() -> dict[str, bool]:
    """Label → provisional, read from the shipped catalogue file itself."""
    out: dict[str, bool] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            props = node.get("props", [])
            labels = [p["value"] for p in props if p.get("name") == "label"]
            if labels and "controls" not in node:
                out[labels[0]] = any(p.get("name") == "status" for p in props)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(CATALOGUE.read_text()))
    return out


def test_the_plan_is_ranked_by_score_and_names_only_catalogue_requirements(
        plant: Services) -> None:
    _store(plant, "Line East",
           _alert(AlertKind.BACNET_COMMUNICATION_CONTROL, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line West",
           _alert(AlertKind.BACNET_COMMUNICATION_CONTROL, "10.2.0.77", "10.2.0.5", T0))
    report = list_incidents(plant)[0]
    facts = incident_report_json(report, Lang.EN)
    scores = [s["score"] for s in facts["plan"]]
    assert scores == sorted(scores, reverse=True)
    assert facts["plan"][0]["step"] == "isolate_source"
    patch = next(s for s in facts["plan"] if s["step"] in ("patch_release", "replace_release"))
    if patch["step"] == "patch_release":
        assert any(f["fixed_versions"] for f in patch["fixes"])
        assert any(v in patch["text"] for f in patch["fixes"] for v in f["fixed_versions"])
    labels = _catalogue_labels()
    for step in facts["plan"]:
        assert step["requirements"]
        for requirement in step["requirements"]:
            assert requirement["provisional"] is labels[requirement["id"]]
    for step in facts["plan"]:
        expected = (step["severity_weight"] * step["breadth"] * step["applicability"]
                    / step["effort"])
        assert step["score"] == round(expected, 3)


def test_the_stix_bundle_validates_and_a_re_export_is_identical(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0, 4))
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.77", "10.2.0.5", T0 + 60))
    incident_id = _open(plant)[0]
    bundle = write_incident_stix(incident_report(plant, incident_id))
    validate_bundle(bundle, "incident.json")
    again = write_incident_stix(incident_report(plant, incident_id))
    assert orjson.dumps(again) == orjson.dumps(bundle)
    types = [o["type"] for o in bundle["objects"]]
    for kind in ("attack-pattern", "indicator", "sighting", "observed-data", "infrastructure",
                 "course-of-action", "vulnerability", "report", "network-traffic"):
        assert kind in types
    sightings = [o for o in bundle["objects"] if o["type"] == "sighting"]
    indicator = next(o for o in bundle["objects"] if o["type"] == "indicator")
    assert {s["sighting_of_ref"] for s in sightings} == {indicator["id"]}
    assert sorted(s["count"] for s in sightings) == [1, 4]


def test_a_broken_bundle_is_refused_by_the_schemas(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0))
    bundle = write_incident_stix(incident_report(plant, _open(plant)[0]))
    sighting = next(o for o in bundle["objects"] if o["type"] == "sighting")
    del sighting["sighting_of_ref"]
    with pytest.raises(InputError, match="sighting_of_ref"):
        validate_bundle(bundle, "b.json")
    bundle = write_incident_stix(incident_report(plant, _open(plant)[0]))
    bundle["objects"] = [o for o in bundle["objects"] if o["type"] != "identity"]
    with pytest.raises(InputError, match="identity--"):
        validate_bundle(bundle, "b.json")


def test_de_identification_leaves_no_address_or_name(plant: Services) -> None:
    _store(plant, "Line East", _alert(AlertKind.MODBUS_RESTART, ATTACKER, "10.1.0.5", T0))
    _store(plant, "Line West",
           _alert(AlertKind.MODBUS_RESTART, "10.2.0.77", "10.2.0.5", T0 + 60))
    incident_id = _open(plant)[0]
    plain = incident_report(plant, incident_id)
    shared = incident_report(plant, incident_id, deidentified=True)
    for text in (orjson.dumps(incident_report_json(shared, Lang.EN)).decode(),
                 orjson.dumps(incident_report_json(shared, Lang.JA)).decode(),
                 orjson.dumps(write_incident_stix(shared)).decode()):
        for secret in ("10.1.0.5", "10.2.0.5", ATTACKER, "10.2.0.77", "02:10:00:00:00:05",
                       "hub-east", "hub-west", "Line East", "Line West"):
            assert secret not in text
        assert not re.search(r"\b10\.\d+\.\d+\.\d+\b", text)
    validate_bundle(write_incident_stix(shared), "shared.json")
    # technique, timing and the release stay
    assert [(a.kind, a.technique, a.first_seen, a.count) for a in shared.anomalies] == [
        (a.kind, a.technique, a.first_seen, a.count) for a in plain.anomalies]
    assert {a.device.product for a in shared.anomalies if a.device} == {"HC-Gateway"}
    assert [s.kind for s in shared.plan] == [s.kind for s in plain.plan]
    again = incident_report(plant, incident_id, deidentified=True)
    assert write_incident_stix(again) == write_incident_stix(shared)


def test_an_unknown_incident_is_not_found(plant: Services) -> None:
    with pytest.raises(NotFoundError):
        incident_report(plant, 99)
