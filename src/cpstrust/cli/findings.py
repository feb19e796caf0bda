"""`cpstrust findings`: list stored findings and move them along their lifecycle."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, exit_for, gate, styled
from cpstrust.errors import NotFoundError
from cpstrust.model.finding import FindingStatus
from cpstrust.store.findings import set_status
from cpstrust.store.reports import list_findings
from cpstrust.store.tables import FindingRow

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
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """List findings, worst first."""
    app = app_context(ctx)
    with app.store.transaction() as session:
        rows = list_findings(session, status=status.value if status else None, product=product)
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
        table.add_column("id", justify="right")
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
    with app.store.transaction() as session:
        if session.get(FindingRow, finding_id) is None:
            raise NotFoundError(f"no finding with id {finding_id}")
        set_status(session, finding_id, status, note)
    app.console.print(f"finding {finding_id}: {status.value}")
