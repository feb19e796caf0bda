"""Risk of a site's zones and the countermeasures that lower it, apart from how they are
read or shown (``formats.threat_catalogue``, ``formats.risk_report``) and computed
(``assess.risk``).

The practice is the management guideline's risk table: for each asset group (a zone with
its devices) and threat, a likelihood and an impact on 1-5 scales, risk = likelihood x
impact (1-25), and a treatment. Countermeasures are CPSF requirements; each lowers one
factor of the risks of the threats it answers by a number of steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.orgevidence import RequirementStatus

SCALE = (1, 2, 3, 4, 5)  # likelihood, impact, criticality and effort all use it
DEFAULT_CRITICALITY = 3  # a zone that declares none: the middle, and the register says so
AGED_DAYS = 30  # a critical or high vulnerability open longer than this counts again


class Factor(StrEnum):
    LIKELIHOOD = "likelihood"
    IMPACT = "impact"


class EvidenceKind(StrEnum):
    """Facts that raise a threat's likelihood in a zone."""

    VULNERABILITIES = "vulnerabilities"  # open vulnerability findings of the releases run
    OT = "ot"  # open OT findings on the zone's devices, by technique or kind
    ATTESTATION = "attestation"  # devices whose latest attestation is not genuine
    SUPPLIER = "supplier"  # the trust verdicts of the suppliers of what runs there


class Level(StrEnum):
    """Bands of risk = likelihood x impact: low 1-4, medium 5-9, high 10-14,
    critical 15-25."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def level_of(score: int) -> Level:
    if score >= 15:
        return Level.CRITICAL
    if score >= 10:
        return Level.HIGH
    if score >= 5:
        return Level.MEDIUM
    return Level.LOW


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    ja: str


@dataclass(frozen=True, slots=True)
class Measure:
    """A threat's countermeasure: the CPSF requirement, the factor it lowers and by how
    many steps of the scale."""

    requirement: str
    lowers: Factor
    by: int


@dataclass(frozen=True, slots=True)
class Threat:
    id: str
    title: Text
    description: Text
    techniques: tuple[str, ...]  # ATT&CK for ICS
    ot_kinds: tuple[str, ...]  # OT finding kinds without a technique that also count
    evidence: frozenset[EvidenceKind]
    base_likelihood: int
    impact_shift: int  # added to the zone's criticality for this threat
    measures: tuple[Measure, ...]
    provisional: str | None  # what is not confirmed; None when nothing is marked


@dataclass(frozen=True, slots=True)
class ThreatCatalogue:
    threats: tuple[Threat, ...]
    efforts: Mapping[str, int]  # CPSF requirement label -> effort 1-5

    def requirements(self) -> frozenset[str]:
        return frozenset(m.requirement for t in self.threats for m in t.measures)


# What the register is computed from: the stored facts of one site.

@dataclass(frozen=True, slots=True)
class DeviceAsset:
    name: str
    product: str
    version: str
    supplier: str
    attestation: str | None  # the latest attestation's verdict; None: never attested


@dataclass(frozen=True, slots=True)
class OpenVulnerability:
    product: str
    version: str
    vulnerability: str
    severity: Severity
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class OtSignal:
    """An open OT finding on one of the zone's devices."""

    id: int
    device: str
    kind: str
    severity: Severity
    technique: str | None


@dataclass(frozen=True, slots=True)
class ZoneAssets:
    """A zone (``name`` None: the site's devices placed in no zone) with its devices and
    the findings on them."""

    name: str | None
    criticality: int | None
    devices: tuple[DeviceAsset, ...]
    vulnerabilities: tuple[OpenVulnerability, ...]
    ot: tuple[OtSignal, ...]


@dataclass(frozen=True, slots=True)
class CpsfRequirement:
    label: str
    title: str
    title_ja: str | None
    provisional: bool


@dataclass(frozen=True, slots=True)
class SiteRiskFacts:
    site: str
    kind: str
    operator: str
    zones: tuple[ZoneAssets, ...]
    supplier_verdicts: Mapping[str, str]  # supplier -> stored verdict; absent: none stored
    answers: Mapping[str, RequirementStatus]  # the operator's CPSF answers, by label
    requirements: Mapping[str, CpsfRequirement]  # the shipped CPSF catalogue's
    at: datetime


# What it gives.

class MeasureState(StrEnum):
    IN_PLACE = "in_place"  # met in the operator's assessment
    PARTIAL = "partially_met"
    GAP = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class Risk:
    zone: str | None
    threat: Threat
    likelihood: int
    impact: int
    reasons: tuple[Message, ...]  # the facts behind likelihood and impact, in order

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> Level:
        return level_of(self.score)


@dataclass(frozen=True, slots=True)
class Addressed:
    """One risk a countermeasure lowers: which factor, by how much, and what it gives."""

    zone: str | None
    threat: str
    lowers: Factor
    by: int
    reduction: int


@dataclass(frozen=True, slots=True)
class PlanItem:
    requirement: CpsfRequirement
    state: MeasureState
    effort: int
    addresses: tuple[Addressed, ...]

    @property
    def reduction(self) -> int:
        return sum(a.reduction for a in self.addresses)

    @property
    def per_effort(self) -> float:
        return round(self.reduction / self.effort, 2)


@dataclass(frozen=True, slots=True)
class RiskRegister:
    site: str
    kind: str
    operator: str
    at: datetime
    zones: tuple[ZoneAssets, ...]
    risks: tuple[Risk, ...]  # highest risk first
    plan: tuple[PlanItem, ...]  # not in place, by reduction per effort
    in_place: tuple[PlanItem, ...]  # met already: already lowering the risks
