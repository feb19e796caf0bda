"""`cpstrust monitor`: OT network monitoring. `monitor scenario` writes labelled
Modbus/TCP and BACnet/IP traffic with its ground truth, for training and evaluating
detectors."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.errors import InputError

app = typer.Typer(help="OT network monitoring: labelled Modbus/TCP and BACnet/IP scenarios "
                       "for training and evaluating detectors.", no_args_is_help=True)

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
