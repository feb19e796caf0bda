"""`cpstrust image verify`: is this firmware image what the vendor signed and declared?"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust import operations
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import styled
from cpstrust.cli.release import read_envelope_file
from cpstrust.cli.trust import EXIT_REFUSED, report_refusal
from cpstrust.formats.dsse import read_envelope
from cpstrust.formats.files import sha256_file
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.model.authenticity import ImageAppraisal, ImageVerdict, Reference
from cpstrust.model.sbom import Sbom
from cpstrust.model.trust import Refused
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.authenticity import (
    appraise_image,
    merge_references,
    reference_from_sbom,
    reference_from_subjects,
)
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import VerifiedRelease, verify_release

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
    envelope = read_envelope(read_envelope_file(release), str(release))
    with app.store.transaction() as session:
        store = current_trust_store(session)
    verified = verify_release(envelope, store, at=datetime.now(UTC), product=product,
                              source=str(release))
    if isinstance(verified, Refused):
        report_refusal(app, verified, output)
        raise typer.Exit(EXIT_REFUSED)
    declared = _declared_sbom(app, verified, sbom)
    if isinstance(declared, Refused):
        report_refusal(app, declared, output)
        raise typer.Exit(EXIT_REFUSED)
    reference = _reference(verified, declared, image)
    appraisal = appraise_image(measure_image(image, extra_algorithms=reference.extra_algorithms),
                               reference)
    if output is OutputFormat.JSON:
        print_json(appraisal_json(appraisal, verified, declared is not None))
    else:
        _render(app, appraisal)
    if appraisal.verdict is not ImageVerdict.GENUINE:
        raise typer.Exit(EXIT_REFUSED)


def _declared_sbom(app: AppContext, release: VerifiedRelease,
                   path: Path | None) -> Sbom | Refused | None:
    signed = release.provenance.sbom
    if path is not None:
        sbom, raw = read_sbom_file(path)
        return operations.sbom_mismatch(release, raw, path) or sbom
    if signed is None:
        return None
    return operations.stored_sbom_by_digest(app.store, signed.digest["sha256"])


def _reference(release: VerifiedRelease, sbom: Sbom | None, image: Path) -> Reference:
    """When the image file itself is the signed subject, its contents are declared by the
    SBOM alone; otherwise the subjects are the image's files."""
    subjects = release.subject_digests
    references = []
    if not (image.is_file() and sha256_file(image) in subjects.values()):
        references.append(reference_from_subjects(subjects))
    if sbom is not None:
        references.append(reference_from_sbom(sbom))
    return merge_references(*references)


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
             "reason": f.reason}
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
        table.add_row(styled(f.severity), f.kind.value, f.path, f.reason)
    app.console.print(table)

