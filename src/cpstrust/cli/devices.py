"""`cpstrust devices`: every device with its latest attestation verdict, and the
authenticity findings of one."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust.app.devices import device_detail, device_statuses
from cpstrust.cli.attest import styled_verdict
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import styled
from cpstrust.model.attestation import DeviceFinding, DeviceStatus

app = typer.Typer(
    help="Devices with their site, release, latest attestation verdict and open findings.",
    invoke_without_command=True,
)


@app.callback()
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """List every device; `devices show NAME` gives one device's findings."""
    if ctx.invoked_subcommand is not None:
        return
    app = app_context(ctx)
    statuses = device_statuses(app.services)
    if output is OutputFormat.JSON:
        print_json({"devices": [_status_json(s) for s in statuses]})
        return
    table = Table(title=t("devices", app.lang))
    for column in ("device", "site", "release", "verdict", "appraised_at", "open_findings"):
        table.add_column(t(column, app.lang))
    for s in statuses:
        table.add_row(s.name, s.site, f"{s.product} {s.version}",
                      styled_verdict(s.verdict, t("not_attested", app.lang)),
                      f"{s.appraised_at:%Y-%m-%d %H:%M:%S}" if s.appraised_at else "",
                      str(s.open_findings))
    app.console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Device name.")],
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """One device: its latest verdict with the reasons, and its authenticity findings
    (open first, then by severity)."""
    app = app_context(ctx)
    detail = device_detail(app.services, name)
    status, findings = detail.status, detail.findings
    if output is OutputFormat.JSON:
        print_json({**_status_json(status), "reasons": [r.text() for r in status.reasons],
                    "findings": [_finding_json(f) for f in findings]})
        return
    app.console.print(f"{status.name} ({status.site}, {status.product} {status.version}): "
                      + styled_verdict(status.verdict, t("not_attested", app.lang)))
    for reason in status.reasons:
        app.console.print(f"  {reason.text(app.lang)}", markup=False, highlight=False)
    if not findings:
        app.console.print(t("no_device_findings", app.lang))
        return
    table = Table(title=t("findings", app.lang))
    for column in ("kind", "path", "severity", "status", "reason"):
        table.add_column(t(column, app.lang))
    for f in findings:
        table.add_row(f.kind, f.path, styled(f.severity), f.status.value, f.reason.text(app.lang))
    app.console.print(table)


def _status_json(s: DeviceStatus) -> dict[str, Any]:
    return {
        "device": s.name,
        "site": s.site,
        "release": {"product": s.product, "version": s.version},
        "verdict": s.verdict.value if s.verdict else None,
        "appraised_at": s.appraised_at.isoformat() if s.appraised_at else None,
        "open_findings": s.open_findings,
    }


def _finding_json(f: DeviceFinding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "path": f.path,
        "expected": f.expected,
        "actual": f.actual,
        "severity": f.severity.label,
        "status": f.status.value,
        "reason": f.reason.text(),
        "first_seen": f.first_seen.isoformat(),
        "last_seen": f.last_seen.isoformat(),
    }
