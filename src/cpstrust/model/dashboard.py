"""What a tenant's dashboard shows: its open findings by severity, the vulnerabilities
found in most of its releases, its devices by trust verdict, and what changed lately.
Counted over what the tenant may see only (the application layer's filter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cpstrust.model.advisory import Severity
from cpstrust.model.events import EventKind
from cpstrust.model.trustpolicy import Verdict


@dataclass(frozen=True, slots=True)
class SeverityCount:
    severity: Severity
    findings: int


@dataclass(frozen=True, slots=True)
class WidespreadVulnerability:
    vulnerability_id: str
    severity: Severity  # the gravest any of its findings has
    releases: int  # distinct releases with an open finding of it
    findings: int


@dataclass(frozen=True, slots=True)
class VerdictCount:
    verdict: Verdict | None  # None: the device has no stored verdict yet
    devices: int


@dataclass(frozen=True, slots=True)
class RecentChange:
    at: datetime
    kind: EventKind
    product: str
    version: str
    vulnerability_id: str
    severity: Severity


@dataclass(frozen=True, slots=True)
class Dashboard:
    since: datetime  # the start of "what changed"
    by_severity: tuple[SeverityCount, ...]  # gravest first, every severity (zeros too)
    widespread: tuple[WidespreadVulnerability, ...]
    devices_by_verdict: tuple[VerdictCount, ...]  # the tenant's sites' devices
    changes_by_kind: tuple[tuple[EventKind, int], ...]
    recent: tuple[RecentChange, ...]  # newest first
