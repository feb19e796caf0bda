"""`cpstrust findings`: list stored findings and move them along their lifecycle."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app.findings import FindingFilter, list_findings, set_finding_status
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, gate, styled
from cpstrust.model.finding import FindingKind, FindingStatus

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
        help="Only findings of this kind (vulnerability, or licence under the stored "
             "licence policy).")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """List findings, worst first."""
    app = app_context(ctx)
    rows = list_findings(app.services, FindingFilter(status=status, product=product,
                                                       kind=kind))
    if output is OutputFormat.JSON:
        print_json(
            {"findings": [{**dataclasses.asdict(f), "severity": f.severity.label} for f in rows]}
        )
    else:
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
    open_severities = (f.severity for f in rows if f.status == FindingStatus.OPEN.value)
    exit_for(gate(open_severities, fail_on))


@app.command("set")
def set_(
    ctx: typer.Context,
    finding_id: Annotated[
        int, typer.Argument(metavar="ID", help="Finding id from `findings list`.")
    ],
    status: Annotated[FindingStatus, typer.Argument(help="New state.")],
    note: Annotated[str | None, typer.Option(help="Why (kept with the finding).")] = None,
) -> None:
    """Record a decision on a finding, e.g. `accepted` with a note, or `not_affected`."""
    app = app_context(ctx)
    set_finding_status(app.services, finding_id, status, note)
    app.console.print(t("finding_status_set", app.lang, id=finding_id, status=status.value))
