"""`cpstrust report`: the portfolio at a glance (releases, open findings, widest
vulnerabilities); with --product, one product's report for people (``cli.product_report``)."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app.findings import portfolio
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, styled
from cpstrust.errors import InputError
from cpstrust.model.advisory import Severity

_SHOWN = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)


class ReportOutput(StrEnum):
    TABLE = "table"
    JSON = "json"
    HTML = "html"  # a product's report only


def report(
    ctx: typer.Context,
    output: Annotated[ReportOutput, typer.Option(
        "--format", help="table, json, or html (with --product: one self-contained file).")
    ] = ReportOutput.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
    product: Annotated[str | None, typer.Option(
        help="Report on this product alone, for people.")] = None,
    version: Annotated[str | None, typer.Option(
        help="With --product: this release (default: the one stored last).")] = None,
    policy: Annotated[Path | None, typer.Option(
        help="With --product: decide the licences by this policy (YAML).",
        exists=True, dir_okay=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="With --product: write the html or json report to this file (default: standard "
             "output).", dir_okay=False)] = None,
) -> None:
    """Summarise every stored release: components, devices, open findings by severity,
    and the vulnerabilities that reach the most releases and devices.

    With --product P, one release of P for people: its components and their licences
    (decided by --policy when given), its findings with their VEX status, the dependency
    path from the product to each vulnerable component, and its SBOM's quality score as
    `sbom check` gives it; --format html writes one self-contained page (no external
    resources) in the language of --lang.
    """
    app = app_context(ctx)
    if product is None:
        if output is ReportOutput.HTML or any(v is not None for v in (version, policy, out)):
            raise InputError("report_needs_product")
        render_report(app, OutputFormat(output.value), fail_on)
        return
    from cpstrust.cli.product_report import render_product_report  # its own imports

    render_product_report(app, product, version, policy, output, out, fail_on)


def render_report(app: AppContext, output: OutputFormat, fail_on: FailOn | None) -> None:
    found = portfolio(app.services)
    hits = found.open_at_or_above(fail_on.severity) if fail_on is not None else 0
    if output is OutputFormat.JSON:
        print_json(
            {
                "releases": [
                    {**dataclasses.asdict(r), "open_by_severity": {
                        s.label: n for s, n in sorted(r.open_by_severity.items())}}
                    for r in found.releases
                ],
                "top_vulnerabilities": [
                    {**dataclasses.asdict(v), "severity": v.severity.label}
                    for v in found.top_vulnerabilities
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
    for r in found.releases:
        table.add_row(
            r.product,
            r.version,
            str(r.components),
            str(r.devices),
            *(str(r.open_by_severity.get(s, 0)) for s in _SHOWN),
        )
    app.console.print(table)
    if found.top_vulnerabilities:
        top = Table(title=t("top_vulns", lang))
        for key in ("vulnerability", "severity", "releases", "devices"):
            top.add_column(t(key, lang))
        for v in found.top_vulnerabilities:
            top.add_row(v.vulnerability_id, styled(v.severity), str(v.releases), str(v.devices))
        app.console.print(top)
    app.console.print(f"[dim]{t('attribution', lang)}[/]")
    exit_for(hits)


# One command, loaded by name from the root's command table (cli.app).
command = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
command.command("report")(report)
