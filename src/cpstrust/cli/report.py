"""`cpstrust report`: the portfolio at a glance: releases, open findings, widest vulnerabilities."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, exit_for, styled
from cpstrust.model.advisory import Severity
from cpstrust.store.reports import release_summaries, vulnerability_spread

_SHOWN = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)


def report(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """Summarise every stored release: components, devices, open findings by severity,
    and the vulnerabilities that reach the most releases and devices."""
    render_report(app_context(ctx), output, fail_on)


def render_report(app: AppContext, output: OutputFormat, fail_on: FailOn | None) -> None:
    with app.store.transaction() as session:
        releases = release_summaries(session)
        spread = vulnerability_spread(session)
    hits = 0
    if fail_on is not None:
        hits = sum(
            n
            for r in releases
            for label, n in r.open_by_severity.items()
            if Severity[label.upper()] >= fail_on.severity
        )
    if output is OutputFormat.JSON:
        print_json(
            {
                "releases": [dataclasses.asdict(r) for r in releases],
                "top_vulnerabilities": [
                    {**dataclasses.asdict(v), "severity": v.severity.label} for v in spread
                ],
            }
        )
        exit_for(hits)
        return
    lang = app.lang
    table = Table(title=t("portfolio", lang))
    for key in ("product", "release"):
        table.add_column(t(key, lang))
    table.add_column(t("component", lang), justify="right")
    table.add_column(t("devices", lang), justify="right")
    for s in _SHOWN:
        table.add_column(styled(s), justify="right")
    for r in releases:
        table.add_row(
            r.product,
            r.version,
            str(r.components),
            str(r.devices),
            *(str(r.open_by_severity.get(s.label, 0)) for s in _SHOWN),
        )
    app.console.print(table)
    if spread:
        top = Table(title=t("top_vulns", lang))
        for key in ("vulnerability", "severity", "releases", "devices"):
            top.add_column(t(key, lang))
        for v in spread:
            top.add_row(v.vulnerability_id, styled(v.severity), str(v.releases), str(v.devices))
        app.console.print(top)
    app.console.print(f"[dim]{t('attribution', lang)}[/]")
    exit_for(hits)
