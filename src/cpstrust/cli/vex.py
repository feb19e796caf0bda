"""`cpstrust vex`: a supplier's VEX statements for stored releases."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cpstrust import __version__
from cpstrust.app.scanning import StoredScope
from cpstrust.app.vex import export_vex, import_vex
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.formats.cyclonedx_vex_write import write_cyclonedx_vex
from cpstrust.formats.files import write_whole
from cpstrust.formats.openvex_write import write_openvex

app = typer.Typer(help="VEX: a supplier's word on which vulnerabilities affect its products "
                       "(OpenVEX, CycloneDX VEX, CSAF 2.0 VEX).", no_args_is_help=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="VEX document: OpenVEX, CycloneDX VEX or CSAF 2.0 VEX (told by content).",
        exists=True, dir_okay=False)],
    product: Annotated[str | None, typer.Option(
        help="Apply it to this product's stored releases only.")] = None,
    version: Annotated[str | None, typer.Option(
        help="With --product: apply it to this release only.")] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Keep a VEX document as evidence and let its statements set the status of the
    stored findings they decide (not_affected, fixed, or open when affected or under
    investigation).

    The statements keep deciding: findings that later advisories bring are decided by
    the stored VEX too. A person's decision (`cpstrust findings set`) stands. A bad
    document, or one that contradicts a stored statement of the same time, stores nothing.
    """
    app = app_context(ctx)
    done = import_vex(app.services, file, StoredScope(product, version))
    applied = done.applied
    if output is OutputFormat.JSON:
        d = done.document
        print_json({
            "document": {"source": str(file), "format": d.format, "id": d.document_id,
                         "author": d.author, "sha256": d.sha256, "statements": len(d.statements),
                         "stored_id": done.stored_id, "new": done.new},
            "releases": applied.releases, "findings_decided": applied.decided,
            "findings_changed": applied.changed, "kept_person_decisions": applied.kept,
        })
        return
    key = "vex_imported" if done.new else "vex_imported_again"
    app.console.print(t(key, app.lang, source=str(file), format=done.document.format.value,
                        statements=len(done.document.statements)))
    app.console.print(t("vex_applied", app.lang, releases=applied.releases,
                        decided=applied.decided, changed=applied.changed, kept=applied.kept))


class VexOutputFormat(StrEnum):
    OPENVEX = "openvex"
    CYCLONEDX = "cyclonedx"


@app.command("export")
def export(
    ctx: typer.Context,
    product: Annotated[str, typer.Option(help="The product whose findings to state.")],
    version: Annotated[str | None, typer.Option(
        help="One release of it (default: every stored release).")] = None,
    output: Annotated[VexOutputFormat, typer.Option(
        "--format", help="openvex or cyclonedx (CycloneDX 1.6 VEX).")] = VexOutputFormat.OPENVEX,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output).", dir_okay=False)] = None,
) -> None:
    """Write a VEX document for your own product: one statement per stored finding.

    not_affected (with its justification) and fixed findings say so; a finding accepted
    as a risk is affected, with the acceptance as its action; an open finding is affected
    when a statement said so, else under investigation. Components are named by purl and,
    when their SBOM has a serial, by a BOM-Link into it.
    """
    app = app_context(ctx)
    exported = export_vex(app.services, product, version)
    data = (write_openvex(exported.document, tooling=f"cpstrust {__version__}")
            if output is VexOutputFormat.OPENVEX
            else write_cyclonedx_vex(exported.document, exported.subject))
    if out is None:
        sys.stdout.buffer.write(data + b"\n")
        return
    write_whole(out, data + b"\n")
    app.err.print(t("vex_exported", app.lang, path=str(out),
                     statements=len(exported.document.statements)))
