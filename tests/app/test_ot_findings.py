"""OT findings on the one lifecycle: the inventory reconciled with the graph (unknown and
missing devices), alerts kept as findings (no duplicates on a repeat, bursts counted,
stale ones resolved), and their events."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cpstrust.app.events import list_events
from cpstrust.app.ot_findings import list_ot_findings, set_ot_finding_status, store_alerts
from cpstrust.app.ot_inventory import update_inventory
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.errors import InputError, NotFoundError
from cpstrust.model.events import EventKind
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.ot_detect import Alert, AlertKind, Detector

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ot"))
from frames import CLIENT, SERVER, adu, modbus_segment, write_pcap

CHAIN = """
organizations: [{name: Plant Op}, {name: Vendor}]
products:
  - {name: PLC-9, supplier: Vendor, releases: [{version: "2.0"}]}
sites:
  - {name: Line 1, operator: Plant Op, zones: [cell]}
devices:
  - {name: plc-a, product: PLC-9, version: "2.0", site: Line 1, ip: 10.0.0.2}
  - {name: plc-b, product: PLC-9, version: "2.0", site: Line 1, ip: 10.0.0.9,
     mac: "02-00-00-00-00-99"}
  - {name: plc-c, product: PLC-9, version: "2.0", site: Line 1}
"""


@pytest.fixture
def plant(services: Services, tmp_path: Path) -> Path:
    chain = tmp_path / "chain.yaml"
    chain.write_text(CHAIN)
    load_supply_chain_file(services, chain)
    request = modbus_segment(adu(1, 1, bytes([3, 0, 0, 0, 2])), 1)
    response = modbus_segment(adu(1, 1, bytes([3, 4, 0, 1, 0, 2])), 1, response=True)
    return write_pcap(tmp_path / "line1.pcap", [request, response])


def test_inventory_finds_unknown_and_missing_devices_as_findings(
        services: Services, plant: Path) -> None:
    result = update_inventory(services, [plant], "Line 1")
    assets = {a.ip: a for a in result.assets}
    assert assets[SERVER].roles == ("server",) and assets[SERVER].unit_ids == (1,)
    assert assets[CLIENT].talkers == (SERVER,) and assets[CLIENT].macs == ("02:00:00:00:00:01",)
    assert [d.asset.ip for d in result.unknown if d.asset] == [CLIENT]
    # plc-c has no address: it cannot be matched, so it is never missing
    assert [d.device.name for d in result.missing if d.device] == ["plc-b"]
    assert result.changes.opened == 2 and result.changes.events == 2
    kinds = {f.kind: f for f in list_ot_findings(services, site="Line 1")}
    assert set(kinds) == {"unknown_device", "missing_device"}
    assert kinds["missing_device"].device == "plc-b"


def test_inventory_merges_captures_and_resolves_what_is_no_longer_discrepant(
        services: Services, plant: Path, tmp_path: Path) -> None:
    update_inventory(services, [plant], "Line 1")
    again = update_inventory(services, [], "Line 1")
    assert again.changes.opened == 0 and again.changes.refreshed == 2
    assert {a.ip for a in again.assets} == {CLIENT, SERVER}  # kept from the first capture
    chain = tmp_path / "chain.yaml"  # the client is declared now, plc-b is dropped
    chain.write_text(CHAIN.replace("ip: 10.0.0.9,\n     mac: \"02-00-00-00-00-99\"",
                                   "ip: 10.0.0.1"))
    load_supply_chain_file(services, chain)
    later = update_inventory(services, [], "Line 1")
    assert later.unknown == () and later.missing == ()
    assert later.changes.resolved == 2
    resolved = [e for e in list_events(services) if e.change.kind is EventKind.RESOLVED]
    assert {e.change.finding.kind for e in resolved} == {FindingKind.OT}


def test_inventory_of_a_bad_capture_or_site_stores_nothing(
        services: Services, plant: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"not a capture")
    with pytest.raises(InputError):
        update_inventory(services, [plant, junk], "Line 1")
    with pytest.raises(NotFoundError):
        update_inventory(services, [plant], "No Such Site")
    assert update_inventory(services, [], "Line 1").assets == ()


def _alert(ts: float, count: int = 1, dst: str = SERVER) -> Alert:
    return Alert(AlertKind.MODBUS_RESTART, Detector.RULES, ts, ts + count - 1, CLIENT, dst,
                 "unit 1 sub-function 1", count, "alert_modbus_restart",
                 (("unit", "1"), ("sub_function", "1")))


def test_alerts_become_one_finding_per_key_on_the_device_they_name(
        services: Services, plant: Path) -> None:
    first = store_alerts(services, [_alert(1000.0, 3), _alert(1200.0, 2)], "a.pcap",
                         site="Line 1", last_ts=1300.0)
    assert first.opened == 1 and first.events == 1
    (finding,) = list_ot_findings(services)
    assert finding.device == "plc-a" and finding.count == 5
    assert (finding.first_seen, finding.last_seen) == (1000.0, 1201.0)
    event = list_events(services)[-1]
    assert event.change.finding.product == "plc-a" and event.change.finding.version == "2.0"
    repeat = store_alerts(services, [_alert(1000.0, 3), _alert(1200.0, 2)], "a.pcap",
                          site="Line 1", last_ts=1300.0)
    assert repeat.opened == 0 and repeat.refreshed == 1 and repeat.events == 0
    assert list_ot_findings(services)[0].count == 5  # the same capture adds nothing
    store_alerts(services, [_alert(5000.0, 4)], "b.pcap", site="Line 1", last_ts=5010.0)
    (grown,) = list_ot_findings(services)
    assert grown.count == 9 and grown.last_seen == 5003.0


def test_an_alert_finding_stays_until_decided_or_stale(services: Services,
                                                        plant: Path) -> None:
    store_alerts(services, [_alert(1000.0)], "a.pcap", site="Line 1", last_ts=1000.0)
    other = _alert(1000.0 + 25 * 3600, dst="10.0.0.77")
    quiet = store_alerts(services, [other], "b.pcap", site="Line 1",
                         last_ts=1000.0 + 23 * 3600, resolve_after_hours=24)
    assert quiet.resolved == 0  # not yet 24 hours of capture time without it
    stale = store_alerts(services, [other], "c.pcap", site="Line 1",
                         last_ts=1000.0 + 25 * 3600, resolve_after_hours=24)
    assert stale.resolved == 1 and stale.events == 1
    statuses = {f.dst: f.status for f in list_ot_findings(services)}
    assert statuses == {SERVER: "fixed", "10.0.0.77": "open"}
    back = store_alerts(services, [_alert(1000.0 + 30 * 3600)], "d.pcap", site="Line 1",
                        last_ts=1000.0 + 30 * 3600)
    assert back.reopened == 1
    assert list_events(services)[-1].change.kind is EventKind.REOPENED


def test_a_persons_decision_on_an_ot_finding_stands(services: Services,
                                                   plant: Path) -> None:
    store_alerts(services, [_alert(1000.0)], "a.pcap", site="Line 1", last_ts=1000.0)
    (finding,) = list_ot_findings(services)
    set_ot_finding_status(services, finding.id, FindingStatus.ACCEPTED, "maintenance")
    store_alerts(services, [_alert(2000.0)], "b.pcap", site="Line 1", last_ts=2000.0)
    (kept,) = list_ot_findings(services)
    assert kept.status == "accepted" and kept.note == "maintenance" and kept.count == 2
    with pytest.raises(NotFoundError):
        set_ot_finding_status(services, 999, FindingStatus.FIXED, None)
