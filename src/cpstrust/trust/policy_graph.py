"""The trust-policy engine over the whole graph: devices (their attestation, the findings
of the release they run, that release's verdict), then systems (sites and zones) from
their devices' verdicts; ``evaluate`` runs every step in order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.trust import TrustStore
from cpstrust.model.trustfacts import (
    DeviceState,
    JudgedDevices,
    OpenFinding,
    SiteFacts,
    Tally,
    TrustFacts,
    ZoneFacts,
)
from cpstrust.model.trustpolicy import (
    AttestationRule,
    SubjectKind,
    SubjectVerdict,
    TrustPolicy,
    Verdict,
    VulnerabilityRule,
    worst,
)
from cpstrust.trust.policy import WORSE, Part, combine, evaluate_organisations, stamp
from cpstrust.trust.policy_things import NO_RULE, dependency, evaluate_products
from cpstrust.trust.verify import VerifiedSignatures

G = TypeVar("G")  # a group of devices: (site, zone, verdict), (site, verdict), ...

# Reasons of a system list its verdicts worst first.
_TALLY_ORDER = (Verdict.UNTRUSTED, Verdict.AT_RISK, Verdict.UNKNOWN, Verdict.TRUSTED)


def evaluate(facts: TrustFacts, policy: TrustPolicy, store: TrustStore, at: datetime,
             verified: VerifiedSignatures | None = None,
             ) -> tuple[list[SubjectVerdict], DeviceJudge, JudgedDevices]:
    """Organisations, products and releases of ``facts`` with their reasons, in that
    order; the judge of devices and each device's verdict with the tallies of their
    systems (systems follow from those: ``evaluate_systems``). ``verified``: the
    signatures found valid before, not checked again."""
    orgs = evaluate_organisations(facts, policy, store, at, verified)
    things = evaluate_products(facts, policy, store, at, orgs)
    releases = {v.key: v for v in things if v.kind is SubjectKind.RELEASE}
    judge = DeviceJudge(facts, policy, at, releases)
    return [*orgs.values(), *things], judge, judge.judge_all(facts.devices)


# What the devices on one release in one kind of system share: the parts (reasons in
# order), their combined verdict, and the earliest time one must be looked at again.
_Shared = tuple[tuple[Part, ...], Verdict, datetime | None]
_NO_ATTESTATION = Part(Verdict.UNKNOWN, (Message("trust_device_no_attestation", {}),), None)


class DeviceJudge:
    """Device verdicts under the first device rule for each device's system. What
    devices on one release and one kind of system share (the release's verdict, its
    open findings) is computed once; a device adds only its latest attestation. The
    verdict alone is what an evaluation stores; ``explain`` builds the reasons, from
    the same parts, when they are shown."""

    def __init__(self, facts: TrustFacts, policy: TrustPolicy, at: datetime,
                 releases: Mapping[int, SubjectVerdict]) -> None:
        self._facts, self._at, self._releases = facts, at, releases
        self._critical_sites, self._critical_zones = _critical(policy, facts.sites, facts.zones)
        self._findings: dict[int, list[OpenFinding]] = defaultdict(list)
        for finding in facts.findings:
            self._findings[finding.release].append(finding)
        self._rules = {True: policy.device_rule(True), False: policy.device_rule(False)}
        # by criticality, then release: no key tuple to build per device
        self._shared: dict[bool, dict[int, _Shared]] = {True: {}, False: {}}
        # by criticality, then (no attestation, its verdict, its time)
        self._own: dict[bool, dict[tuple[bool, str | None, datetime | None],
                                   tuple[Verdict, datetime | None]]] = {True: {}, False: {}}

    def judge_all(self, devices: Iterable[DeviceState]) -> JudgedDevices:
        """Each device's verdict and until when it holds, column by column, and the
        devices of each site and zone counted by verdict. The hot loop of a full
        evaluation: no reasons, tuples unpacked rather than read by name, and what an
        attestation says looked up by (its verdict, its time) rather than worked out
        per device (a million devices share a few hundred)."""
        sites, zones = self._critical_sites, self._critical_zones
        critical_shared, other_shared = self._shared[True], self._shared[False]
        critical_own, other_own = self._own[True], self._own[False]
        worse = WORSE
        keys: list[int] = []
        verdicts: list[Verdict] = []
        untils: list[datetime | None] = []
        groups: dict[tuple[int, int | None, Verdict], list[int]] = {}
        for key, release, site, zone, attestation, said, appraised in devices:
            if site in sites or zone in zones:
                common = critical_shared.get(release) or self._shared_parts(release, True)
                own = (critical_own.get((attestation is None, said, appraised))
                       or self._own_outcome(True, attestation, said, appraised))
            else:
                common = other_shared.get(release) or self._shared_parts(release, False)
                own = (other_own.get((attestation is None, said, appraised))
                       or self._own_outcome(False, attestation, said, appraised))
            verdict = worse[common[1], own[0]]
            until, own_until = common[2], own[1]
            if own_until is not None and (until is None or own_until < until):
                until = own_until
            keys.append(key)
            verdicts.append(verdict)
            untils.append(until)
            group = (site, zone, verdict)
            entry = groups.get(group)
            if entry is None:
                groups[group] = [1, key]
            else:
                entry[0] += 1
                if key < entry[1]:
                    entry[1] = key
        site_tallies, zone_tallies = _system_tallies(groups)
        return JudgedDevices(keys, verdicts, untils, site_tallies, zone_tallies)

    def _own_outcome(self, critical: bool, attestation: int | None, said: str | None,
                     appraised: datetime | None) -> tuple[Verdict, datetime | None]:
        """What a device's latest attestation adds to its verdict under the rule of its
        kind of system (nothing without an attestation rule), kept for the devices
        attested alike."""
        rule = self._rules[critical]
        outcome: tuple[Verdict, datetime | None] = (Verdict.TRUSTED, None)  # worst(v, it) is v
        if rule is not None and rule.attestation is not None:
            verdict, _, until = attestation_outcome(rule.attestation, attestation, said,
                                                    appraised, self._at)
            outcome = (verdict, until)
        self._own[critical][(attestation is None, said, appraised)] = outcome
        return outcome

    def explain(self, device: DeviceState, name: str) -> SubjectVerdict:
        """The device's verdict with every reason, as ``judge_all`` computed it."""
        critical = device.site in self._critical_sites or device.zone in self._critical_zones
        parts = list(self._shared_parts(device.release, critical)[0])
        rule = self._rules[critical]
        if rule is not None and rule.attestation is not None:
            parts.insert(1, _attestation_part(rule.attestation, device, self._at))
        return combine(SubjectKind.DEVICE, device.key, name, parts)

    def _shared_parts(self, release: int, critical: bool) -> _Shared:
        """The parts every device on ``release`` in this kind of system has, in the
        order reasons show them (the attestation's goes second), combined."""
        found = self._shared[critical].get(release)
        if found is not None:
            return found
        rule = self._rules[critical]
        parts = [dependency(SubjectKind.RELEASE, release, self._releases, self._facts)]
        if rule is None or (rule.attestation is None and rule.vulnerabilities is None):
            parts.append(NO_RULE)
        if rule is not None and rule.vulnerabilities is not None:
            parts.append(_finding_part(rule.vulnerabilities, self._findings[release], self._at))
        untils = [p.valid_until for p in parts if p.valid_until is not None]
        found = (tuple(parts), worst(*(p.verdict for p in parts)),
                 min(untils) if untils else None)
        self._shared[critical][release] = found
        return found


def _critical(policy: TrustPolicy, sites: Sequence[SiteFacts],
              zones: Sequence[ZoneFacts]) -> tuple[set[int], set[int]]:
    """Keys of the sites and of the zones the policy calls critical."""
    names = {s.key: s.name for s in sites}
    critical_sites = {s.key for s in sites if s.name in policy.critical_systems}
    critical_zones = {z.key for z in zones
                      if f"{names.get(z.site, '?')}/{z.name}" in policy.critical_systems}
    return critical_sites, critical_zones


def attestation_outcome(rule: AttestationRule, attestation: int | None, said: str | None,
                        appraised_at: datetime | None,
                        at: datetime) -> tuple[Verdict, str, datetime | None]:
    """What a device's latest attestation (its id, the verdict it said, when) says
    under ``rule``: the verdict, the message code of its reason, until when it holds."""
    if attestation is None or appraised_at is None:
        return Verdict.UNKNOWN, "trust_device_no_attestation", None
    if said != rule.verdict:  # a StrEnum: equal to its value
        return Verdict.UNTRUSTED, "trust_device_attestation_failed", None
    until = appraised_at + rule.max_age
    if until <= at:
        return Verdict.AT_RISK, "trust_device_attestation_stale", None
    return Verdict.TRUSTED, "trust_device_attestation_fresh", until


def _attestation_part(rule: AttestationRule, device: DeviceState, at: datetime) -> Part:
    verdict, code, until = attestation_outcome(rule, device.attestation,
                                               device.attestation_verdict,
                                               device.appraised_at, at)
    if device.appraised_at is None:
        return _NO_ATTESTATION
    return Part(verdict, (Message(code, {
        "id": device.attestation, "verdict": device.attestation_verdict,
        "at": stamp(device.appraised_at),
        "hours": int(rule.max_age.total_seconds() // 3600)}),), until)


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


def _system_tallies(groups: Mapping[tuple[int, int | None, Verdict], list[int]],
                    ) -> tuple[dict[int, list[Tally]], dict[int, list[Tally]]]:
    """Per site and per zone: how many devices have each verdict, and the lowest id of
    them, summed from the devices counted by site, zone and verdict together (thousands
    of groups, not a million devices)."""
    sites: dict[tuple[int, Verdict], list[int]] = {}
    zones: dict[tuple[int, Verdict], list[int]] = {}
    for (site, zone, verdict), (count, example) in groups.items():
        _count(sites, (site, verdict), count, example)
        if zone is not None:
            _count(zones, (zone, verdict), count, example)
    return _grouped(sites), _grouped(zones)


def _count(counted: dict[G, list[int]], group: G, count: int, example: int) -> None:
    """Add ``count`` devices, one of them ``example``, to ``group``: [count, lowest id]."""
    entry = counted.get(group)
    if entry is None:
        counted[group] = [count, example]
    else:
        entry[0] += count
        if example < entry[1]:
            entry[1] = example


def _grouped(counted: Mapping[tuple[int, Verdict], list[int]]) -> dict[int, list[Tally]]:
    grouped: dict[int, list[Tally]] = defaultdict(list)
    for (system, verdict), (count, example) in counted.items():
        grouped[system].append(Tally(verdict, count, example))
    return grouped


def evaluate_systems(sites: Sequence[SiteFacts], zones: Sequence[ZoneFacts],
                     site_tallies: Mapping[int, Sequence[Tally]],
                     zone_tallies: Mapping[int, Sequence[Tally]],
                     device_names: Mapping[int, str]) -> list[SubjectVerdict]:
    """A site or zone is no more trusted than its devices; without devices, unknown.
    ``device_names`` names at least the tallies' examples."""
    names = {s.key: s.name for s in sites}
    out = [_system(SubjectKind.SYSTEM, s.key, s.name, site_tallies.get(s.key, ()),
                   device_names) for s in sites]
    out.extend(_system(SubjectKind.ZONE, z.key, f"{names.get(z.site, '?')}/{z.name}",
                       zone_tallies.get(z.key, ()), device_names) for z in zones)
    return out


def tally_examples(*tallies: Mapping[int, Sequence[Tally]]) -> set[int]:
    """The devices the tallies name as examples (their names are read to show them)."""
    return {t.example for by_system in tallies for found in by_system.values() for t in found}


def _system(kind: SubjectKind, key: int, name: str, tallies: Sequence[Tally],
            device_names: Mapping[int, str]) -> SubjectVerdict:
    if not tallies:
        return combine(kind, key, name, [Part(Verdict.UNKNOWN, (
            Message("trust_system_no_devices", {}),), None)])
    ordered = sorted(tallies, key=lambda t: _TALLY_ORDER.index(t.verdict))
    reasons = tuple(Message("trust_system_tally", {
        "count": t.devices, "verdict": t.verdict.value,
        "example": device_names[t.example]}) for t in ordered)
    return combine(kind, key, name, [Part(worst(*(t.verdict for t in ordered)), reasons, None)])
