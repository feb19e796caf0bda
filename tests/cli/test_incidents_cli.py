"""`cpstrust incidents`: list (exit 1 while one is open), show as JSON and HTML in
Japanese, export a STIX bundle that is the same when exported again, bad ids."""

from __future__ import annotations

import json
from pathlib import Path

from clirun import Home, ok, run

from cpstrust.app.ot_findings import store_alerts
from cpstrust.app.services import Services
from cpstrust.formats.stix_schema import validate_bundle
from cpstrust.model.ot_detect import Alert, AlertKind, Detector
from cpstrust.settings import Settings

CHAIN = """
organizations: [{name: Op}, {name: Vendor}]
products:
  - {name: PLC-9, supplier: Vendor, releases: [{version: "2.0"}]}
sites:
  - {name: North, operator: Op}
  - {name: South, operator: Op}
devices:
  - {name: plc-north, product: PLC-9, version: "2.0", site: North, ip: 10.8.0.2}
  - {name: plc-south, product: PLC-9, version: "2.0", site: South, ip: 10.9.0.2}
"""


def _alert(src: str, dst: str, ts: float) -> Alert:
    return Alert(AlertKind.BACNET_REINITIALIZE, Detector.RULES, ts, ts + 1, src, dst,
                 "device 7", 2, "alert_bacnet_reinitialize",
                 (("dst", dst), ("state", "1"), ("code", "1")))


def _plant(home: Home, tmp_path: Path) -> None:
    where = home("op")
    (tmp_path / "chain.yaml").write_text(CHAIN)
    ok("chain", "load", str(tmp_path / "chain.yaml"))
    services = Services(Settings(home=where, database_url=f"sqlite:///{where / 'cpstrust.db'}"))
    store_alerts(services, [_alert("10.8.0.66", "10.8.0.2", 1.7e9)], "n.pcap", site="North",
                 last_ts=None)
    store_alerts(services, [_alert("10.9.0.66", "10.9.0.2", 1.7e9 + 600)], "s.pcap",
                 site="South", last_ts=None)
    services.close()


def test_incidents_list_show_and_export(home: Home, tmp_path: Path) -> None:
    _plant(home, tmp_path)
    code, out, _ = run("incidents", "--format", "json")
    assert code == 1  # an open incident
    (incident,) = json.loads(out)["incidents"]
    assert incident["site_count"] == 2 and incident["basis"] == "release"
    assert {d["name"] for d in incident["devices"]} == {"plc-north", "plc-south"}
    assert incident["plan"][0]["step"] == "isolate_source"
    shown = json.loads(ok("incidents", "show", str(incident["id"]), "--format", "json",
                          "--lang", "ja"))
    assert "送信元" in shown["plan"][0]["text"]
    page = ok("incidents", "show", str(incident["id"]), "--format", "html", "--lang", "ja")
    assert page.startswith("<!DOCTYPE html>") and "対策計画" in page and "CPS.AC-1" in page
    first, again = tmp_path / "a.json", tmp_path / "b.json"
    ok("incidents", "export", str(incident["id"]), "--stix", "--out", str(first),
       "--deidentify")
    ok("incidents", "export", str(incident["id"]), "--stix", "--out", str(again),
       "--deidentify")
    assert first.read_bytes() == again.read_bytes()
    validate_bundle(json.loads(first.read_text()), str(first))
    assert "10.8.0" not in first.read_text() and "plc-north" not in first.read_text()
    assert "North" not in first.read_text()


def test_incidents_refuse_bad_ids_and_a_missing_format(home: Home, tmp_path: Path) -> None:
    _plant(home, tmp_path)
    for args in (("show", "x1"), ("show", "0"), ("export", "1"), ("show", "42")):
        code, _, err = run("incidents", *args)
        assert code == 2, (args, err)
    assert "--stix" in run("incidents", "export", "1")[2]
    code, out, _ = run("incidents", "--status", "resolved", "--format", "json")
    assert (code, json.loads(out)) == (0, {"incidents": []})
