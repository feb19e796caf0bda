"""The OT asset inventory: hosts learned passively from captures, merged into the
stored inventory of a site, and reconciled with the devices the graph declares there;
unknown and missing devices become OT findings (``app.ot_findings``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.monitor import decode_capture
from cpstrust.app.ot_findings import OtFindingChanges, apply_observations, check_site
from cpstrust.app.services import Services
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
from cpstrust.model.events import Cause, CauseKind
from cpstrust.model.ot_inventory import (
    INVENTORY_SEVERITY,
    INVENTORY_TECHNIQUE,
    Discrepancy,
    InventoryAsset,
    InventoryKind,
    OtObservation,
    assets_of_capture,
    merge_asset,
    reconcile_inventory,
)
from cpstrust.store import ot as ot_store

_INVENTORY_KINDS = tuple(k.value for k in InventoryKind)


@dataclass(frozen=True, slots=True)
class InventoryResult:
    """The site's inventory after the captures, and what reconciliation found."""

    site: str
    captures: tuple[str, ...]
    assets: tuple[InventoryAsset, ...]
    declared: int  # devices of the site (every site's without one)
    unknown: tuple[Discrepancy, ...]
    missing: tuple[Discrepancy, ...]
    changes: OtFindingChanges


def update_inventory(services: Services, captures: Sequence[Path], site: str = "",
                     limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> InventoryResult:
    """Merge what ``captures`` show into ``site``'s stored inventory, reconcile it with
    the declared devices and keep the discrepancies as findings; one transaction.
    Every capture is read before anything is written: a bad one stores nothing."""
    seen: dict[str, InventoryAsset] = {}
    for path in captures:
        report = decode_capture(path, limits)
        for ip, asset in assets_of_capture(report.assets, report.flows).items():
            seen[ip] = merge_asset(seen.get(ip), asset)
    with services.store.transaction() as session:
        check_site(session, site)
        stored = ot_store.inventory(session, site)
        merged = {ip: merge_asset(stored.get(ip), a) for ip, a in seen.items()}
        ot_store.save_assets(session, site, merged.values())
        assets = stored | merged
        declared = ot_store.declared_devices(session, site or None)
        found = reconcile_inventory(assets, declared, site)
        kept = ot_store.kept_ot_findings(session, kinds=_INVENTORY_KINDS, site=site)
        reference = ",".join(str(p) for p in captures) or "inventory"
        changes = apply_observations(session, kept, [_observation(d) for d in found], site,
                                     Cause(CauseKind.OT, reference[:1000]), datetime.now(UTC))
    return InventoryResult(
        site, tuple(str(p) for p in captures), tuple(a for _, a in sorted(assets.items())),
        len(declared), tuple(d for d in found if d.kind is InventoryKind.UNKNOWN_DEVICE),
        tuple(d for d in found if d.kind is InventoryKind.MISSING_DEVICE), changes)


def _observation(d: Discrepancy) -> OtObservation:
    if d.asset is not None:
        a = d.asset
        facts = (("ip", a.ip), ("macs", ", ".join(a.macs) or "-"),
                 ("protocols", ", ".join(a.protocols) or "-"))
        return OtObservation(d.key, d.kind.value, d.site, a.ip, None,
                             INVENTORY_SEVERITY[d.kind], INVENTORY_TECHNIQUE[d.kind],
                             "ot_unknown_device", facts, a.first_seen, a.last_seen, 1)
    assert d.device is not None
    device = d.device
    facts = (("device", device.name), ("ip", device.ip or "-"), ("mac", device.mac or "-"))
    return OtObservation(d.key, d.kind.value, d.site, None, device.ip,
                         INVENTORY_SEVERITY[d.kind], INVENTORY_TECHNIQUE[d.kind],
                         "ot_missing_device", facts, 0.0, 0.0, 1)
