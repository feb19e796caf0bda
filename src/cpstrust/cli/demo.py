"""`cpstrust demo`: load the bundled sample supply chain and print the report."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from cpstrust import operations
from cpstrust.cli.chain import chain_message
from cpstrust.cli.context import OutputFormat, app_context
from cpstrust.cli.impact import render_impact
from cpstrust.cli.report import render_report
from cpstrust.cli.vulndb import import_message
from cpstrust.store.impact import impact

DEMO_FOCUS = "CVE-2021-3121"  # gogo/protobuf: reaches a tier-2 supplier's firmware


def demo_dir() -> Path:
    return Path(str(resources.files("cpstrust") / "demo"))


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
    base = demo_dir()
    done = operations.import_advisory_paths(app.store, [base / "advisories"], kind="directory")
    counts, sboms = operations.load_supply_chain_file(app.store, base / "supply-chain.yaml")
    if output is OutputFormat.TABLE:
        app.console.print(import_message(done, app.lang))
        app.console.print(chain_message(counts, sboms, app.lang))
    render_report(app, output, None)
    if output is OutputFormat.TABLE:
        with app.store.transaction() as session:
            render_impact(app, impact(session, DEMO_FOCUS))
