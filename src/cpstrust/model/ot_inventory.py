"""The OT asset inventory and OT findings, as values: hosts learned passively from
traffic, merged over captures, reconciled with the devices the supply-chain graph
declares; and what becomes a finding of an alert, an unknown or a missing device.

Each finding has a stable key; the one lifecycle (``model.lifecycle``) decides what a
new observation does to the findings kept under those keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.advisory import Severity
from cpstrust.model.ot import Asset, Flow

MAX_TALKERS = 256  # peers kept per asset: a scanner talks to thousands
MAX_ITEMS = 256  # MACs, unit ids, BACnet devices kept per asset
# An OT alert finding nobody decided on, not seen for this long (capture time), is
# resolved as fixed: the deviation stopped.
DEFAULT_RESOLVE_AFTER_HOURS = 24.0


class InventoryKind(StrEnum):
    UNKNOWN_DEVICE = "unknown_device"  # seen on the network, declared nowhere
    MISSING_DEVICE = "missing_device"  # declared with an address, never seen


INVENTORY_SEVERITY = {InventoryKind.UNKNOWN_DEVICE: Severity.MEDIUM,
                      InventoryKind.MISSING_DEVICE: Severity.LOW}
# ATT&CK for ICS: an unknown host on the control network may be a rogue master (T0848).
INVENTORY_TECHNIQUE = {InventoryKind.UNKNOWN_DEVICE: "T0848",
                       InventoryKind.MISSING_DEVICE: None}


@dataclass(frozen=True, slots=True)
class InventoryAsset:
    """One host as the monitor knows it: what it said and did, over every capture."""

    ip: str
    macs: tuple[str, ...]
    roles: tuple[str, ...]  # client, server
    protocols: tuple[str, ...]
    unit_ids: tuple[int, ...]  # Modbus unit ids it answered for
    bacnet_devices: tuple[tuple[int, int | None], ...]  # (instance, vendor) from I-Am
    talkers: tuple[str, ...]  # the hosts it exchanged packets with
    first_seen: float
    last_seen: float


@dataclass(frozen=True, slots=True)
class DeclaredDevice:
    """A device of the graph as reconciliation needs it."""

    device_id: int
    name: str
    site: str
    ip: str | None
    mac: str | None


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """An unknown device (``asset`` set) or a missing one (``device`` set)."""

    kind: InventoryKind
    site: str
    asset: InventoryAsset | None = None
    device: DeclaredDevice | None = None

    @property
    def key(self) -> str:
        if self.asset is not None:
            return f"{self.kind}|{self.site or '-'}|{self.asset.ip}"
        assert self.device is not None
        return f"{self.kind}|{self.site or '-'}|{self.device.name}"



def merge_asset(kept: InventoryAsset | None, seen: InventoryAsset) -> InventoryAsset:
    """What is known of a host after ``seen``: every fact of both, bounded, and the
    widest time span."""
    if kept is None:
        return seen
    return InventoryAsset(
        seen.ip,
        tuple(sorted({*kept.macs, *seen.macs}))[:MAX_ITEMS],
        tuple(sorted({*kept.roles, *seen.roles})),
        tuple(sorted({*kept.protocols, *seen.protocols})),
        tuple(sorted({*kept.unit_ids, *seen.unit_ids}))[:MAX_ITEMS],
        _devices(kept.bacnet_devices, seen.bacnet_devices),
        tuple(sorted({*kept.talkers, *seen.talkers}))[:MAX_TALKERS],
        min(kept.first_seen, seen.first_seen), max(kept.last_seen, seen.last_seen))


def _devices(kept: tuple[tuple[int, int | None], ...], seen: tuple[tuple[int, int | None], ...],
             ) -> tuple[tuple[int, int | None], ...]:
    """BACnet devices by instance; a vendor learned from an I-Am is not forgotten."""
    by_instance: dict[int, int | None] = dict(kept)
    for instance, vendor in seen:
        if vendor is not None or instance not in by_instance:
            by_instance[instance] = vendor
    return tuple(sorted(by_instance.items()))[:MAX_ITEMS]


def assets_of_capture(assets: Iterable[Asset], flows: Iterable[Flow],
                      ) -> dict[str, InventoryAsset]:
    """A decoded capture's hosts as inventory entries, with their talkers from the
    flows."""
    talkers: dict[str, set[str]] = {}
    for f in flows:
        for ip, peer in ((f.src, f.dst), (f.dst, f.src)):
            peers = talkers.setdefault(ip, set())
            if len(peers) < MAX_TALKERS:
                peers.add(peer)
    return {a.ip: InventoryAsset(a.ip, a.macs, a.roles, a.protocols, a.modbus_unit_ids,
                                 a.bacnet_devices, tuple(sorted(talkers.get(a.ip, ()))),
                                 a.first_seen, a.last_seen)
            for a in assets}


def reconcile_inventory(assets: Mapping[str, InventoryAsset],
                        declared: Iterable[DeclaredDevice], site: str,
                        ) -> tuple[Discrepancy, ...]:
    """Unknown devices (a host whose IP and MACs match no declared device) and missing
    ones (a device declared with an address that no host has), in a stable order.
    Devices declared without an address cannot be matched and are never missing."""
    devices = tuple(declared)
    by_ip = {d.ip: d for d in devices if d.ip is not None}
    by_mac = {d.mac: d for d in devices if d.mac is not None}
    matched: set[int] = set()
    out: list[Discrepancy] = []
    for ip, asset in sorted(assets.items()):
        device = by_ip.get(ip) or next((by_mac[m] for m in asset.macs if m in by_mac), None)
        if device is None:
            out.append(Discrepancy(InventoryKind.UNKNOWN_DEVICE, site, asset=asset))
        else:
            matched.add(device.device_id)
    for device in sorted(devices, key=lambda d: d.name):
        if (device.ip or device.mac) and device.device_id not in matched:
            out.append(Discrepancy(InventoryKind.MISSING_DEVICE, site, device=device))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class OtObservation:
    """What one analysis saw of a finding's key: a new finding's fields, and how many
    occurrences it adds (0: a capture already counted, analysed again)."""

    key: str
    kind: str
    site: str
    src: str | None
    dst: str | None
    severity: Severity
    technique: str | None
    explanation: str
    facts: tuple[tuple[str, str], ...]
    first_seen: float
    last_seen: float
    occurrences: int


@dataclass(frozen=True, slots=True)
class StoredOtFinding:
    """An OT finding as listings show it."""

    id: int
    key: str
    kind: str
    site: str
    device: str | None
    src: str | None
    dst: str | None
    severity: Severity
    technique: str | None
    explanation: str
    facts: tuple[tuple[str, str], ...]
    count: int
    first_seen: float
    last_seen: float
    status: str
    decided_by: str
    note: str | None
