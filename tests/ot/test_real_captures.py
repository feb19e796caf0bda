"""Every real capture in ../shared/data/pcaps decodes without a crash, with facts checked
by hand against the bytes (the data's README names the sources)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpstrust.app.monitor import decode_capture
from cpstrust.model.ot import DecodeReport, MalformedKind

PCAPS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pcaps"
if not PCAPS.is_dir():
    PCAPS = Path("/work/shared/data/pcaps")
ALL = sorted(PCAPS.rglob("*.pcap"))


def _report(name: str) -> DecodeReport:
    (path,) = [p for p in ALL if p.name == name]
    return decode_capture(path)


def test_the_shared_captures_are_there() -> None:
    assert len(ALL) == 12, f"expected the 12 captures of shared/data/pcaps under {PCAPS}"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_real_capture_decodes_whole(path: Path) -> None:
    report = decode_capture(path)
    assert report.packets == report.capture.records > 0
    assert report.capture.stop_reason is None
    assert report.flows


def test_icsnpp_modbus_example_has_every_function_it_was_made_with() -> None:
    report = _report("modbus_example.pcap")
    functions = {f.function: f for f in report.modbus_functions}
    assert sorted(functions) == [1, 2, 3, 4, 5, 6, 7, 8, 15, 16, 17, 20, 21, 22, 23, 24, 43]
    assert functions[3].exceptions == {2: 1}  # illegal data address
    assert report.modbus_pairs == 24 and report.modbus_unanswered == 0
    assert report.malformed == {}


def test_zeek_modbus_big_is_coil_reads_and_writes() -> None:
    report = _report("modbusBig.pcap")
    assert report.packets == 13622
    functions = {f.function: (f.requests, f.responses) for f in report.modbus_functions}
    assert functions == {1: (1387, 1388), 5: (1387, 1387)}
    assert report.modbus_unpaired_responses == 1  # the capture starts with a response


def test_4sics_sample_is_a_bad_read_write_and_a_gateway_exception() -> None:
    report = _report("4SICS-GeekLounge-151022-min.pcap")
    # 01 17 ... byte count 0xbf against 0x2112 registers to write; answered 0x97 0x0a
    assert report.malformed == {MalformedKind.MODBUS_BAD_PDU: 1}
    assert [(f.function, f.exceptions) for f in report.modbus_functions] == [(23, {10: 1})]


def test_non_modbus_on_port_502_is_counted_as_bad_mbap() -> None:
    report = _report("modbus-and-non-modbus-p502.pcap")
    assert report.malformed[MalformedKind.MODBUS_BAD_MBAP] == 11
    assert report.modbus_pairs == 6


def test_fuzzed_captures_are_counted_not_crashed_on() -> None:
    assert _report("fuzz-1011.pcap").malformed == {MalformedKind.BAD_IP_HEADER: 1}
    fuzz72 = _report("fuzz-72.pcap")
    assert fuzz72.malformed[MalformedKind.MODBUS_UNKNOWN_FUNCTION] == 3


def test_bacnet_services_capture_names_devices_and_commands() -> None:
    report = _report("bacnet_services.pcap")
    services = {(s.pdu, s.name): s.messages for s in report.bacnet_services}
    assert services[("confirmed_request", "reinitialize_device")] == 4
    assert services[("confirmed_request", "device_communication_control")] == 4
    assert services[("confirmed_request", "write_property")] == 9
    assert services[("unconfirmed_request", "i_am")] == 206
    router = {a.ip: a for a in report.assets}["192.168.0.24"]
    assert (108, 42) in router.bacnet_devices  # I-Am of device 108, vendor 42, via SNET 3


def test_bacnet_example_bvlc_lengths_that_lie_are_counted() -> None:
    report = _report("bacnet_example.pcap")
    # e.g. packet 571: BVLC length 0x0011 on a 25-byte payload
    assert report.malformed == {MalformedKind.BACNET_BAD_BVLC: 240}
    services = {(s.pdu, s.name): s.messages for s in report.bacnet_services}
    assert services[("confirmed_request", "read_property")] == 1400
