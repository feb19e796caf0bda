"""`cpstrust chain`: load the supply-chain graph from a declarative file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.messages import Lang
from cpstrust.model.graph import GraphCounts

app = typer.Typer(
    help="The supply-chain graph: organisations, products, releases, sites, devices.",
    no_args_is_help=True,
)


@app.command()
def load(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Supply-chain YAML file.", exists=True, dir_okay=False)
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Load organisations (with supplier tiers), products, releases, sites with zones and
    devices from a YAML file, and the SBOMs it names; all in one transaction.

    Loading again updates what changed and duplicates nothing. See
    `src/cpstrust/demo/supply-chain.yaml` for an example of the format.
    """
    app = app_context(ctx)
    loaded = load_supply_chain_file(app.services, file)
    if output is OutputFormat.JSON:
        print_json(_counts(loaded.counts, loaded.sboms))
    else:
        app.console.print(chain_message(loaded.counts, loaded.sboms, app.lang))


def _counts(counts: GraphCounts, sboms: int) -> dict[str, int]:
    return {
        "organizations": counts.organizations,
        "products": counts.products,
        "releases": counts.releases,
        "sites": counts.sites,
        "devices": counts.devices,
        "sboms": sboms,
    }


def chain_message(counts: GraphCounts, sboms: int, lang: Lang) -> str:
    return t("chain_loaded", lang, **_counts(counts, sboms))
