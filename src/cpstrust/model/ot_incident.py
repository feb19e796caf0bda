"""OT incidents: anomalies (OT alert findings) seen together with the supply-chain graph.

The same anomaly on devices that come from one supplier (running one release, or
several of that supplier's), at one site or many, within a time window, is one incident;
its severity is raised by what the graph knows of the devices (an open high or critical
vulnerability of their release, a failed attestation), each raise with its reason. Each
incident has a ranked plan of countermeasures tied to CPSF requirements. Values only:
the engines are ``ot.incidents`` and ``ot.plans``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity

# Anomalies of one kind on one supplier's devices this close in time are one incident.
DEFAULT_WINDOW_HOURS = 24.0
# An open vulnerability of a device's release at or above this raises the severity.
RAISING_SEVERITY = Severity.HIGH


class IncidentStatus(StrEnum):
    OPEN = "open"  # some finding of it is open
    ACCEPTED = "accepted"  # none open, some accepted by a person
    RESOLVED = "resolved"  # every finding fixed or not affected
    MERGED = "merged"  # its findings joined another incident (``merged_into``)


class Basis(StrEnum):
    """What ties an incident's findings together."""

    DEVICE = "device"  # one device
    RELEASE = "release"  # devices running one release
    SUPPLIER = "supplier"  # devices of one supplier's products
    UNMATCHED = "unmatched"  # a finding on no declared device: an incident of its own


class StepKind(StrEnum):
    ISOLATE_SOURCE = "isolate_source"
    RESTORE_CONFIGURATION = "restore_configuration"
    PATCH_RELEASE = "patch_release"
    REPLACE_RELEASE = "replace_release"
    RESET_CREDENTIALS = "reset_credentials"
    REATTEST_DEVICE = "reattest_device"


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    """A declared device with where it sits in the graph: release, product, supplier."""

    device_id: int
    name: str
    site: str
    ip: str | None
    mac: str | None
    release_id: int
    product: str
    version: str
    supplier: str


@dataclass(frozen=True, slots=True)
class Anomaly:
    """An OT alert finding, with the device it was found on (None: no declared device)."""

    finding_id: int
    key: str
    kind: str
    technique: str | None
    site: str
    src: str | None
    dst: str | None
    severity: Severity
    explanation: str
    facts: tuple[tuple[str, str], ...]
    count: int
    first_seen: float  # capture time, epoch seconds
    last_seen: float
    status: str  # a FindingStatus value
    device: DeviceFacts | None


@dataclass(frozen=True, slots=True)
class OpenVulnerability:
    """An open vulnerability finding of a release: which component, which fixes."""

    release_id: int
    vulnerability_id: str
    severity: Severity
    component: str
    component_version: str | None
    fixed_versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LatestAttestation:
    device_id: int
    verdict: str  # an AttestationVerdict value
    appraised_at: datetime

    @property
    def failed(self) -> bool:
        return self.verdict != "GENUINE"


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What the engines read: anomalies, open vulnerabilities by release id, the latest
    attestation by device id, and every declared address (a source that is none of them
    is a host nobody declared)."""

    anomalies: tuple[Anomaly, ...]
    vulnerabilities: dict[int, tuple[OpenVulnerability, ...]]
    attestations: dict[int, LatestAttestation]
    declared_ips: frozenset[str]


@dataclass(frozen=True, slots=True)
class CorrelatedGroup:
    """Findings that are one incident, by finding id (ascending)."""

    kind: str
    technique: str | None
    basis: Basis
    finding_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    """An incident's severity: the worst of its findings, raised one step by each kind
    of aggravating fact (open vulnerability, failed attestation), with the reasons."""

    base_severity: Severity
    severity: Severity
    reasons: tuple[Message, ...]
    status: IncidentStatus
    first_seen: float
    last_seen: float
    devices: int
    sites: int


@dataclass(frozen=True, slots=True)
class StoredIncident:
    id: int
    kind: str
    technique: str | None
    basis: Basis
    assessment: Assessment
    merged_into: int | None
    created_at: datetime
    updated_at: datetime
    finding_ids: tuple[int, ...]

    @property
    def status(self) -> IncidentStatus:
        return IncidentStatus.MERGED if self.merged_into is not None else self.assessment.status


@dataclass(frozen=True, slots=True)
class Fix:
    """An open vulnerability and the versions of its component that fix it (none known:
    empty)."""

    vulnerability_id: str
    severity: Severity
    component: str
    component_version: str | None
    fixed_versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Countermeasure:
    """One step of a plan, with how it was scored:
    ``score = severity weight × breadth × applicability / effort``."""

    kind: StepKind
    message: Message
    requirements: tuple[str, ...]  # CPSF labels, from the shipped catalogue
    devices: tuple[str, ...]
    sites: tuple[str, ...]
    sources: tuple[str, ...]
    release: tuple[str, str] | None  # (product, version) for a patch or replacement
    fixes: tuple[Fix, ...]
    severity_weight: int
    breadth: int
    applicability: float
    effort: int
    score: float


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """One incident with the evidence behind it and its ranked plan."""

    incident: StoredIncident
    anomalies: tuple[Anomaly, ...]
    vulnerabilities: tuple[OpenVulnerability, ...]
    attestations: tuple[tuple[str, LatestAttestation], ...]  # (device name, latest)
    plan: tuple[Countermeasure, ...]
    requirement_titles: dict[str, tuple[str, str | None, bool]]  # label: (en, ja, provisional)
    deidentified: bool
