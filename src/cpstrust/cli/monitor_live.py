"""`cpstrust monitor assets` (the inventory learned from traffic, reconciled with the
graph) and `cpstrust monitor live` (watch an interface: alerts as they happen, findings
stored). Registered on the `monitor` group by ``cli.monitor``."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import orjson
import typer

from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t

if TYPE_CHECKING:
    from cpstrust.app.monitor_live import LiveNotice, LiveSummary
    from cpstrust.app.ot_inventory import InventoryResult
    from cpstrust.model.ot_inventory import Discrepancy, InventoryAsset

_SITE_HELP = "Site of the graph the traffic was captured at (findings are kept per site)."


def assets_command(
    ctx: typer.Context,
    capture: Annotated[list[Path] | None, typer.Option(
        help="Capture file (pcap or pcapng) to learn from; repeat for more.")] = None,
    site: Annotated[str, typer.Option(help=_SITE_HELP)] = "",
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """The asset inventory learned passively from traffic (IP, MAC, role, protocols,
    Modbus unit ids, BACnet device and vendor, first and last seen, talkers), merged over
    every capture given so far, and reconciled with the devices the supply-chain graph
    declares (by IP or MAC): unknown and missing devices become findings.

    Exit 0 when every host is declared and every declared device seen, 1 otherwise, 2
    on bad input.
    """
    from cpstrust.app.ot_inventory import update_inventory
    from cpstrust.cli.exits import exit_for

    app = app_context(ctx)
    result = update_inventory(app.services, capture or [], site)
    if output is OutputFormat.JSON:
        print_json(inventory_json(result))
    else:
        _print_inventory(app, result)
    exit_for(len(result.unknown) + len(result.missing))


def inventory_json(result: InventoryResult) -> dict[str, Any]:
    c = result.changes
    return {"site": result.site or None, "captures": list(result.captures),
            "assets": [_asset_json(a) for a in result.assets],
            "declared_devices": result.declared,
            "unknown_devices": [_discrepancy_json(d) for d in result.unknown],
            "missing_devices": [_discrepancy_json(d) for d in result.missing],
            "findings": {"opened": c.opened, "refreshed": c.refreshed,
                         "reopened": c.reopened, "resolved": c.resolved,
                         "events": c.events}}


def _asset_json(a: InventoryAsset) -> dict[str, Any]:
    return {"ip": a.ip, "macs": list(a.macs), "roles": list(a.roles),
            "protocols": list(a.protocols), "modbus_unit_ids": list(a.unit_ids),
            "bacnet_devices": [{"instance": i, "vendor": v} for i, v in a.bacnet_devices],
            "first_seen": a.first_seen, "last_seen": a.last_seen,
            "talkers": list(a.talkers)}


def _discrepancy_json(d: Discrepancy) -> dict[str, Any]:
    if d.asset is not None:
        return {"key": d.key, "ip": d.asset.ip, "macs": list(d.asset.macs)}
    assert d.device is not None
    return {"key": d.key, "device": d.device.name, "site": d.device.site, "ip": d.device.ip,
            "mac": d.device.mac}


def _print_inventory(app: AppContext, result: InventoryResult) -> None:
    from rich.markup import escape
    from rich.table import Table

    from cpstrust.cli.monitor import _when

    table = Table(title=t("monitor_inventory", app.lang))
    for column in ("monitor_ip", "monitor_mac", "monitor_role", "monitor_protocol",
                   "monitor_units", "monitor_devices", "monitor_when", "monitor_last",
                   "monitor_talkers"):
        table.add_column(t(column, app.lang))
    for a in result.assets:
        devices = ", ".join(f"{i} (vendor {'-' if v is None else v})"
                            for i, v in a.bacnet_devices)
        table.add_row(a.ip, ", ".join(a.macs) or "-", ", ".join(a.roles) or "-",
                      ", ".join(a.protocols) or "-",
                      ", ".join(str(u) for u in a.unit_ids) or "-", escape(devices) or "-",
                      _when(a.first_seen), _when(a.last_seen), str(len(a.talkers)))
    app.console.print(table)
    for d in result.unknown:
        assert d.asset is not None
        app.console.print(t("monitor_unknown_device", app.lang, ip=d.asset.ip),
                          style="yellow", markup=False, highlight=False)
    for d in result.missing:
        assert d.device is not None
        app.console.print(t("monitor_missing_device", app.lang, device=d.device.name,
                            ip=d.device.ip or d.device.mac or "-"),
                          style="yellow", markup=False, highlight=False)


def live_command(
    ctx: typer.Context,
    interface: Annotated[str, typer.Argument(help="Interface to capture on (dumpcap -i).")],
    *,
    baseline: Annotated[Path, typer.Option(help="Baseline file written by monitor learn.",
                                           dir_okay=False)],
    site: Annotated[str, typer.Option(help=_SITE_HELP)] = "",
    store: Annotated[bool, typer.Option(help="Store alerts as findings as they happen.")
                     ] = True,
    model: Annotated[bool, typer.Option(
        help="Also run the learned model (isolation forest over per-flow windows).")
                     ] = True,
    ring_dir: Annotated[Path | None, typer.Option(
        help="Directory of dumpcap's ring buffer (a temporary one by default).",
        file_okay=False)] = None,
    ring_filesize: Annotated[int, typer.Option(
        help="Kilobytes written to one ring file before dumpcap moves to the next.",
        min=64, max=1024 * 1024)] = 8192,
    ring_files: Annotated[int, typer.Option(help="Ring files dumpcap keeps.", min=2,
                                            max=1000)] = 8,
    capture_filter: Annotated[str | None, typer.Option(
        "--filter", help="Capture filter (BPF) for dumpcap, e.g. 'tcp port 502 or udp'.")
                              ] = None,
    resolve_after: Annotated[float, typer.Option(
        help="Hours of capture time after which an alert finding nobody decided on, not "
             "seen again, is resolved.", min=0.0)] = 24.0,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Watch an interface until SIGINT or SIGTERM: dumpcap captures into a ring buffer,
    each file is decoded and analysed against the baseline as it is written, every
    alert is printed as it happens (one JSON object per line with --format json) and
    stored as a finding. A dumpcap that dies is restarted, counted and reported; the
    capture counters (received, dropped) are reported when it stops.

    Exit 0 without alerts, 1 with alerts, 2 on bad input or when dumpcap cannot run.
    """
    from cpstrust.app.monitor_live import LiveRequest, run_live
    from cpstrust.cli.exits import exit_for

    app = app_context(ctx)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    request = LiveRequest(interface, baseline, site, store, model, ring_dir, ring_filesize,
                          ring_files, capture_filter, resolve_after)
    summary = run_live(app.services, request, stop,
                       lambda notice: _tell(app, notice, output))
    _tell_summary(app, summary, output)
    exit_for(summary.alerts)


def _tell(app: AppContext, notice: LiveNotice, output: OutputFormat) -> None:
    from cpstrust.app.monitor_live import NoticeKind
    from cpstrust.cli.monitor import alert_json

    if notice.alert is not None:
        record = {"event": notice.kind.value, **alert_json(notice.alert, app)}
        if output is OutputFormat.JSON:
            _line(record)
        else:
            _text(f"{notice.kind.value} {record['severity']} {record['kind']} "
                  f"{record['src'] or '-'} -> {record['dst'] or '-'} x{record['count']}: "
                  f"{record['explanation']}")
        return
    if notice.kind is NoticeKind.CAPTURE_STARTED:
        app.err.print(t("live_started", app.lang, pid=notice.detail), markup=False,
                      highlight=False)
        record = {"event": notice.kind.value, "dumpcap_pid": int(notice.detail),
                  "restarts": notice.restarts}
    else:
        app.err.print(t("live_restarted", app.lang, restarts=notice.restarts,
                        detail=notice.detail or "-"), markup=False, highlight=False)
        record = {"event": notice.kind.value, "restarts": notice.restarts,
                  "detail": notice.detail}
    if output is OutputFormat.JSON:
        _line(record)


def _tell_summary(app: AppContext, s: LiveSummary, output: OutputFormat) -> None:
    c = s.capture
    record = {"event": "stopped", "interface": s.interface, "packets": s.packets,
              "alerts": s.alerts, "files_read": c.files_read, "files_lost": c.files_lost,
              "files_stopped_early": c.stopped_early, "restarts": c.restarts,
              "received": c.received, "dropped": c.dropped,
              "runs_uncounted": c.runs_uncounted,
              "malformed": {k.value: n for k, n in sorted(s.malformed.items())},
              "findings": {"opened": s.findings.opened, "refreshed": s.findings.refreshed,
                           "reopened": s.findings.reopened,
                           "resolved": s.findings.resolved, "events": s.findings.events}}
    if output is OutputFormat.JSON:
        _line(record)
    app.err.print(t("live_stopped", app.lang, packets=s.packets, alerts=s.alerts,
                    received=c.received, dropped=c.dropped, restarts=c.restarts,
                    lost=c.files_lost), markup=False, highlight=False)


def _line(record: dict[str, Any]) -> None:
    sys.stdout.buffer.write(orjson.dumps(record) + b"\n")
    sys.stdout.flush()


def _text(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
