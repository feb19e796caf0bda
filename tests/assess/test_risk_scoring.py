"""The risk engine's rules: each kind of evidence and what it adds to a likelihood, the
impact from the zone's criticality, the bounds of the scales, measures in place, and the
plan's order by reduction per effort as findings arrive."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from cpstrust.assess.risk import (
    assess_risk,
    attestation_points,
    ot_points,
    reduction,
    risk_register,
    supplier_points,
    vulnerability_points,
)
from cpstrust.model.advisory import Severity
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.model.risk import (
    CpsfRequirement,
    DeviceAsset,
    EvidenceKind,
    Factor,
    Level,
    Measure,
    MeasureState,
    OpenVulnerability,
    OtSignal,
    SiteRiskFacts,
    Text,
    Threat,
    ThreatCatalogue,
    ZoneAssets,
    level_of,
)

AT = datetime(2025, 6, 1, tzinfo=UTC)
PLC = DeviceAsset("plc-1", "PLC", "2.0", "Acme", "GENUINE")
HMI = DeviceAsset("hmi-1", "HMI", "1.0", "Brio", None)


def _threat(id_: str, evidence: set[EvidenceKind], measures: tuple[Measure, ...],
            base: int = 1, shift: int = 0, techniques: tuple[str, ...] = ()) -> Threat:
    return Threat(id_, Text(id_, id_), Text("", "-"), techniques, ("anomalous_window",),
                  frozenset(evidence), base, shift, measures, None)


VULN = _threat("vuln", {EvidenceKind.VULNERABILITIES},
               (Measure("CPS.MA-1", Factor.LIKELIHOOD, 2),
                Measure("CPS.RA-1", Factor.LIKELIHOOD, 1)))
CONTROL = _threat("control", {EvidenceKind.OT},
                  (Measure("CPS.AE-1", Factor.LIKELIHOOD, 1),
                   Measure("CPS.RP-1", Factor.IMPACT, 1)),
                  techniques=("T0855", "T0814"))
CATALOGUE = ThreatCatalogue((VULN, CONTROL), {"CPS.MA-1": 3, "CPS.RA-1": 2, "CPS.AE-1": 3,
                                              "CPS.RP-1": 2})
REQUIREMENTS = {label: CpsfRequirement(label, label, None, label == "CPS.AE-1")
                for label in CATALOGUE.efforts}


def _vuln(severity: Severity, days: int, vid: str = "CVE-1") -> OpenVulnerability:
    return OpenVulnerability("PLC", "2.0", vid, severity, AT - timedelta(days=days))


def _zone(criticality: int | None = 4, vulns: tuple[OpenVulnerability, ...] = (),
          ot: tuple[OtSignal, ...] = (), devices: tuple[DeviceAsset, ...] = (PLC,),
          name: str = "cell") -> ZoneAssets:
    return ZoneAssets(name, criticality, devices, vulns, ot)


def _facts(*zones: ZoneAssets, answers: dict[str, RequirementStatus] | None = None,
           verdicts: dict[str, str] | None = None) -> SiteRiskFacts:
    return SiteRiskFacts("Plant", "factory", "Buyer", zones, verdicts or {}, answers or {},
                         REQUIREMENTS, AT)


def test_vulnerability_points_by_worst_severity_and_age() -> None:
    assert vulnerability_points(_zone(), AT) == (0, [])
    assert vulnerability_points(_zone(vulns=(_vuln(Severity.MEDIUM, 90),)), AT)[0] == 0
    assert vulnerability_points(_zone(vulns=(_vuln(Severity.HIGH, 3),)), AT)[0] == 1
    points, why = vulnerability_points(
        _zone(vulns=(_vuln(Severity.HIGH, 3), _vuln(Severity.CRITICAL, 10, "CVE-9"))), AT)
    assert points == 2 and why[0].facts["vulnerability"] == "CVE-9"
    assert why[0].facts["count"] == 2
    points, why = vulnerability_points(_zone(vulns=(_vuln(Severity.CRITICAL, 31),)), AT)
    assert points == 3 and why[1].code == "risk_vulnerability_aged"
    assert vulnerability_points(_zone(vulns=(_vuln(Severity.CRITICAL, 30),)), AT)[0] == 2


def test_ot_points_count_findings_of_the_threats_techniques_only() -> None:
    write = OtSignal(7, "plc-1", "unusual_writer", Severity.HIGH, "T0855")
    scan = OtSignal(8, "plc-1", "host_scan", Severity.MEDIUM, "T0846")
    window = OtSignal(9, "plc-1", "anomalous_window", Severity.MEDIUM, None)
    assert ot_points(_zone(ot=(scan,)), CONTROL) == (0, [])
    points, why = ot_points(_zone(ot=(scan, write)), CONTROL)
    assert points == 2 and why[0].facts["id"] == "ot-7"
    assert ot_points(_zone(ot=(window,)), CONTROL)[0] == 1  # a kind the threat names
    low = replace(write, severity=Severity.LOW)
    assert ot_points(_zone(ot=(low,)), CONTROL) == (0, [])


def test_attestation_and_supplier_points() -> None:
    assert attestation_points(_zone()) == (0, [])
    assert attestation_points(_zone(devices=(HMI,))) == (0, [])  # never attested: no fact
    tampered = replace(PLC, attestation="MODIFIED")
    points, why = attestation_points(_zone(devices=(HMI, tampered)))
    assert points == 2 and why[0].facts["device"] == "plc-1"
    zone = _zone(devices=(PLC, HMI))
    assert supplier_points(zone, {"Acme": "trusted", "Brio": "trusted"})[0] == 0
    assert supplier_points(zone, {"Acme": "trusted", "Brio": "at_risk"})[0] == 1
    points, why = supplier_points(zone, {"Acme": "untrusted", "Brio": "at_risk"})
    assert points == 2 and why[0].facts["supplier"] == "Acme"
    points, why = supplier_points(zone, {"Acme": "trusted"})
    assert points == 1 and why[0].code == "risk_supplier_not_evaluated"


def test_impact_is_the_declared_criticality_shifted_and_bounded() -> None:
    assert assess_risk(_zone(criticality=4), VULN, _facts()).impact == 4
    assumed = assess_risk(_zone(criticality=None), VULN, _facts())
    assert assumed.impact == 3 and assumed.reasons[0].code == "risk_impact_assumed"
    assert assess_risk(_zone(criticality=5), replace(VULN, impact_shift=2), _facts()).impact == 5
    assert assess_risk(_zone(criticality=1), replace(VULN, impact_shift=-2), _facts()).impact == 1


def test_likelihood_adds_the_evidence_within_the_scale() -> None:
    many = (_vuln(Severity.CRITICAL, 60),)
    risk = assess_risk(_zone(vulns=many), replace(VULN, base_likelihood=4), _facts())
    assert risk.likelihood == 5  # 4 + 3, capped
    assert risk.score == 20 and risk.level is Level.CRITICAL
    assert [m.code for m in risk.reasons] == ["risk_impact_declared", "risk_base_likelihood",
                                              "risk_vulnerability", "risk_vulnerability_aged"]


def test_levels_band_the_score() -> None:
    assert [level_of(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [
        Level.LOW, Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH, Level.HIGH,
        Level.CRITICAL, Level.CRITICAL]


def test_a_met_requirement_lowers_likelihood_and_leaves_the_plan() -> None:
    zone = _zone(vulns=(_vuln(Severity.CRITICAL, 5),))
    before = risk_register(_facts(zone), CATALOGUE)
    after = risk_register(_facts(zone, answers={"CPS.MA-1": RequirementStatus.MET}), CATALOGUE)
    old = next(r for r in before.risks if r.threat.id == "vuln")
    new = next(r for r in after.risks if r.threat.id == "vuln")
    assert (old.likelihood, new.likelihood) == (3, 1)
    assert new.reasons[-1].code == "risk_measure_in_place"
    assert [i.requirement.label for i in after.in_place] == ["CPS.MA-1"]
    assert all(i.requirement.label != "CPS.MA-1" for i in after.plan)
    partial = risk_register(_facts(zone, answers={"CPS.MA-1": RequirementStatus.PARTIALLY_MET}),
                            CATALOGUE)
    item = next(i for i in partial.plan if i.requirement.label == "CPS.MA-1")
    assert item.state is MeasureState.PARTIAL and item.reduction > 0


def test_reduction_lowers_one_factor_never_below_one() -> None:
    risk = assess_risk(_zone(criticality=4, vulns=(_vuln(Severity.HIGH, 1),)), VULN, _facts())
    assert (risk.likelihood, risk.impact) == (2, 4)
    assert reduction(risk, Factor.LIKELIHOOD, 2) == 4  # 8 -> 4: likelihood stops at 1
    assert reduction(risk, Factor.IMPACT, 1) == 2  # 8 -> 6


def test_a_new_critical_vulnerability_raises_its_risks_and_reorders_the_plan() -> None:
    quiet = risk_register(_facts(_zone()), CATALOGUE)
    assert quiet.plan[0].requirement.label == "CPS.RP-1"  # impact is all there is to lower
    found = risk_register(_facts(_zone(vulns=(_vuln(Severity.CRITICAL, 1),))), CATALOGUE)
    before = {r.threat.id: r.score for r in quiet.risks}
    after = {r.threat.id: r.score for r in found.risks}
    assert after["vuln"] > before["vuln"] and after["control"] == before["control"]
    assert found.risks[0].threat.id == "vuln"
    assert found.plan[0].requirement.label == "CPS.MA-1"  # 8 of 12 for effort 3


def test_a_new_ot_finding_raises_its_risks_and_reorders_the_plan() -> None:
    calm = risk_register(_facts(_zone(criticality=2)), CATALOGUE)
    alert = OtSignal(3, "plc-1", "modbus_listen_only", Severity.CRITICAL, "T0814")
    alarmed = risk_register(_facts(_zone(criticality=2, ot=(alert,))), CATALOGUE)
    assert {r.threat.id: r.likelihood for r in alarmed.risks}["control"] == 3
    assert alarmed.risks[0].threat.id == "control"
    assert [i.requirement.label for i in calm.plan] == ["CPS.RP-1", "CPS.RA-1", "CPS.AE-1",
                                                        "CPS.MA-1"]
    assert [i.requirement.label for i in alarmed.plan] == ["CPS.RP-1", "CPS.AE-1", "CPS.RA-1",
                                                           "CPS.MA-1"]
    assert [i.reduction for i in alarmed.plan] == [3, 2, 0, 0]
    assert alarmed.plan[1].requirement.provisional  # flagged as the catalogue flags it


def test_the_plan_is_ordered_by_reduction_per_effort() -> None:
    register = risk_register(_facts(_zone(vulns=(_vuln(Severity.HIGH, 1),)),
                                    _zone(name="yard", criticality=1)), CATALOGUE)
    ratios = [i.reduction / i.effort for i in register.plan]
    assert ratios == sorted(ratios, reverse=True)
    assert {a.zone for i in register.plan for a in i.addresses} == {"cell", "yard"}
