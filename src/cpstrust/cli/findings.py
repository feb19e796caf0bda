"""`cpstrust findings`: list stored findings and move them along their lifecycle."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cpstrust.app.findings import FindingFilter, list_findings, set_finding_status
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, gate, styled
from cpstrust.model.finding import FindingKind, FindingStatus

if TYPE_CHECKING:
    from cpstrust.model.ot_inventory import StoredOtFinding

app = typer.Typer(
    help="Stored findings and their lifecycle (open, accepted, fixed, not_affected).",
    no_args_is_help=True,
)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        FindingStatus | None, typer.Option(help="Only findings in this state.")
    ] = None,
    product: Annotated[str | None, typer.Option(help="Only this product's findings.")] = None,
    kind: Annotated[FindingKind | None, typer.Option(
        help="Only findings of this kind: vulnerability, licence (under the stored licence "
             "policy) or ot (OT alerts, unknown and missing devices; ids ot-N). Default: "
             "all.")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """List findings, worst first."""
    from cpstrust.app.ot_findings import list_ot_findings

    app = app_context(ctx)
    rows = list_findings(app.services, FindingFilter(status=status, product=product,
                                                       kind=kind)
                         ) if kind is not FindingKind.OT else []
    ot_rows = list_ot_findings(app.services, status) if kind in (None, FindingKind.OT) \
        and product is None else []
    if output is OutputFormat.JSON:
        report: dict[str, object] = {
            "findings": [{**dataclasses.asdict(f), "severity": f.severity.label} for f in rows]}
        if kind in (None, FindingKind.OT):
            report["ot_findings"] = [_ot_json(f) for f in ot_rows]
        print_json(report)
    elif kind is not FindingKind.OT:
        table = Table(title=t("findings", app.lang))
        for key in (
            "product",
            "release",
            "component",
            "version",
            "vulnerability",
            "severity",
            "status",
        ):
            table.add_column(t(key, app.lang))
        table.add_column(t("finding_id", app.lang), justify="right")
        for f in rows:
            table.add_row(
                f.product,
                f.release,
                f.component,
                f.version or "-",
                f.vulnerability_id,
                styled(f.severity),
                f.status if f.version_compared else f"{f.status} ({t('not_compared', app.lang)})",
                str(f.id),
            )
        app.console.print(table)
    if output is OutputFormat.TABLE and ot_rows:
        _ot_table(app, ot_rows)
    open_severities = [f.severity for f in rows if f.status == FindingStatus.OPEN.value]
    open_severities += [f.severity for f in ot_rows if f.status == FindingStatus.OPEN.value]
    exit_for(gate(iter(open_severities), fail_on))



def _ot_json(f: StoredOtFinding) -> dict[str, object]:
    return {**dataclasses.asdict(f), "id": f"ot-{f.id}", "severity": f.severity.label,
            "facts": dict(f.facts)}


def _ot_table(app: AppContext, rows: list[StoredOtFinding]) -> None:
    from cpstrust.messages import Message

    table = Table(title=t("ot_findings", app.lang))
    for key in ("finding_id", "monitor_kind", "severity", "status", "ot_subject",
                "monitor_count", "monitor_explanation"):
        table.add_column(t(key, app.lang))
    for f in rows:
        facts = dict(f.facts) | {"src": f.src or "-", "dst": f.dst or "-"}
        subject = f.device or f.src or f.site or "-"
        table.add_row(f"ot-{f.id}", f.kind, styled(f.severity), f.status, subject,
                      str(f.count), Message(f.explanation, facts).text(app.lang))
    app.console.print(table)


@app.command("set")
def set_(
    ctx: typer.Context,
    finding_id: Annotated[
        str, typer.Argument(metavar="ID", help="Finding id from `findings list` (ot-N for an "
                                               "OT finding).")
    ],
    status: Annotated[FindingStatus, typer.Argument(help="New state.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the finding).")] = None,
) -> None:
    """Record a decision on a finding, e.g. `accepted` with a note, or `not_affected`."""
    from cpstrust.app.ot_findings import set_ot_finding_status

    app = app_context(ctx)
    number = finding_id.removeprefix("ot-")
    if not number.isdigit() or len(number) > 18:
        raise typer.BadParameter(t("finding_id_invalid", app.lang, id=finding_id))
    if number != finding_id:
        set_ot_finding_status(app.services, int(number), status, note)
    else:
        set_finding_status(app.services, int(number), status, note)
    app.console.print(t("finding_status_set", app.lang, id=finding_id, status=status.value))
