"""`cpstrust monitor`: OT traffic monitoring. `decode` shows what a capture holds;
`learn` writes a baseline of normal traffic and `analyze` the alerts of a capture
against it (kept as findings with --store); `assets` and `live` (cli.monitor_live) the
inventory and the watch of an interface; `scenario` writes labelled Modbus/TCP and
BACnet/IP traffic with its ground truth, for training and evaluating detectors."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cpstrust.app.monitor import decode_capture
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.errors import InputError
from cpstrust.model.ot import DecodeReport, Flow
from cpstrust.model.ot_detect import TECHNIQUE_NAMES, Alert

app = typer.Typer(help="OT monitoring: decode Modbus/TCP and BACnet/IP captures, and write "
                       "labelled scenarios for training and evaluating detectors.",
                  no_args_is_help=True)

_PROTOCOL_NAMES = {6: "tcp", 17: "udp", 1: "icmp", 58: "icmpv6"}


@app.command("decode")
def decode(
    ctx: typer.Context,
    capture: Annotated[Path, typer.Argument(help="Capture file (pcap or pcapng).")],
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
    flows: Annotated[int, typer.Option(
        help="How many flows to list, the largest by bytes first.", min=0)] = 20,
) -> None:
    """Decode a capture and show what it holds: packets by protocol, Modbus function
    codes (requests, responses, exceptions) and BACnet services, the assets seen (IP,
    MAC, Modbus unit ids, BACnet device instance and vendor), the largest flows, and
    what could not be decoded, by class.

    The file is read as a stream in bounded memory. A corrupt or truncated record ends
    the reading there and is reported; exit 2 when the file cannot be read at all.
    """
    app_ctx = app_context(ctx)
    report = decode_capture(capture)
    if output is OutputFormat.JSON:
        print_json(report_json(report, flows))
        return
    _print_tables(app_ctx, report, flows)


def report_json(report: DecodeReport, flows: int) -> dict[str, Any]:
    """The report as JSON: every count, the assets, the ``flows`` largest flows."""
    capture = report.capture
    return {
        "source": report.source,
        "packets": report.packets,
        "first_ts": report.first_ts,
        "last_ts": report.last_ts,
        "capture": {"records": capture.records, "bytes": capture.bytes,
                    "link_types": capture.link_types, "stopped_at": capture.stopped_at,
                    "stop_reason": capture.stop_reason},
        "protocols": report.protocols,
        "modbus": {
            "functions": [{"function": f.function, "name": f.name, "requests": f.requests,
                           "responses": f.responses,
                           "exceptions": {str(k): v for k, v in f.exceptions.items()}}
                          for f in report.modbus_functions],
            "pairs": report.modbus_pairs, "unanswered": report.modbus_unanswered,
            "unpaired_responses": report.modbus_unpaired_responses,
        },
        "bacnet": {"services": [{"pdu": s.pdu, "code": s.code, "name": s.name,
                                 "messages": s.messages} for s in report.bacnet_services]},
        "assets": [{"ip": a.ip, "macs": a.macs, "protocols": a.protocols, "roles": a.roles,
                    "modbus_unit_ids": a.modbus_unit_ids,
                    "bacnet_devices": [{"instance": i, "vendor_id": v}
                                       for i, v in a.bacnet_devices],
                    "first_seen": a.first_seen, "last_seen": a.last_seen}
                   for a in report.assets],
        "flows": {"total": len(report.flows), "dropped": report.flows_dropped,
                  "largest": [_flow_json(f) for f in report.flows[:flows]]},
        "malformed": {k.value: v for k, v in report.malformed.items()},
        "stream_events": {k.value: v for k, v in report.stream_events.items()},
    }


def _flow_json(f: Flow) -> dict[str, Any]:
    return {"src": f.src, "dst": f.dst, "protocol": f.protocol, "src_port": f.src_port,
            "dst_port": f.dst_port, "packets": f.packets, "bytes": f.bytes,
            "first_ts": f.first_ts, "last_ts": f.last_ts, "src_mac": f.src_mac}


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _table(app: AppContext, title: str, *columns: str) -> Table:
    table = Table(title=t(title, app.lang))
    for column in columns:
        table.add_column(t(column, app.lang))
    return table


def _print_tables(app: AppContext, report: DecodeReport, flows: int) -> None:
    console = app.console
    console.print(t("monitor_summary", app.lang, source=report.source,
                    packets=report.packets, first=_when(report.first_ts),
                    last=_when(report.last_ts)), markup=False, highlight=False)
    if report.capture.stop_reason is not None:
        console.print(t("monitor_stopped", app.lang, offset=report.capture.stopped_at,
                        reason=report.capture.stop_reason.value), style="yellow",
                      markup=False)
    protocols = _table(app, "monitor_protocols", "monitor_protocol", "monitor_count")
    for name, count in report.protocols.items():
        protocols.add_row(name, str(count))
    console.print(protocols)
    if report.modbus_functions:
        functions = _table(app, "monitor_modbus", "monitor_function", "monitor_name",
                           "monitor_requests", "monitor_responses", "monitor_exceptions")
        for f in report.modbus_functions:
            exceptions = ", ".join(f"{code}: {n}" for code, n in f.exceptions.items())
            functions.add_row(str(f.function), f.name, str(f.requests), str(f.responses),
                              exceptions or "-")
        console.print(functions)
        console.print(t("monitor_pairs", app.lang, pairs=report.modbus_pairs,
                        unanswered=report.modbus_unanswered,
                        unpaired=report.modbus_unpaired_responses), markup=False)
    if report.bacnet_services:
        services = _table(app, "monitor_bacnet", "monitor_pdu", "monitor_code", "monitor_name",
                          "monitor_count")
        for s in report.bacnet_services:
            services.add_row(s.pdu, "-" if s.code is None else str(s.code), s.name,
                             str(s.messages))
        console.print(services)
    _print_assets(app, report)
    _print_flows(app, report, flows)
    _print_problems(app, report)


def _print_assets(app: AppContext, report: DecodeReport) -> None:
    assets = _table(app, "monitor_assets", "monitor_ip", "monitor_mac", "monitor_protocol",
                    "monitor_role", "monitor_units", "monitor_devices")
    for a in report.assets:
        devices = ", ".join(f"{i} (vendor {'-' if v is None else v})"
                            for i, v in a.bacnet_devices)
        assets.add_row(a.ip, ", ".join(a.macs) or "-", ", ".join(a.protocols) or "-",
                       ", ".join(a.roles) or "-",
                       ", ".join(str(u) for u in a.modbus_unit_ids) or "-",
                       escape(devices) or "-")
    app.console.print(assets)


def _print_flows(app: AppContext, report: DecodeReport, flows: int) -> None:
    table = _table(app, "monitor_flows", "monitor_src", "monitor_dst", "monitor_protocol",
                   "monitor_packets", "monitor_bytes")
    for f in report.flows[:flows]:
        protocol = _PROTOCOL_NAMES.get(f.protocol, str(f.protocol))
        table.add_row(f"{f.src}:{f.src_port}", f"{f.dst}:{f.dst_port}", protocol,
                      str(f.packets), str(f.bytes))
    app.console.print(table)
    app.console.print(t("monitor_flow_total", app.lang, shown=min(flows, len(report.flows)),
                        total=len(report.flows), dropped=report.flows_dropped), markup=False)


def _print_problems(app: AppContext, report: DecodeReport) -> None:
    if not report.malformed and not report.stream_events:
        app.console.print(t("monitor_nothing_malformed", app.lang), markup=False)
        return
    table = _table(app, "monitor_malformed", "monitor_class", "monitor_count")
    for kind, count in report.malformed.items():
        table.add_row(kind.value, str(count))
    for event, count in report.stream_events.items():
        table.add_row(f"tcp_{event.value}", str(count))
    app.console.print(table)


_SIZE = re.compile(r"^(\d+)([KMG]?)B?$", re.IGNORECASE)


def _size(text: str) -> int:
    found = _SIZE.match(text.strip())
    if found is None:
        raise InputError("scenario_config_type", key="--scale-bytes",
                         expected="a size such as 500M or 1G")
    return int(found[1]) << (10 * " KMG".index(found[2].upper() or " "))


@app.command("scenario")
def scenario_command(
    ctx: typer.Context,
    *,
    out: Annotated[Path, typer.Option(
        help="Directory to write the captures and the ground truth into (created).",
        file_okay=False)],
    seed: Annotated[int, typer.Option(
        help="Decides the network, the timings and the attacks: another seed, another "
             "scenario.")] = 1,
    config: Annotated[Path | None, typer.Option(
        help="JSON file of scenario parameters (see the README); options given here "
             "override it.", exists=True, dir_okay=False)] = None,
    normal_minutes: Annotated[float | None, typer.Option(
        help="Length of the training capture (normal traffic only), in simulated "
             "minutes.")] = None,
    test_minutes: Annotated[float | None, typer.Option(
        help="Length of the test capture (normal traffic and attacks), in simulated "
             "minutes.")] = None,
    variation: Annotated[float | None, typer.Option(
        help="Scales the normal variation: noise, jitter, reconnects, operator "
             "writes.")] = None,
    amplitude: Annotated[float | None, typer.Option(
        help="Scales how far attacks go: rates, distances out of range.")] = None,
    episodes_per_kind: Annotated[int | None, typer.Option(
        help="Attack episodes of each kind in the test capture.")] = None,
    capture: Annotated[str, typer.Option(
        help="Capture file format: pcap or pcapng.")] = "pcap",
    scale_bytes: Annotated[str | None, typer.Option(
        help="Scale mode: write one capture (scale.pcap) of about this size, e.g. 1G, "
             "instead of the training and test captures.")] = None,
    output: Annotated[OutputFormat, typer.Option(
        "--format", help="table or json.")] = OutputFormat.TABLE,
) -> None:
    """Write a labelled OT scenario: a factory/building network drawn from the seed
    (HMI, SCADA and engineering workstation polling PLCs and gateways over Modbus/TCP; a
    BMS reading BACnet/IP controllers), its normal operation and attack episodes.

    Writes normal.pcap (training: normal traffic only), test.pcap (normal traffic and
    attacks), truth.json (the parameters, the declared network and each episode's
    interval, kind, source, destination and ATT&CK for ICS technique) and truth.csv
    (the episodes). Simulated time: hours of traffic take seconds.
    """
    from cpstrust.app.ot_scenario import ScenarioRequest, generate_scenario
    from cpstrust.formats.files import read_limited
    from cpstrust.formats.ot_scenario import read_config
    from cpstrust.formats.pcap_write import CaptureFormat
    from cpstrust.limits import DEFAULT_LIMITS

    app = app_context(ctx)
    overrides: dict[str, object] = {"seed": seed}
    for name, value in (("normal_seconds", normal_minutes), ("test_seconds", test_minutes)):
        if value is not None:
            overrides[name] = value * 60
    for name, given in (("variation", variation), ("amplitude", amplitude),
                        ("episodes_per_kind", episodes_per_kind)):
        if given is not None:
            overrides[name] = given
    text = read_limited(config, DEFAULT_LIMITS) if config else b"{}"
    scenario_config = read_config(text, str(config) if config else "--seed", **overrides)
    try:
        capture_format = CaptureFormat(capture)
    except ValueError:
        raise InputError("scenario_config_type", key="--capture",
                         expected="pcap or pcapng") from None
    written = generate_scenario(ScenarioRequest(
        scenario_config, out, capture_format,
        None if scale_bytes is None else _size(scale_bytes)))
    if output is OutputFormat.JSON:
        print_json({
            "captures": [asdict(c) | {"path": str(out / c.file)} for c in written.captures],
            "truth": {"json": str(written.truth_json), "csv": str(written.truth_csv)},
            "episodes": len(written.episodes),
            "seconds": round(written.seconds, 3),
            "frames_per_second": round(written.frames_per_second),
        })
        return
    from rich.table import Table

    from cpstrust.cli.i18n import t

    table = Table(title=t("scenario_captures", app.lang))
    for heading in ("file", "frames", "attack_frames", "bytes"):
        table.add_column(t(f"scenario_{heading}", app.lang))
    for summary in written.captures:
        table.add_row(summary.file, f"{summary.frames:,}",
                      f"{summary.attack_frames:,}", f"{summary.bytes:,}")
    app.console.print(table)
    app.console.print(t("scenario_done", app.lang, episodes=len(written.episodes),
                        truth=str(written.truth_json), seconds=f"{written.seconds:.1f}",
                        rate=f"{written.frames_per_second:,.0f}"), markup=False)


@app.command("learn")
def learn_command(
    ctx: typer.Context,
    captures: Annotated[list[Path], typer.Argument(
        help="Captures of normal operation (pcap or pcapng), one or more.")],
    *,
    out: Annotated[Path, typer.Option(help="Baseline file to write (JSON).", dir_okay=False)],
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Learn a baseline from captures of normal traffic: who talks to whom with which
    protocol, Modbus function codes, unit ids and address ranges, BACnet services and
    objects, value ranges per register and object, polling periods and request rates
    per pair, and the learned model's training windows. Exit 2 on a bad capture."""
    from cpstrust.app.monitor import learn_baseline

    app_ctx = app_context(ctx)
    learned = learn_baseline(captures, out)
    b = learned.baseline
    counts = {"packets": b.packets, "hosts": len(b.hosts), "talkers": len(b.talkers),
              "modbus_functions": len(b.modbus_functions), "values": len(b.values),
              "rates": len(b.rates), "bacnet_services": len(b.bacnet_services),
              "windows": b.model.windows if b.model else 0}
    if output is OutputFormat.JSON:
        print_json({"baseline": str(out)} | counts)
        return
    app_ctx.console.print(t("monitor_learned", app_ctx.lang, out=str(out), **counts),
                          markup=False, highlight=False)


@app.command("analyze")
def analyze_command(
    ctx: typer.Context,
    capture: Annotated[Path, typer.Argument(help="Capture file (pcap or pcapng).")],
    *,
    baseline: Annotated[Path, typer.Option(help="Baseline file written by monitor learn.",
                                           dir_okay=False)],
    model: Annotated[bool, typer.Option(
        help="Also run the learned model (isolation forest over per-flow windows).")
                     ] = True,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
    store: Annotated[bool, typer.Option(
        "--store", help="Keep the alerts as findings (`cpstrust findings list`).")] = False,
    site: Annotated[str, typer.Option(
        help="Site of the graph the traffic was captured at (findings are kept per site).")
                    ] = "",
    resolve_after: Annotated[float, typer.Option(
        help="Hours of capture time after which an alert finding nobody decided on, not "
             "seen again, is resolved.", min=0.0)] = 24.0,
) -> None:
    """Analyse a capture against a baseline: rule detectors (new talkers, functions,
    services, writers, diagnostics and restarts, out-of-range values, rate changes,
    floods, scans) and the learned model. Each alert says what deviated, from what
    learned value and by how much, with its severity, ATT&CK for ICS technique and the
    CPSF requirements of the countermeasures; bursts are one alert with a count.

    Exit 0 without alerts, 1 with alerts, 2 on bad input.
    """
    from cpstrust.app.monitor import analyze_capture, load_baseline
    from cpstrust.cli.exits import exit_for

    app_ctx = app_context(ctx)
    result = analyze_capture(capture, load_baseline(baseline), model=model)
    stored = None
    if store:
        from cpstrust.app.ot_findings import store_alerts

        stored = store_alerts(app_ctx.services, result.alerts, result.source, site=site,
                              last_ts=result.last_ts, resolve_after_hours=resolve_after)
    rendered = [alert_json(a, app_ctx) for a in result.alerts]
    if output is OutputFormat.JSON:
        report = {"source": result.source, "baseline": str(baseline),
                  "packets": result.packets, "first_ts": result.first_ts,
                  "last_ts": result.last_ts, "alerts": rendered,
                  "alerts_dropped": result.alerts_dropped}
        if stored is not None:
            report["findings"] = {"opened": stored.opened, "refreshed": stored.refreshed,
                                  "reopened": stored.reopened, "resolved": stored.resolved,
                                  "events": stored.events}
        print_json(report)
    else:
        table = _table(app_ctx, "monitor_alerts", "monitor_when", "monitor_severity",
                       "monitor_kind", "monitor_src", "monitor_dst", "monitor_count",
                       "monitor_explanation")
        for a in rendered:
            table.add_row(_when(a["ts_first"]), a["severity"], a["kind"], a["src"] or "-",
                          a["dst"] or "-", str(a["count"]), escape(a["explanation"]))
        app_ctx.console.print(table)
        if stored is not None:
            app_ctx.console.print(t("monitor_findings_stored", app_ctx.lang,
                                    opened=stored.opened, refreshed=stored.refreshed,
                                    reopened=stored.reopened, resolved=stored.resolved),
                                  markup=False, highlight=False)
    exit_for(len(result.alerts))


def alert_json(alert: Alert, app_ctx: AppContext) -> dict[str, Any]:
    """An alert as the JSON contract gives it; the explanation in the user's language."""
    from cpstrust.messages import Message

    profile = alert.profile
    facts = dict(alert.facts) | {"src": alert.src or "-", "dst": alert.dst or "-"}
    return {"key": alert.key, "ts_first": alert.ts_first, "ts_last": alert.ts_last,
            "src": alert.src, "dst": alert.dst, "severity": profile.severity.name.lower(),
            "kind": alert.kind.value, "detector": alert.detector.value,
            "technique": profile.technique,
            "technique_name": TECHNIQUE_NAMES.get(profile.technique or ""),
            "requirements": list(profile.requirements), "count": alert.count,
            "explanation": Message(alert.explanation, facts).text(app_ctx.lang),
            "facts": dict(alert.facts)}


def _register_live_commands() -> None:
    """`assets` and `live` live in their own module; their heavy imports load when run."""
    from cpstrust.cli.monitor_live import assets_command, live_command

    app.command("assets")(assets_command)
    app.command("live")(live_command)


_register_live_commands()
