"""`cpstrust impact ID`: which components, releases, products, organisations, devices and
sites a vulnerability reaches."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust.app.findings import impact as blast_radius
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, gate, styled
from cpstrust.model.reports import Impact


def impact(
    ctx: typer.Context,
    identifier: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="Advisory id or any alias: CVE-…, GHSA-…, PYSEC-…, GO-…."
        ),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """Show the blast radius of a vulnerability across the stored supply chain.

    Follows open and accepted findings to releases, products and their supplier, walks
    the supplier relations downstream to every organisation receiving them, and lists
    the devices running an affected release and the sites they stand in.
    """
    app = app_context(ctx)
    result = blast_radius(app.services, identifier)
    if output is OutputFormat.JSON:
        print_json(impact_json(result))
    else:
        render_impact(app, result)
    exit_for(gate((c.severity for c in result.components), fail_on))


def impact_json(result: Impact) -> dict[str, Any]:
    data = dataclasses.asdict(result)
    data["severity"] = result.severity.label
    for component in data["components"]:
        component["severity"] = component["severity"].label
    data["releases"] = [{"product": p, "version": v} for p, v in result.releases]
    data["counts"] = {
        k: len(data[k])
        for k in ("components", "releases", "products", "organizations", "devices", "sites")
    }
    return data


def render_impact(app: AppContext, r: Impact) -> None:
    lang = app.lang
    app.console.print(
        f"[bold]{t('impact_title', lang, id=r.vulnerability_id)}[/] "
        f"({styled(r.severity)}) {', '.join(r.aliases)}"
    )
    if r.summary:
        app.console.print(r.summary)
    if not r.components:
        app.console.print(t("not_affected_anywhere", lang))
        return
    table = Table(title=t("releases", lang))
    for key in ("product", "release", "component", "version", "status", "fixed_in"):
        table.add_column(t(key, lang))
    for c in r.components:
        table.add_row(
            c.product,
            c.release,
            c.name,
            c.version or "-",
            c.status,
            ", ".join(c.fixed_versions) or "-",
        )
    app.console.print(table)
    orgs = ", ".join(
        f"{o.name} ({t('supplier', lang) if o.tier == 0 else t('downstream', lang, n=o.tier)})"
        for o in r.organizations
    )
    app.console.print(f"[bold]{t('organizations', lang)}:[/] {orgs}")
    if r.devices:
        devices = Table(title=t("devices", lang))
        for key in ("devices", "product", "release", "site", "zone"):
            devices.add_column(t(key, lang))
        for d in r.devices:
            devices.add_row(d.name, d.product, d.release, d.site, d.zone or "-")
        app.console.print(devices)
    app.console.print(
        f"[bold]{t('sites', lang)}:[/] " + ", ".join(f"{s.name} ({s.operator})" for s in r.sites)
    )


# One command, loaded by name from the root's command table (cli.app).
command = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
command.command("impact")(impact)
