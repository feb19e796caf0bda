"""`cpstrust sbom`: store the SBOM of a release."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cpstrust.app.sboms import import_sbom
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, gate, match_json

app = typer.Typer(
    help="Store SBOMs received for releases (evidence kept with its digest).", no_args_is_help=True
)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CycloneDX 1.2–1.6 (JSON/XML) or SPDX 2.2/2.3 (JSON/tag-value).",
            exists=True,
            dir_okay=False,
        ),
    ],
    product: Annotated[str, typer.Option(help="Product the SBOM describes.")],
    version: Annotated[str, typer.Option(help="Release (version) of the product.")],
    supplier: Annotated[
        str | None,
        typer.Option(help="Organisation that supplied it; creates the product under it if new."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """Validate and store a release's SBOM, then evaluate it against the advisory database.

    The document is kept byte for byte with its SHA-256, who sent it and when. A release
    has one current SBOM; importing another replaces it and keeps the decisions (accepted,
    not affected) taken on findings that still apply.
    """
    app = app_context(ctx)
    done = import_sbom(app.services, file, product=product, version=version, supplier=supplier)
    s = done.stored
    missing = [c.name for c in done.sbom.without_purl()]
    if output is OutputFormat.JSON:
        print_json(
            {
                "product": product,
                "version": version,
                "sha256": s.sha256,
                "components": s.components,
                "without_purl": missing,
                "replaced": s.replaced,
                "findings": len(done.evaluation.matches),
                "new_findings": [match_json(m) for _rid, m in done.evaluation.new],
            }
        )
    else:
        app.console.print(
            t(
                "sbom_stored",
                app.lang,
                product=product,
                version=version,
                components=s.components,
                without_purl=s.without_purl,
                sha=s.sha256[:16],
            )
        )
        if missing:
            names = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            app.console.print(t("sbom_without_purl", app.lang, names=names))
        app.console.print(t("new_findings", app.lang, n=len(done.evaluation.new)))
    exit_for(gate((m.severity for m in done.evaluation.matches), fail_on))
