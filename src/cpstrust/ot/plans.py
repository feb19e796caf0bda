"""The countermeasure plan of an incident, ranked by risk reduction. Pure.

Each step is scored ``severity weight × breadth × applicability / effort``:
- severity weight: the incident's severity, low 1 … critical 4;
- breadth: the devices the step acts on, plus each site beyond the first (the same
  anomaly at another site weighs as much as another device);
- applicability (0–1]: how squarely the step answers what was seen (below);
- effort: the relative cost of the kind of step (``EFFORT``): a block rule or a
  re-attestation is quick, new credentials need coordination, restoring a configuration
  needs an engineer at the device, a patch a maintenance window, a replacement a purchase.
Steps are ordered by score, highest first; a tie keeps the order of ``StepKind``.

Each step names the CPSF requirements of the shipped catalogue it serves: blocking a
source is access limited to authorised parties and monitoring, carried out as incident
response (CPS.AC-9, provisional in the catalogue; CPS.CM-1; CPS.RP-1); restoring a
configuration follows the initial settings procedure (CPS.IP-1, CPS.RP-1); a patch is the
assets' vulnerabilities and timely updates (CPS.RA-1, CPS.MA-1), a replacement the
supply chain's too (CPS.SC-1); new credentials the credential lifecycle (CPS.AC-1); a
re-attestation checks the device as part of the response (CPS.RP-1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.ot_detect import AlertKind
from cpstrust.model.ot_incident import (
    RAISING_SEVERITY,
    Anomaly,
    Countermeasure,
    DeviceFacts,
    Fix,
    IncidentFacts,
    StepKind,
)

EFFORT: dict[StepKind, int] = {
    StepKind.ISOLATE_SOURCE: 1, StepKind.REATTEST_DEVICE: 1, StepKind.RESET_CREDENTIALS: 2,
    StepKind.RESTORE_CONFIGURATION: 3, StepKind.PATCH_RELEASE: 5, StepKind.REPLACE_RELEASE: 8,
}
REQUIREMENTS: dict[StepKind, tuple[str, ...]] = {
    StepKind.ISOLATE_SOURCE: ("CPS.AC-9", "CPS.CM-1", "CPS.RP-1"),
    StepKind.RESTORE_CONFIGURATION: ("CPS.IP-1", "CPS.RP-1"),
    StepKind.PATCH_RELEASE: ("CPS.RA-1", "CPS.MA-1"),
    StepKind.REPLACE_RELEASE: ("CPS.RA-1", "CPS.MA-1", "CPS.SC-1"),
    StepKind.RESET_CREDENTIALS: ("CPS.AC-1",),
    StepKind.REATTEST_DEVICE: ("CPS.RP-1",),
}
# Kinds that change what a device does or holds: its configuration may need restoring.
STATE_CHANGING = frozenset({
    AlertKind.UNUSUAL_WRITER, AlertKind.OUT_OF_RANGE_WRITE, AlertKind.MODBUS_RESTART,
    AlertKind.MODBUS_LISTEN_ONLY, AlertKind.BACNET_REINITIALIZE,
    AlertKind.BACNET_COMMUNICATION_CONTROL})
# BACnet's ReinitializeDevice and DeviceCommunicationControl carry a password: whoever
# sent them had it (or the device takes none). Other commands a rogue host sent are a
# weaker sign that credentials leaked.
PASSWORD_COMMANDS = frozenset({AlertKind.BACNET_REINITIALIZE,
                               AlertKind.BACNET_COMMUNICATION_CONTROL})
COMMAND_USE = frozenset({AlertKind.UNUSUAL_WRITER, AlertKind.NEW_TALKER,
                         AlertKind.OUT_OF_RANGE_WRITE, AlertKind.MODBUS_RESTART,
                         AlertKind.MODBUS_LISTEN_ONLY})
_ORDER = list(StepKind)


def plan(members: Sequence[Anomaly], facts: IncidentFacts, severity: Severity,
         ) -> tuple[Countermeasure, ...]:
    """The ranked countermeasures of the incident ``members`` make at ``severity``."""
    weight = max(int(severity) - int(Severity.NONE), 1)
    devices = _devices(members)
    steps = [*_isolate(members, devices, facts), *_restore(members, devices, facts),
             *_patch_or_replace(devices, facts), *_credentials(members, devices),
             *_reattest(devices, facts)]
    scored = [_scored(kind, message, weight, touched, applicability, extra)
              for kind, message, touched, applicability, extra in steps]
    return tuple(sorted(scored, key=lambda c: (-c.score, _ORDER.index(c.kind))))


# (kind, message, devices acted on, applicability, (sources, release, fixes))
_Step = tuple[StepKind, Message, Sequence[DeviceFacts], float,
              tuple[tuple[str, ...], tuple[str, str] | None, tuple[Fix, ...]]]


def _devices(members: Iterable[Anomaly]) -> list[DeviceFacts]:
    return sorted({a.device.device_id: a.device for a in members if a.device}.values(),
                  key=lambda d: d.name)


def _names(devices: Iterable[DeviceFacts]) -> str:
    return ", ".join(d.name for d in devices)


def _isolate(members: Sequence[Anomaly], devices: Sequence[DeviceFacts],
             facts: IncidentFacts) -> Iterable[_Step]:
    own = {d.ip for d in devices if d.ip}
    sources = sorted({a.src for a in members if a.src and a.src not in own})
    if not sources:
        return
    undeclared = [s for s in sources if s not in facts.declared_ips]
    # An undeclared host can simply be cut off; blocking a declared one stops part of
    # the plant, so it answers the incident less cleanly.
    applicability = 1.0 if undeclared else 0.7
    yield (StepKind.ISOLATE_SOURCE,
           Message("plan_isolate_source", {"sources": ", ".join(sources),
                                           "devices": _names(devices) or "-"}),
           devices, applicability, (tuple(sources), None, ()))


def _restore(members: Sequence[Anomaly], devices: Sequence[DeviceFacts],
             facts: IncidentFacts) -> Iterable[_Step]:
    changed = {a.device.device_id for a in members if a.device and a.kind in STATE_CHANGING}
    changed |= {d.device_id for d in devices
                if (latest := facts.attestations.get(d.device_id)) and latest.failed}
    touched = [d for d in devices if d.device_id in changed]
    if touched:
        yield (StepKind.RESTORE_CONFIGURATION,
               Message("plan_restore_configuration", {"devices": _names(touched)}),
               touched, 1.0, ((), None, ()))


def _patch_or_replace(devices: Sequence[DeviceFacts], facts: IncidentFacts,
                      ) -> Iterable[_Step]:
    by_release: dict[int, list[DeviceFacts]] = {}
    for d in devices:
        by_release.setdefault(d.release_id, []).append(d)
    for release_id, on in sorted(by_release.items()):
        raising = sorted((v for v in facts.vulnerabilities.get(release_id, ())
                          if v.severity >= RAISING_SEVERITY),
                         key=lambda v: (-v.severity, v.vulnerability_id, v.component))
        if not raising:
            continue
        fixes = tuple(Fix(v.vulnerability_id, v.severity, v.component, v.component_version,
                          v.fixed_versions) for v in raising)
        release = (on[0].product, on[0].version)
        known = [f for f in fixes if f.fixed_versions]
        if known:
            yield (StepKind.PATCH_RELEASE, Message("plan_patch_release", {
                "product": release[0], "version": release[1], "devices": _names(on),
                "fixes": "; ".join(f"{f.vulnerability_id}: {f.component} "
                                   f"{' / '.join(f.fixed_versions)}" for f in known)}),
                on, 1.0, ((), release, fixes))
        else:
            # Nothing to patch to: replacing the release answers it, at a higher cost.
            yield (StepKind.REPLACE_RELEASE, Message("plan_replace_release", {
                "product": release[0], "version": release[1], "devices": _names(on),
                "vulnerabilities": ", ".join(f.vulnerability_id for f in fixes)}),
                on, 0.8, ((), release, fixes))


def _credentials(members: Sequence[Anomaly], devices: Sequence[DeviceFacts],
                 ) -> Iterable[_Step]:
    kinds = {a.kind for a in members}
    if kinds & PASSWORD_COMMANDS:
        applicability = 1.0
    elif kinds & COMMAND_USE:
        applicability = 0.5
    else:
        return
    yield (StepKind.RESET_CREDENTIALS,
           Message("plan_reset_credentials", {"devices": _names(devices) or "-"}),
           devices, applicability, ((), None, ()))


def _reattest(devices: Sequence[DeviceFacts], facts: IncidentFacts) -> Iterable[_Step]:
    if not devices:
        return
    failed = [d for d in devices
              if (latest := facts.attestations.get(d.device_id)) and latest.failed]
    # A failed attestation must be cleared; otherwise it checks the firmware is intact
    # after the anomaly, which is worth less.
    yield (StepKind.REATTEST_DEVICE,
           Message("plan_reattest_device", {"devices": _names(failed or devices)}),
           failed or devices, 1.0 if failed else 0.5, ((), None, ()))


def _scored(kind: StepKind, message: Message, weight: int, touched: Sequence[DeviceFacts],
            applicability: float,
            extra: tuple[tuple[str, ...], tuple[str, str] | None, tuple[Fix, ...]],
            ) -> Countermeasure:
    sites = sorted({d.site for d in touched})
    breadth = max(len(touched) + max(len(sites) - 1, 0), 1)
    effort = EFFORT[kind]
    score = round(weight * breadth * applicability / effort, 3)
    sources, release, fixes = extra
    return Countermeasure(kind, message, REQUIREMENTS[kind], tuple(d.name for d in touched),
                          tuple(sites), sources, release, fixes, weight, breadth,
                          applicability, effort, score)
