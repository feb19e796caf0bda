"""`cpstrust sbom`: generate the SBOM of an image; store the SBOM of a release; check an
SBOM's quality."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from cpstrust.app.sbom_generation import CycloneDxVersion, GeneratedFormat, generate_sbom
from cpstrust.app.sbom_quality import check_sbom_file
from cpstrust.app.sboms import import_sbom
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import (
    FAIL_ON_HELP,
    FailOn,
    SbomFile,
    gate,
    match_json,
    warn_of_disagreements,
)
from cpstrust.formats.quality_report import quality_json
from cpstrust.model.quality import Framework, FrameworkResult, QualityReport, Scope

app = typer.Typer(
    help="Generate the SBOM of a firmware or container image, store SBOMs received for "
         "releases (evidence kept with its digest) and check their quality against NTIA, "
         "BSI TR-03183-2 and METI.",
    no_args_is_help=True
)


@app.command("generate")
def generate(
    ctx: typer.Context,
    image: Annotated[Path, typer.Argument(
        metavar="PATH",
        help="Root filesystem: a directory or a tar archive (.tar, .tar.gz, .tar.bz2, "
             ".tar.xz); or a lockfile (requirements *.txt, poetry.lock, uv.lock, "
             "package-lock.json, go.sum).",
        exists=True)],
    output_format: Annotated[GeneratedFormat, typer.Option(
        "--format", help="cyclonedx (CycloneDX JSON), spdx (SPDX 2.3 JSON) or spdx3 (SPDX "
                         "3.0.1 JSON-LD).")] = GeneratedFormat.CYCLONEDX,
    spec_version: Annotated[CycloneDxVersion | None, typer.Option(
        "--spec-version", help="CycloneDX version to write: 1.6 (the default) or 1.7; only "
                               "with --format cyclonedx.")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the SBOM to this file (whole or not at all) instead of stdout.",
        dir_okay=False)] = None,
    name: Annotated[str | None, typer.Option(
        help="Name of the described image (default: PATH's name).")] = None,
    version: Annotated[str | None, typer.Option(
        help="Version of the described image.")] = None,
) -> None:
    """Write the SBOM of a root filesystem: every regular file with its SHA-256 (a
    "file" component named by its path inside), and the packages installed in it, read
    from dpkg, apk, rpm (rpmdb.sqlite), Python (dist-info, egg-info), npm
    (package-lock.json, node_modules), jars and Go executables' build info (standard
    library, main module and dependency modules), with purl, declared licence, supplier or
    author, hashes a lockfile gives and dependencies. On a terminal, a progress bar on
    stderr counts the files and bytes hashed.

    The image is read once and nothing is extracted. The SBOM is the reference for
    `cpstrust release sign --sbom` and `cpstrust image verify`. Hostile archives
    (paths outside the root, links escaping it, too many members or bytes) and
    malformed package databases are refused with exit 2, naming the member or the
    file and line; nothing is written then.
    """
    app = app_context(ctx)
    with _hashing_progress(app) as bar:
        task = bar.add_task(t("generate_progress", app.lang), total=None, files=0)
        done = generate_sbom(
            image, output_format=output_format, at=datetime.now(UTC), name=name,
            version=version, cyclonedx_version=spec_version, out=out,
            progress=lambda files, size: bar.update(task, completed=size, files=files))
    for warning in done.warnings:
        app.err.print(t("generate_warning", app.lang, problem=warning.text(app.lang)),
                      markup=False, highlight=False)
    if out is None:
        sys.stdout.buffer.write(done.document + b"\n")
        sys.stdout.flush()
    app.err.print(t("generate_done", app.lang, files=done.files, packages=done.packages,
                    out=str(out) if out else "stdout"), markup=False, highlight=False)


def _hashing_progress(app: AppContext) -> Progress:
    """Files and bytes hashed so far, on stderr and only on a terminal: never in the SBOM
    written to stdout, nor in a log. Cleared when done."""
    files = t("generate_progress_files", app.lang, files="{task.fields[files]:,}")
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn(files),
                    DownloadColumn(binary_units=True), TransferSpeedColumn(),
                    console=app.err, transient=True, disable=not app.err.is_terminal)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CycloneDX 1.2–1.7 (JSON/XML), SPDX 2.2/2.3 (JSON/tag-value) or SPDX "
                 "3.0.1 (JSON-LD).",
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


class Requirement(StrEnum):
    NTIA = "ntia"
    BSI = "bsi"
    METI = "meti"
    CONSISTENCY = "consistency"


_REQUIRED = {Requirement.NTIA: Framework.NTIA, Requirement.BSI: Framework.BSI,
             Requirement.METI: Framework.METI, Requirement.CONSISTENCY: Framework.CONSISTENCY}


@app.command("check")
def check(
    ctx: typer.Context,
    file: SbomFile,
    require: Annotated[
        list[Requirement] | None,
        typer.Option(help="Exit with code 1 unless the SBOM meets every required element of "
                          "this framework (repeatable): ntia, bsi, meti or consistency."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Check an SBOM's quality: which of NTIA's minimum elements, BSI TR-03183-2 v2.1.0's
    required fields and METI's guide the document and each component meet, a score per
    element, and what to fix; and components whose purl disagrees with their name or
    version.

    Nothing is stored. A buyer can send a supplier's SBOM back with these reasons, and a
    CI job can gate on them with --require.
    """
    app = app_context(ctx)
    report = check_sbom_file(file)
    warn_of_disagreements(app, report.disagreements)
    if output is OutputFormat.JSON:
        print_json(_report_json(app, report, file))
    else:
        for result in report.frameworks:
            app.console.print(_framework_table(app, result))
    wanted = {_REQUIRED[r] for r in require or ()}
    exit_for(sum(1 for f in report.frameworks if f.framework in wanted and not f.compliant))


def _report_json(app: AppContext, report: QualityReport, file: Path) -> dict[str, Any]:
    return {"source": str(file), **quality_json(report, app.lang)}


def _framework_table(app: AppContext, result: FrameworkResult) -> Table:
    verdict = t("quality_met" if result.compliant else "quality_not_met", app.lang)
    table = Table(title=t("quality_title", app.lang,
                          framework=t(f"framework.{result.framework.value}", app.lang),
                          score=f"{100 * result.score:.0f}", verdict=verdict),
                  title_justify="left")
    for key in ("quality_element", "quality_scope", "quality_met_count", "quality_fix"):
        table.add_column(t(key, app.lang))
    for e in result.elements:
        title = t(f"quality.{e.element}", app.lang)
        if not e.required:
            title = f"[dim]{title}[/]"
        met = f"{e.met}/{e.applicable}"
        fix = "" if e.met == e.applicable else t(f"quality_fix.{e.element}", app.lang)
        if e.missing and e.scope is Scope.COMPONENT:
            refs, more = ", ".join(e.missing[:3]), e.applicable - e.met - 3
            fix += " " + (t("quality_missing_more", app.lang, refs=refs, more=more) if more > 0
                          else t("quality_missing", app.lang, refs=refs))
        style = "green" if e.met == e.applicable else ("yellow" if e.met else "red")
        table.add_row(title, t(f"quality_scope_{e.scope.value}", app.lang),
                      f"[{style}]{met}[/]", escape(fix))
    return table
