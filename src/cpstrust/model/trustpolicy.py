"""Trust policy and verdicts: what a buyer requires of each subject of its supply chain,
and the trust state computed for each (``trust.policy`` computes; ``formats.trust_policy``
reads the policy file). No I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import AttestationVerdict


class Verdict(StrEnum):
    TRUSTED = "trusted"
    AT_RISK = "at_risk"
    UNTRUSTED = "untrusted"
    UNKNOWN = "unknown"  # the evidence a requirement needs is missing


# How verdicts combine along the graph ("no more trusted than"): the worse wins, and for
# this purpose unknown ranks between at_risk and trusted. Missing evidence keeps a
# subject from being trusted; a known problem anywhere is reported as that problem.
_RANK = {Verdict.UNTRUSTED: 0, Verdict.AT_RISK: 1, Verdict.UNKNOWN: 2, Verdict.TRUSTED: 3}


def worst(first: Verdict, *others: Verdict) -> Verdict:
    """The verdict a subject gets from several (its own and its dependencies')."""
    return min((first, *others), key=_RANK.__getitem__)


class SubjectKind(StrEnum):
    ORGANISATION = "organisation"
    PRODUCT = "product"
    RELEASE = "release"
    DEVICE = "device"
    SYSTEM = "system"  # a site (factory, building, line)
    ZONE = "zone"  # a zone of a site


# Reasons always come with a verdict: at least one, each naming the evidence or finding.
Reasons = tuple[Message, *tuple[Message, ...]]


class SubjectVerdict(NamedTuple):
    """A subject's verdict with its reasons. ``key`` is the subject's row id, ``name``
    how a person names it; ``valid_until`` is when an input ages past a policy limit
    (evidence or attestation grows too old, a finding outstays its window), after which
    the verdict must be computed again. A named tuple: an evaluation makes a million."""

    kind: SubjectKind
    key: int
    name: str
    verdict: Verdict
    reasons: Reasons
    valid_until: datetime | None


class DeviceVerdict(NamedTuple):
    """A device's verdict as stored: its reasons are built again only to be shown
    (``trust.policy_graph.DeviceJudge.explain``), from the same inputs."""

    key: int
    verdict: Verdict
    valid_until: datetime | None


class SupplierInheritance(StrEnum):
    """Whether an organisation's verdict takes its suppliers' verdicts."""

    INHERIT = "inherit"
    IGNORE = "ignore"


class SystemScope(StrEnum):
    """Which devices a device rule applies to: those on the policy's critical systems,
    the others, or all."""

    CRITICAL = "critical"
    OTHER = "other"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class OrganisationRule:
    """Organisations supplying at ``tier`` (any tier when None) need accepted evidence of
    at least ★``star`` issued within ``max_age``."""

    tier: int | None
    star: int
    max_age: timedelta


@dataclass(frozen=True, slots=True)
class AttestationRule:
    verdict: AttestationVerdict
    max_age: timedelta


@dataclass(frozen=True, slots=True)
class VulnerabilityRule:
    """No open finding at ``severity`` or above on the device's release older than
    ``max_open``; a younger one puts the device at risk."""

    severity: Severity
    max_open: timedelta


@dataclass(frozen=True, slots=True)
class DeviceRule:
    applies_to: SystemScope
    attestation: AttestationRule | None
    vulnerabilities: VulnerabilityRule | None


@dataclass(frozen=True, slots=True)
class TrustPolicy:
    """A buyer's policy. The first organisation rule whose tier matches an organisation
    applies to it, and likewise the first device rule whose scope matches a device.
    ``critical_systems`` names sites ("Plant A") or zones ("Plant A/cell 1")."""

    name: str
    suppliers: SupplierInheritance
    organisation_rules: tuple[OrganisationRule, ...]
    signed_sbom: bool
    critical_systems: frozenset[str]
    device_rules: tuple[DeviceRule, ...]
    sha256: str  # of the policy file: stored verdicts are tied to it

    def organisation_rule(self, tier: int | None) -> OrganisationRule | None:
        if tier is None:
            return None
        return next((r for r in self.organisation_rules if r.tier in (None, tier)), None)

    def device_rule(self, critical: bool) -> DeviceRule | None:
        wanted = SystemScope.CRITICAL if critical else SystemScope.OTHER
        return next((r for r in self.device_rules if r.applies_to in (SystemScope.ALL, wanted)),
                    None)

    @property
    def severity_floor(self) -> Severity | None:
        """The lowest severity any vulnerability rule looks at (findings to load)."""
        found = [r.vulnerabilities.severity for r in self.device_rules if r.vulnerabilities]
        return min(found) if found else None


@dataclass(frozen=True, slots=True)
class VerdictChange:
    """A subject whose verdict differs under another policy (``--what-if``)."""

    kind: SubjectKind
    name: str
    before: Verdict
    after: Verdict
    reasons: Reasons  # under the other policy
