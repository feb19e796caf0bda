"""`cpstrust monitor decode`: JSON and table reports, exit 2 on unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clirun import ok, run

PCAPS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pcaps"
if not PCAPS.is_dir():
    PCAPS = Path("/work/shared/data/pcaps")
EXAMPLE = PCAPS / "modbus" / "icsnpp-modbus" / "modbus_example.pcap"


def test_decode_json_counts_functions_assets_and_flows() -> None:
    report = json.loads(ok("monitor", "decode", str(EXAMPLE), "--format", "json",
                           "--flows", "2"))
    assert report["packets"] == 100
    assert report["protocols"]["modbus"] == 48
    functions = {f["function"]: f for f in report["modbus"]["functions"]}
    assert functions[3]["exceptions"] == {"2": 1}
    assert len(report["flows"]["largest"]) == 2 and report["flows"]["total"] == 4
    server = {a["ip"]: a for a in report["assets"]}["127.0.0.1"]
    assert server["modbus_unit_ids"] == [1, 2, 4, 5, 6, 7, 8, 10]
    assert report["malformed"] == {}


def test_decode_table_shows_bacnet_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # rich would shorten cells to fit 80
    out = ok("monitor", "decode", str(PCAPS / "bacnet" / "bacnet_services.pcap"))
    assert "reinitialize_device" in out and "108 (vendor 42)" in out


def test_decode_of_a_missing_or_foreign_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("monitor", "decode", str(tmp_path / "none.pcap"))
    assert code == 2 and "none.pcap" in err
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"not a capture at all")
    code, _, err = run("monitor", "decode", str(junk))
    assert code == 2 and "junk.pcap: at byte 0" in err


def test_a_truncated_capture_is_reported_not_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(EXAMPLE.read_bytes()[:-10])
    report = json.loads(ok("monitor", "decode", str(cut), "--format", "json"))
    assert report["capture"]["stop_reason"] == "pcap_truncated_record"
    assert report["packets"] == 99
