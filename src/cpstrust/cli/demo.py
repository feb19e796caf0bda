"""`cpstrust demo`: load the bundled sample supply chain and print the report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from cpstrust.app.demo import FOCUS, TrustDemo, chain_of_trust_demo, load_demo
from cpstrust.app.findings import impact
from cpstrust.cli.chain import chain_message
from cpstrust.cli.context import AppContext, OutputFormat, app_context
from cpstrust.cli.i18n import t
from cpstrust.cli.impact import render_impact
from cpstrust.cli.output import styled
from cpstrust.cli.report import render_report
from cpstrust.cli.vulndb import import_message


def demo(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Load the bundled sample (a made-up car maker, its suppliers, their SBOMs, and an
    advisory snapshot taken from real OSV records) into the store and print the report.

    Runs against the configured store (CPSTRUST_HOME / CPSTRUST_DATABASE_URL); running it
    again changes nothing.
    """
    app = app_context(ctx)
    loaded = load_demo(app.services, datetime.now(UTC))
    if output is OutputFormat.TABLE:
        app.console.print(import_message(loaded.advisories, app.lang))
        app.console.print(chain_message(loaded.chain.counts, loaded.chain.sboms, app.lang))
    render_report(app, output, None)
    if output is OutputFormat.TABLE:
        render_impact(app, impact(app.services, FOCUS))
        render_trust_demo(app, chain_of_trust_demo())


def render_trust_demo(app: AppContext, demo: TrustDemo) -> None:
    release = demo.release
    app.console.print(f"\n[bold]{t('trust_demo_title', app.lang)}[/]")
    app.console.print(t("release_trusted", app.lang, product=release.product,
                        version=release.provenance.version, n=len(release.statement.subjects),
                        keyid=demo.keyid[:16]))
    app.console.print(t("demo_image", app.lang, image="ss-sensorhub-1.8.0",
                        verdict=demo.genuine.verdict.value))
    app.console.print(t("demo_image", app.lang, image=t("demo_tampered", app.lang),
                        verdict=demo.tampered.verdict.value))
    for finding in demo.tampered.findings:
        app.console.print(f"  {styled(finding.severity)} {finding.kind.value} {finding.path}")


# One command, loaded by name from the root's command table (cli.app).
command = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
command.command("demo")(demo)
