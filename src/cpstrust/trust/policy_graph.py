"""The trust-policy engine over the whole graph: devices (their attestation, the findings
of the release they run, that release's verdict), then systems (sites and zones) from
their devices' verdicts; ``evaluate`` runs every step in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.trust import TrustStore
from cpstrust.model.trustfacts import (
    DeviceFacts,
    LatestAttestation,
    OpenFinding,
    SiteFacts,
    Tally,
    TrustFacts,
    ZoneFacts,
)
from cpstrust.model.trustpolicy import (
    AttestationRule,
    DeviceRule,
    SubjectKind,
    SubjectVerdict,
    TrustPolicy,
    Verdict,
    VulnerabilityRule,
    worst,
)
from cpstrust.trust.policy import Part, combine, evaluate_organisations, stamp
from cpstrust.trust.policy_things import NO_RULE, dependency, evaluate_products

# Reasons of a system list its verdicts worst first.
_TALLY_ORDER = (Verdict.UNTRUSTED, Verdict.AT_RISK, Verdict.UNKNOWN, Verdict.TRUSTED)


def evaluate(facts: TrustFacts, policy: TrustPolicy, store: TrustStore,
             at: datetime) -> list[SubjectVerdict]:
    """Organisations, products, releases and devices of ``facts``, in that order (systems
    follow from the devices' verdicts: ``tally`` then ``evaluate_systems``)."""
    orgs = evaluate_organisations(facts, policy, store, at)
    things = evaluate_products(facts, policy, store, at, orgs)
    releases = {v.key: v for v in things if v.kind is SubjectKind.RELEASE}
    devices = evaluate_devices(facts, policy, at, releases)
    return [*orgs.values(), *things, *devices]


def evaluate_devices(facts: TrustFacts, policy: TrustPolicy, at: datetime,
                     releases: Mapping[int, SubjectVerdict]) -> list[SubjectVerdict]:
    """Every device of ``facts`` under the first device rule for its system."""
    critical_sites, critical_zones = _critical(policy, facts.sites, facts.zones)
    latest = {a.device: a for a in facts.attestations}
    findings: dict[int, list[OpenFinding]] = defaultdict(list)
    for finding in facts.findings:
        findings[finding.release].append(finding)
    rules = {True: policy.device_rule(True), False: policy.device_rule(False)}
    release_parts: dict[int, Part] = {}
    finding_parts: dict[tuple[int, bool], Part] = {}
    out: list[SubjectVerdict] = []
    for device in facts.devices:
        on_critical = device.site in critical_sites or device.zone in critical_zones
        release = release_parts.get(device.release)
        if release is None:
            release = dependency(SubjectKind.RELEASE, device.release, releases, facts)
            release_parts[device.release] = release
        rule = rules[on_critical]
        parts = [release, *_own_parts(rule, latest.get(device.key), at)]
        if rule is not None and rule.vulnerabilities is not None:
            cached = finding_parts.get((device.release, on_critical))
            if cached is None:
                cached = _finding_part(rule.vulnerabilities, findings[device.release], at)
                finding_parts[(device.release, on_critical)] = cached
            parts.append(cached)
        out.append(combine(SubjectKind.DEVICE, device.key, device.name, parts))
    return out


def _critical(policy: TrustPolicy, sites: Sequence[SiteFacts],
              zones: Sequence[ZoneFacts]) -> tuple[set[int], set[int]]:
    """Keys of the sites and of the zones the policy calls critical."""
    names = {s.key: s.name for s in sites}
    critical_sites = {s.key for s in sites if s.name in policy.critical_systems}
    critical_zones = {z.key for z in zones
                      if f"{names.get(z.site, '?')}/{z.name}" in policy.critical_systems}
    return critical_sites, critical_zones


def _own_parts(rule: DeviceRule | None, latest: LatestAttestation | None,
               at: datetime) -> list[Part]:
    if rule is None or (rule.attestation is None and rule.vulnerabilities is None):
        return [NO_RULE]
    if rule.attestation is None:
        return []
    return [_attestation_part(rule.attestation, latest, at)]


def _attestation_part(rule: AttestationRule, latest: LatestAttestation | None,
                      at: datetime) -> Part:
    if latest is None:
        return Part(Verdict.UNKNOWN, (Message("trust_device_no_attestation", {}),), None)
    facts = {"id": latest.id, "verdict": latest.verdict, "at": stamp(latest.appraised_at),
             "hours": int(rule.max_age.total_seconds() // 3600)}
    if latest.verdict != rule.verdict.value:
        return Part(Verdict.UNTRUSTED, (Message("trust_device_attestation_failed", facts),),
                    None)
    until = latest.appraised_at + rule.max_age
    if until <= at:
        return Part(Verdict.AT_RISK, (Message("trust_device_attestation_stale", facts),), None)
    return Part(Verdict.TRUSTED, (Message("trust_device_attestation_fresh", facts),), until)


def _finding_part(rule: VulnerabilityRule, findings: Sequence[OpenFinding],
                  at: datetime) -> Part:
    severe = [f for f in findings if f.severity >= rule.severity]
    severity = rule.severity.name.lower()
    if not severe:
        return Part(Verdict.TRUSTED, (Message("trust_no_open_finding",
                                              {"severity": severity}),), None)
    oldest = min(severe, key=lambda f: (f.first_seen, f.id))
    facts = {"id": oldest.id, "vulnerability": oldest.vulnerability,
             "severity": Severity(oldest.severity).name.lower(), "since": stamp(oldest.first_seen),
             "days": rule.max_open.days, "count": len(severe)}
    until = oldest.first_seen + rule.max_open
    if until <= at:
        return Part(Verdict.UNTRUSTED, (Message("trust_finding_overdue", facts),), None)
    return Part(Verdict.AT_RISK, (Message("trust_finding_open", facts),), until)


def tally(devices: Sequence[DeviceFacts], verdicts: Mapping[int, SubjectVerdict],
          ) -> tuple[dict[int, list[Tally]], dict[int, list[Tally]]]:
    """Per site and per zone: how many devices have each verdict, one named."""
    return (_tally((d.site, d.name, verdicts[d.key].verdict) for d in devices),
            _tally((d.zone, d.name, verdicts[d.key].verdict) for d in devices
                    if d.zone is not None))


def _tally(entries: Iterable[tuple[int, str, Verdict]]) -> dict[int, list[Tally]]:
    counts: dict[tuple[int, Verdict], int] = defaultdict(int)
    examples: dict[tuple[int, Verdict], str] = {}
    for key, name, verdict in entries:
        counts[(key, verdict)] += 1
        examples.setdefault((key, verdict), name)
    grouped: dict[int, list[Tally]] = defaultdict(list)
    for (key, verdict), count in counts.items():
        grouped[key].append(Tally(verdict, count, examples[(key, verdict)]))
    return grouped


def evaluate_systems(sites: Sequence[SiteFacts], zones: Sequence[ZoneFacts],
                     site_tallies: Mapping[int, Sequence[Tally]],
                     zone_tallies: Mapping[int, Sequence[Tally]]) -> list[SubjectVerdict]:
    """A site or zone is no more trusted than its devices; without devices, unknown."""
    names = {s.key: s.name for s in sites}
    out = [_system(SubjectKind.SYSTEM, s.key, s.name, site_tallies.get(s.key, ()))
           for s in sites]
    out.extend(_system(SubjectKind.ZONE, z.key, f"{names.get(z.site, '?')}/{z.name}",
                       zone_tallies.get(z.key, ())) for z in zones)
    return out


def _system(kind: SubjectKind, key: int, name: str, tallies: Sequence[Tally]) -> SubjectVerdict:
    if not tallies:
        return combine(kind, key, name, [Part(Verdict.UNKNOWN, (
            Message("trust_system_no_devices", {}),), None)])
    ordered = sorted(tallies, key=lambda t: _TALLY_ORDER.index(t.verdict))
    reasons = tuple(Message("trust_system_tally", {
        "count": t.devices, "verdict": t.verdict.value, "example": t.example}) for t in ordered)
    return combine(kind, key, name, [Part(worst(*(t.verdict for t in ordered)), reasons, None)])
