"""`cpstrust catalog`: OSCAL control catalogues, profiles and mappings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app.catalogs import export_catalog, import_catalog, list_catalogs
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.formats.files import write_whole

app = typer.Typer(help="Control catalogues (OSCAL catalogs), levels (OSCAL profiles) and "
                       "cross-framework mappings (OSCAL mapping collections).",
                  no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """List the stored catalogues, profiles and mappings, the shipped ones included
    (CPSF, the ★3/★4/★5 levels, the management guideline's ten items, JC-STAR ★1, CPSF
    mappings), with how many entries each has and how many of them are provisional."""
    app = app_context(ctx)
    documents = list_catalogs(app.services)
    if output is OutputFormat.JSON:
        print_json({"documents": [
            {"name": d.name, "kind": d.kind.value, "title": d.title, "version": d.version,
             "oscal_version": d.oscal_version, "uuid": d.uuid, "sha256": d.sha256,
             "shipped": d.shipped, "entries": d.entries, "provisional": d.provisional,
             "scheme": d.scheme, "level": d.level} for d in documents]})
        return
    table = Table()
    for key in ("catalog_column_name", "catalog_column_kind", "catalog_column_entries",
                "catalog_column_provisional", "catalog_column_origin", "catalog_column_title"):
        table.add_column(t(key, app.lang))
    for d in documents:
        origin = "catalog_origin_shipped" if d.shipped else "catalog_origin_imported"
        table.add_row(d.name, d.kind.value, str(d.entries), str(d.provisional),
                      t(origin, app.lang), d.title)
    app.console.print(table)
    app.console.print(t("catalog_provisional_note", app.lang))


@app.command("export")
def export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The stored catalogue, profile or mapping.")],
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output).", dir_okay=False)] = None,
) -> None:
    """Write a stored catalogue, profile or mapping as OSCAL JSON, as it was imported.
    Provisional entries carry the prop status=unconfirmed (namespace
    https://cpstrust.dev/ns/oscal) with a remark saying what is unknown."""
    app = app_context(ctx)
    content = export_catalog(app.services, name)
    if out is None:
        sys.stdout.buffer.write(content)
        return
    write_whole(out, content)
    app.err.print(t("catalog_exported", app.lang, name=name, path=str(out)))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="OSCAL catalog, profile or mapping collection (JSON, or YAML).",
        exists=True, dir_okay=False)],
    name: Annotated[str | None, typer.Option(
        help="Store it under this name (default: the file name without extension).")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Store an OSCAL catalog, profile or mapping collection, checked against OSCAL's
    models. A profile's imports must name stored catalogues or profiles (by file name
    without extension, or through its back-matter links) and every control it selects
    must exist there; a mapping's sources must be in its stored source catalogue.
    A bad document stores nothing."""
    app = app_context(ctx)
    done = import_catalog(app.services, file, name)
    d = done.document
    if output is OutputFormat.JSON:
        print_json({"name": d.name, "kind": d.kind.value, "new": done.new, "uuid": d.uuid,
                    "sha256": d.sha256, "entries": d.entries, "provisional": d.provisional})
        return
    key = "catalog_imported" if done.new else "catalog_imported_again"
    app.console.print(t(key, app.lang, kind=d.kind.value, name=d.name, entries=d.entries,
                        provisional=d.provisional))
