"""`cpstrust scan`: match an SBOM file, or stored releases, against the advisory database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust import operations
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FAIL_ON_HELP, FailOn, exit_for, gate, match_json, styled
from cpstrust.errors import InputError
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import MatchStatus, VulnerabilityMatch


def scan(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value) to scan; nothing is stored.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    product: Annotated[
        str | None, typer.Option(help="Scan the stored releases of this product.")
    ] = None,
    version: Annotated[str | None, typer.Option(help="With --product: only this release.")] = None,
    all_releases: Annotated[bool, typer.Option("--all", help="Scan every stored release.")] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
) -> None:
    """Find known vulnerabilities in an SBOM file or in stored releases.

    `cpstrust scan bom.json` reads the file and matches it against the local advisory
    database without storing anything (like `trivy sbom`). `cpstrust scan --product P`
    or `--all` re-evaluates stored releases and updates their findings.
    """
    app = app_context(ctx)
    chosen = sum([file is not None, product is not None, all_releases])
    if chosen != 1:
        raise InputError("give exactly one of FILE, --product or --all")
    if version is not None and product is None:
        raise InputError("--version needs --product")
    if not operations.has_advisories(app.store):
        app.err.print(f"[yellow]{t('vulndb_empty', app.lang)}[/]")  # empty != clean
    if file is not None:
        sbom, report = operations.scan_sbom_file(app.store, file)
        summary = {
            "components": len(sbom.components),
            "without_purl": len(sbom.without_purl()),
            "not_matchable": report.skipped_count,
            "source": str(file),
        }
        _render(app, list(report.matches), summary, output)
        matches = report.matches
    else:
        ids = operations.release_ids(app.store, product, version)
        if not ids:
            raise InputError(f"no stored release matches product={product!r} version={version!r}")
        evaluation = operations.rescan_releases(app.store, ids)
        summary = {
            "components": evaluation.components,
            "releases": len(ids),
            "new": len(evaluation.new),
            "cleared": evaluation.cleared,
        }
        _render(app, list(evaluation.matches), summary, output)
        matches = evaluation.matches
    exit_for(gate((m.severity for m in matches), fail_on))


def _render(
    app: AppContext,
    matches: list[VulnerabilityMatch],
    summary: dict[str, Any],
    output: OutputFormat,
) -> None:
    matches.sort(key=lambda m: (-int(m.severity), m.name, m.version, m.vulnerability_id))
    not_compared = sum(1 for m in matches if m.status is MatchStatus.NOT_COMPARED)
    if output is OutputFormat.JSON:
        counts = {s.label: 0 for s in Severity}
        for m in matches:
            counts[m.severity.label] += 1
        print_json(
            {
                "summary": {**summary, "findings": len(matches), "not_compared": not_compared,
                            "by_severity": counts},
                "findings": [match_json(m) for m in matches],
            }
        )
        return
    if not matches:
        app.console.print(t("no_findings", app.lang))
    else:
        app.console.print(_table(app, matches, show_status=not_compared > 0))
    app.console.print(
        t(
            "scanned",
            app.lang,
            components=summary["components"],
            findings=len(matches),
            without_purl=summary.get("without_purl", 0),
            skipped=summary.get("not_matchable", 0),
        )
    )
    if not_compared:
        app.console.print(f"[yellow]{t('not_compared_note', app.lang, n=not_compared)}[/]")


def _table(app: AppContext, matches: list[VulnerabilityMatch], *, show_status: bool) -> Table:
    table = Table(title=t("findings", app.lang))
    keys = ["component", "version", "vulnerability", "severity", "fixed_in", "aliases"]
    for key in [*keys, "status"] if show_status else keys:
        table.add_column(t(key, app.lang))
    for m in matches:
        row = [m.name, m.version, m.vulnerability_id, styled(m.severity),
               ", ".join(m.fixed_versions) or "-", ", ".join(m.aliases[:3])]
        if show_status:
            row.append(t(m.status.value, app.lang))
        table.add_row(*row)
    return table
