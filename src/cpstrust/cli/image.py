"""`cpstrust image verify`: is this firmware image what the vendor signed and declared?"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust.app.images import verify_image
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import EXIT_POLICY, exit_refused
from cpstrust.cli.i18n import t
from cpstrust.cli.output import styled
from cpstrust.model.authenticity import ImageAppraisal, ImageVerdict
from cpstrust.model.evidence import VerifiedRelease
from cpstrust.model.trust import Refused

app = typer.Typer(help="Check firmware images against their signed release and SBOM.",
                  no_args_is_help=True)


@app.command("verify")
def verify(
    ctx: typer.Context,
    image: Annotated[Path, typer.Argument(
        metavar="PATH", help="Firmware image: a directory or a tar (.tar, .tar.gz, .tar.xz).",
        exists=True)],
    release: Annotated[Path, typer.Option(
        help="Signed release (DSSE envelope) of the image.", exists=True, dir_okay=False)],
    sbom: Annotated[Path | None, typer.Option(
        help="The SBOM the release names (default: the stored SBOM with the signed digest).",
        exists=True, dir_okay=False)] = None,
    product: Annotated[str | None, typer.Option(help="Product the image must be.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Hash every file of the image and compare with the signed release's subjects and
    the SBOM's file and component hashes.

    Verdict GENUINE, or findings MODIFIED (content differs), UNLISTED (present but not
    declared: unknown bundled software; executables rank above data), MISSING.
    Exit 0 genuine, 1 not genuine or release refused, 2 unreadable input.
    """
    app = app_context(ctx)
    checked = verify_image(app.services, image, release_file=release, sbom_file=sbom,
                           product=product, at=datetime.now(UTC))
    if isinstance(checked, Refused):
        exit_refused(app, checked, output)
    appraisal = checked.appraisal
    if output is OutputFormat.JSON:
        print_json(appraisal_json(appraisal, checked.release, checked.sbom_used))
    else:
        _render(app, appraisal)
    if appraisal.verdict is not ImageVerdict.GENUINE:
        raise typer.Exit(EXIT_POLICY)


def appraisal_json(appraisal: ImageAppraisal, release: VerifiedRelease,
                   with_sbom: bool) -> dict[str, Any]:
    return {
        "verdict": appraisal.verdict.value,
        "product": release.product,
        "version": release.provenance.version,
        "signers": [k.keyid for k in release.signers],
        "sbom_used": with_sbom,
        "files_measured": appraisal.files_measured,
        "files_declared": appraisal.files_declared,
        "findings": [
            {"kind": f.kind.value, "path": f.path, "severity": f.severity.label,
             "expected": f.expected, "actual": f.actual, "executable": f.executable,
             "reason": f.reason.text()}
            for f in appraisal.findings
        ],
    }


def _render(app: AppContext, appraisal: ImageAppraisal) -> None:
    app.console.print(t("image_verdict", app.lang, verdict=appraisal.verdict.value))
    if not appraisal.findings:
        return
    table = Table()
    for column in ("severity", "kind", "path", "reason"):
        table.add_column(t(column, app.lang))
    for f in appraisal.findings:
        table.add_row(styled(f.severity), f.kind.value, f.path, f.reason.text(app.lang))
    app.console.print(table)

