"""The risk register of the bundled demo's sites, on SQLite and PostgreSQL: assets by
zone with their declared criticality, the facts behind each risk (a tampered device, an
open vulnerability, the operator's met requirements), a new OT finding that raises the
affected risks and reorders the plan, and unknown sites and zones refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cpstrust.app.demo import load_demo
from cpstrust.app.ot_findings import store_alerts
from cpstrust.app.risk import site_risk
from cpstrust.app.services import Services
from cpstrust.errors import NotFoundError
from cpstrust.model.ot_detect import Alert, AlertKind, Detector
from cpstrust.model.risk import MeasureState, Risk, RiskRegister

NOW = datetime.now(UTC)
PLANT = "Mikawa Assembly Plant"


@pytest.fixture
def demo(services: Services) -> Services:
    load_demo(services, NOW)
    return services


def _risk(register: RiskRegister, zone: str | None, threat: str) -> Risk:
    return next(r for r in register.risks if r.zone == zone and r.threat.id == threat)


def test_the_plant_register_has_its_zones_assets_and_reasons(demo: Services) -> None:
    register = site_risk(demo, PLANT, NOW)
    assert [(z.name, z.criticality) for z in register.zones] == [
        ("line-control", 5), ("supervision", 4), ("maintenance-dmz", 2)]
    line = register.zones[0]
    assert {d.name for d in line.devices} == {"gw-line1", "gw-line2", "gw-line3"}
    assert len(register.risks) == 3 * 7
    tampered = _risk(register, "supervision", "tampered-supply")
    codes = [m.code for m in tampered.reasons]
    assert "risk_attestation_failed" in codes and "risk_measure_in_place" in codes
    assert tampered.score > _risk(register, "maintenance-dmz", "tampered-supply").score
    exploited = _risk(register, "line-control", "known-vulnerability")
    assert any(m.code == "risk_vulnerability" for m in exploited.reasons)
    scores = [r.score for r in register.risks]
    assert scores == sorted(scores, reverse=True)
    assert {i.requirement.label for i in register.in_place} == {"CPS.AM-1", "CPS.GV-1",
                                                                "CPS.RP-1"}
    assert all(i.state is not MeasureState.IN_PLACE for i in register.plan)
    assert any(i.requirement.provisional for i in register.plan)  # CPS.AC-9


def test_a_zone_without_declared_criticality_is_assumed_middle(demo: Services) -> None:
    register = site_risk(demo, "Nagoya Head Office", NOW, zone="central-monitoring")
    assert [z.name for z in register.zones] == ["central-monitoring"]
    risk = register.risks[0]
    assert risk.reasons[0].code == "risk_impact_assumed"


def test_a_new_ot_finding_raises_the_risks_and_reorders_the_plan(demo: Services) -> None:
    before = site_risk(demo, PLANT, NOW)
    # Listen-only mode forced on a host the plant does not declare: where it sits is not
    # known, so every zone's disruption risk rises.
    alert = Alert(AlertKind.MODBUS_LISTEN_ONLY, Detector.RULES, 1000.0, 1000.0, "10.9.9.9",
                  "10.9.9.10", "unit 1", 1, "alert_modbus_listen_only", (("unit", "1"),))
    store_alerts(demo, [alert], "line.pcap", site=PLANT, last_ts=1000.0)
    after = site_risk(demo, PLANT, NOW)
    for zone in ("line-control", "supervision", "maintenance-dmz"):
        old, new = _risk(before, zone, "disruption"), _risk(after, zone, "disruption")
        assert new.likelihood == min(5, old.likelihood + 2), zone
        assert any(m.code == "risk_ot_finding" for m in new.reasons)
        assert _risk(after, zone, "known-vulnerability").score == \
            _risk(before, zone, "known-vulnerability").score
    order = [i.requirement.label for i in before.plan]
    reordered = [i.requirement.label for i in after.plan]
    assert order != reordered
    assert reordered.index("CPS.AT-1") < order.index("CPS.AT-1")


def test_unknown_sites_and_zones_are_refused(demo: Services) -> None:
    with pytest.raises(NotFoundError) as missing:
        site_risk(demo, "Atlantis Works", NOW)
    assert missing.value.code == "risk_no_site"
    with pytest.raises(NotFoundError) as no_zone:
        site_risk(demo, PLANT, NOW, zone="bas-field")
    assert no_zone.value.code == "risk_no_zone"


def test_a_chain_loaded_again_keeps_the_criticality_current(services: Services,
                                                            tmp_path: Path) -> None:
    from cpstrust.app.supplychain import load_supply_chain_file

    chain = tmp_path / "chain.yaml"
    text = ("organizations: [{name: Op}]\nsites:\n  - name: Plant\n    operator: Op\n"
            "    zones: [{name: cell, criticality: 5}, yard]\n")
    chain.write_text(text)
    load_supply_chain_file(services, chain)
    assert [z.criticality for z in site_risk(services, "Plant", NOW).zones] == [5, None]
    chain.write_text(text.replace("criticality: 5", "criticality: 2"))
    load_supply_chain_file(services, chain)
    assert [z.criticality for z in site_risk(services, "Plant", NOW).zones] == [2, None]
