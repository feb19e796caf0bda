"""The risk register and the plan of countermeasures of one site. Pure.

For every zone and every threat of the catalogue:

- impact = the zone's declared criticality (3 when it declares none) + the threat's
  shift, less the steps of the impact measures in place, within 1-5;
- likelihood = the threat's base + what the zone's facts add (for the kinds of evidence
  the threat lists), less the steps of the likelihood measures in place, within 1-5:
  vulnerabilities +2 for an open critical one, +1 for a high one, +1 more when a critical
  or high one has been open over 30 days; OT findings matching the threat's techniques
  (or kinds) +2 for a critical or high one, +1 for a medium one; attestation +2 when a
  device's latest attestation is not genuine; supplier +2 for an untrusted supplier of
  what runs there, +1 for one at risk, unknown or never evaluated;
- risk = likelihood x impact.

A countermeasure is a CPSF requirement: in place when the operator's assessment says it
is met, otherwise in the plan. Its reduction is, summed over the risks it answers, what
each loses when its factor is lowered by the measure's steps alone (the register as it
stands, no other measure added); the plan is ordered by reduction per effort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from cpstrust.messages import Message, message
from cpstrust.model.advisory import Severity
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.model.risk import (
    AGED_DAYS,
    DEFAULT_CRITICALITY,
    Addressed,
    CpsfRequirement,
    EvidenceKind,
    Factor,
    MeasureState,
    PlanItem,
    Risk,
    RiskRegister,
    SiteRiskFacts,
    Threat,
    ThreatCatalogue,
    ZoneAssets,
)

_STATES = {RequirementStatus.MET: MeasureState.IN_PLACE,
           RequirementStatus.PARTIALLY_MET: MeasureState.PARTIAL,
           RequirementStatus.NOT_MET: MeasureState.GAP,
           RequirementStatus.NOT_APPLICABLE: MeasureState.NOT_APPLICABLE,
           RequirementStatus.UNANSWERED: MeasureState.UNANSWERED}
_SUPPLIER_POINTS = {"untrusted": 2, "at_risk": 1, "unknown": 1, "trusted": 0}
_GENUINE = "GENUINE"


def within_scale(value: int) -> int:
    return max(1, min(5, value))


def measure_state(answers: Mapping[str, RequirementStatus], label: str) -> MeasureState:
    return _STATES[answers.get(label, RequirementStatus.UNANSWERED)]


def vulnerability_points(zone: ZoneAssets, at: datetime) -> tuple[int, list[Message]]:
    """+2 for an open critical vulnerability, +1 for a high one (the worst counts), +1
    when a critical or high one has been open longer than AGED_DAYS."""
    grave = [v for v in zone.vulnerabilities if v.severity >= Severity.HIGH]
    if not grave:
        return 0, []
    worst = max(grave, key=lambda v: (v.severity, at - v.first_seen, v.vulnerability))
    points = 2 if worst.severity is Severity.CRITICAL else 1
    reasons = [message("risk_vulnerability", points=points, severity=worst.severity.name.lower(),
                       vulnerability=worst.vulnerability, product=worst.product,
                       version=worst.version, count=len(grave))]
    oldest = max(grave, key=lambda v: (at - v.first_seen, v.vulnerability))
    days = (at - oldest.first_seen).days
    if days > AGED_DAYS:
        points += 1
        reasons.append(message("risk_vulnerability_aged", vulnerability=oldest.vulnerability,
                               days=days, limit=AGED_DAYS))
    return points, reasons


def ot_points(zone: ZoneAssets, threat: Threat) -> tuple[int, list[Message]]:
    """+2 for an open critical or high OT finding matching the threat, +1 for a medium."""
    matching = [s for s in zone.ot if (s.technique in threat.techniques if s.technique
                                       else s.kind in threat.ot_kinds)]
    if not matching:
        return 0, []
    worst = max(matching, key=lambda s: (s.severity, -s.id))
    points = 2 if worst.severity >= Severity.HIGH else 1 if worst.severity >= Severity.MEDIUM \
        else 0
    if points == 0:
        return 0, []
    return points, [message("risk_ot_finding", points=points, id=f"ot-{worst.id}",
                            kind=worst.kind, technique=worst.technique or "-",
                            device=worst.device, severity=worst.severity.name.lower(),
                            count=len(matching))]


def attestation_points(zone: ZoneAssets) -> tuple[int, list[Message]]:
    failed = sorted((d for d in zone.devices if d.attestation not in (None, _GENUINE)),
                    key=lambda d: d.name)
    if not failed:
        return 0, []
    first = failed[0]
    return 2, [message("risk_attestation_failed", device=first.name,
                       verdict=first.attestation, count=len(failed))]


def supplier_points(zone: ZoneAssets, verdicts: Mapping[str, str]) -> tuple[int, list[Message]]:
    """The worst supplier of what runs in the zone: its stored verdict (said even when it
    adds nothing), or none stored."""
    suppliers = sorted({d.supplier for d in zone.devices})
    if not suppliers:
        return 0, []
    worst = max(suppliers, key=lambda s: (_SUPPLIER_POINTS.get(verdicts.get(s, "unknown"), 1),
                                          s))
    verdict = verdicts.get(worst)
    if verdict is None:
        return 1, [message("risk_supplier_not_evaluated", supplier=worst)]
    points = _SUPPLIER_POINTS.get(verdict, 1)
    return points, [message("risk_supplier_verdict", points=points, supplier=worst,
                            verdict=verdict)]


def _evidence(zone: ZoneAssets, threat: Threat, facts: SiteRiskFacts,
              ) -> Iterable[tuple[int, list[Message]]]:
    if EvidenceKind.VULNERABILITIES in threat.evidence:
        yield vulnerability_points(zone, facts.at)
    if EvidenceKind.OT in threat.evidence:
        yield ot_points(zone, threat)
    if EvidenceKind.ATTESTATION in threat.evidence:
        yield attestation_points(zone)
    if EvidenceKind.SUPPLIER in threat.evidence:
        yield supplier_points(zone, facts.supplier_verdicts)


def assess_risk(zone: ZoneAssets, threat: Threat, facts: SiteRiskFacts) -> Risk:
    """One row of the register, with the facts behind each factor."""
    reasons: list[Message] = []
    criticality = zone.criticality
    if criticality is None:
        criticality = DEFAULT_CRITICALITY
        reasons.append(message("risk_impact_assumed", criticality=criticality))
    else:
        reasons.append(message("risk_impact_declared", criticality=criticality))
    impact = criticality + threat.impact_shift
    if threat.impact_shift:
        reasons.append(message("risk_impact_shift", shift=f"{threat.impact_shift:+d}"))
    likelihood = threat.base_likelihood
    reasons.append(message("risk_base_likelihood", value=threat.base_likelihood))
    for points, why in _evidence(zone, threat, facts):
        likelihood += points
        reasons.extend(why)
    for m in threat.measures:
        if measure_state(facts.answers, m.requirement) is MeasureState.IN_PLACE:
            reasons.append(message("risk_measure_in_place", requirement=m.requirement,
                                   factor=m.lowers.value, by=m.by, organisation=facts.operator))
            if m.lowers is Factor.LIKELIHOOD:
                likelihood -= m.by
            else:
                impact -= m.by
    return Risk(zone.name, threat, within_scale(likelihood), within_scale(impact), tuple(reasons))


def reduction(risk: Risk, lowers: Factor, by: int) -> int:
    """What ``risk`` loses when ``lowers`` drops ``by`` steps (never below 1)."""
    if lowers is Factor.LIKELIHOOD:
        return risk.score - within_scale(risk.likelihood - by) * risk.impact
    return risk.score - risk.likelihood * within_scale(risk.impact - by)


def plan_items(risks: Iterable[Risk], catalogue: ThreatCatalogue,
               facts: SiteRiskFacts) -> list[PlanItem]:
    """Every requirement the threats name, with what it lowers in ``risks``; one in place
    lowers nothing more (its steps are already in the risks)."""
    addressed: dict[str, list[Addressed]] = {label: [] for label in
                                             sorted(catalogue.requirements())}
    for risk in risks:
        for m in risk.threat.measures:
            in_place = measure_state(facts.answers, m.requirement) is MeasureState.IN_PLACE
            addressed[m.requirement].append(Addressed(
                risk.zone, risk.threat.id, m.lowers, m.by,
                0 if in_place else reduction(risk, m.lowers, m.by)))
    return [PlanItem(_requirement(facts, label), measure_state(facts.answers, label),
                     catalogue.efforts[label], tuple(found))
            for label, found in addressed.items()]


def _requirement(facts: SiteRiskFacts, label: str) -> CpsfRequirement:
    # The application layer refuses a catalogue naming a requirement the CPSF lacks.
    return facts.requirements[label]


def risk_register(facts: SiteRiskFacts, catalogue: ThreatCatalogue) -> RiskRegister:
    """Every zone x threat of the site, highest risk first, and the plan."""
    risks = [assess_risk(zone, threat, facts) for zone in facts.zones
             for threat in catalogue.threats]
    risks.sort(key=lambda r: (-r.score, -r.impact, r.zone or "", r.threat.id))
    items = plan_items(risks, catalogue, facts)
    plan = sorted((i for i in items if i.state is not MeasureState.IN_PLACE),
                  key=lambda i: (-i.reduction / i.effort, -i.reduction, i.effort,
                                 i.requirement.label))
    in_place = tuple(i for i in items if i.state is MeasureState.IN_PLACE)
    return RiskRegister(facts.site, facts.kind, facts.operator, facts.at, facts.zones,
                        tuple(risks), tuple(plan), in_place)
