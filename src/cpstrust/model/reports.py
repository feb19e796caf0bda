"""What the store reports to people: findings, the portfolio, the blast radius of one
vulnerability. Read models, built by queries; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind


@dataclass(frozen=True, slots=True)
class StoredFinding:
    id: int
    product: str
    release: str
    supplier: str
    component: str
    version: str | None
    purl: str | None
    vulnerability_id: str
    aliases: tuple[str, ...]
    severity: Severity
    status: str
    fixed_versions: tuple[str, ...]
    note: str | None
    version_compared: bool  # False: neither found nor ruled out (MatchStatus.NOT_COMPARED)
    vex_status: str | None = None  # as a VEX statement gave it, when one decided
    justification: str | None = None
    kind: FindingKind = FindingKind.VULNERABILITY  # of a licence: its rule id in vulnerability_id
    licence: str | None = None  # a licence finding's licence


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    product: str
    version: str
    supplier: str
    components: int
    devices: int
    open_by_severity: dict[Severity, int]


@dataclass(frozen=True, slots=True)
class VulnerabilitySpread:
    vulnerability_id: str
    severity: Severity
    releases: int
    devices: int
    summary: str | None


@dataclass(frozen=True, slots=True)
class AffectedComponent:
    name: str
    version: str | None
    purl: str | None
    product: str
    release: str
    status: str
    severity: Severity
    fixed_versions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AffectedDevice:
    name: str
    serial: str | None
    product: str
    release: str
    site: str
    zone: str | None


@dataclass(frozen=True, slots=True)
class AffectedOrganization:
    name: str
    tier: int  # 0: supplier of an affected product; n: n steps downstream of one


@dataclass(frozen=True, slots=True)
class AffectedSite:
    name: str
    kind: str
    operator: str


@dataclass(frozen=True, slots=True)
class Impact:
    query: str
    vulnerability_id: str
    aliases: tuple[str, ...]
    severity: Severity
    summary: str | None
    components: tuple[AffectedComponent, ...]
    releases: tuple[tuple[str, str], ...]  # (product, version)
    products: tuple[str, ...]
    organizations: tuple[AffectedOrganization, ...]
    devices: tuple[AffectedDevice, ...]
    sites: tuple[AffectedSite, ...]
