"""`cpstrust scan`: match an SBOM file, or stored releases, against the advisory database."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from operator import countOf, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cpstrust import __version__
from cpstrust.app.scanning import StoredScope, scan_file, scan_stored
from cpstrust.cli.context import AppContext, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import (
    FAIL_ON_HELP,
    SEVERITY_LABEL,
    FailOn,
    ReportFormat,
    gate,
    match_json,
    styled,
    warn_of_disagreements,
)
from cpstrust.errors import InputError
from cpstrust.formats.quality_report import disagreement_json
from cpstrust.model.finding import MatchStatus, VulnerabilityMatch

if TYPE_CHECKING:  # model.vex is imported only by scans given VEX (~4 ms), rich by tables
    from rich.table import Table

    from cpstrust.model.vex import VexDecision, VexOutcome


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
        ReportFormat, typer.Option("--format", help="table, json, or sarif (SARIF 2.1.0, file "
                                                    "scans: for code scanning in CI).")
    ] = ReportFormat.TABLE,
    fail_on: Annotated[FailOn | None, typer.Option(help=FAIL_ON_HELP)] = None,
    vex: Annotated[
        list[Path] | None,
        typer.Option(
            help="With FILE: a VEX document (OpenVEX, CycloneDX VEX or CSAF 2.0 VEX, told by "
                 "content) whose statements set each finding's status; repeat for more. "
                 "--fail-on then counts only affected and under_investigation findings.",
            exists=True, dir_okay=False),
    ] = None,
) -> None:
    """Find known vulnerabilities in an SBOM file or in stored releases.

    `cpstrust scan bom.json` reads the file and matches it against the local advisory
    database without storing anything (like `trivy sbom`); `--vex supplier.vex.json`
    applies a supplier's statements (not_affected with its justification, fixed, ...).
    `cpstrust scan --product P` or `--all` re-evaluates stored releases and updates
    their findings.
    """
    app = app_context(ctx)
    chosen = sum([file is not None, product is not None, all_releases])
    if chosen != 1:
        raise InputError("scan_one_target")
    if version is not None and product is None:
        raise InputError("scan_version_needs_product")
    if vex and file is None:
        raise InputError("scan_vex_needs_file")
    if output is ReportFormat.SARIF and file is None:
        raise InputError("scan_sarif_needs_file")
    decisions: Mapping[tuple[str, str], VexDecision] | None = None
    if file is not None:
        scanned = scan_file(app.services, file, vex_paths=vex or ())
        matches = scanned.report.matches
        summary: dict[str, Any] = {
            "components": len(scanned.sbom.components),
            "without_purl": len(scanned.sbom.without_purl()),
            "not_matchable": scanned.report.skipped_count,
            "purl_disagreements": len(scanned.disagreements),
            "source": str(file),
        }
        extra = {"purl_disagreements": [disagreement_json(d) for d in scanned.disagreements]}
        warn_of_disagreements(app, scanned.disagreements)
        if scanned.vex is not None:
            decisions = scanned.vex.decisions
            summary["vex"] = _vex_summary(scanned.vex, len(vex or ()))
            from rich.markup import escape

            for source in scanned.vex.unrelated:
                app.err.print(f"[yellow]{escape(t('vex_unrelated', app.lang, source=source))}[/]")
        advisories_present = scanned.advisories_present
    else:
        stored = scan_stored(app.services, StoredScope(product, version))
        matches = stored.evaluation.matches
        summary = {
            "components": stored.evaluation.components,
            "releases": stored.releases,
            "new": len(stored.evaluation.new),
            "cleared": stored.evaluation.cleared,
        }
        advisories_present = stored.advisories_present
        extra = {}
    if not advisories_present:
        app.err.print(f"[yellow]{t('vulndb_empty', app.lang)}[/]")  # empty != clean
    _render(app, list(matches), summary, output, extra, decisions or {})
    standing = _standing(matches, decisions) if decisions else matches
    exit_for(gate((m.severity for m in standing), fail_on))


def _standing(matches: Iterable[VulnerabilityMatch],
              decisions: Mapping[tuple[str, str], VexDecision]) -> list[VulnerabilityMatch]:
    """The findings that still stand: no VEX statement, or one that leaves them open."""
    from cpstrust.model.vex import STANDING

    return [m for m in matches
            if (d := decisions.get((m.component_ref, m.vulnerability_id))) is None
            or d.status in STANDING]


def _vex_summary(outcome: VexOutcome, documents: int) -> dict[str, Any]:
    from cpstrust.model.vex import VexStatus

    found = Counter(d.status for d in outcome.decisions.values())
    return {"documents": documents, "statements": outcome.statements,
            "statements_applied": outcome.applied, "findings_decided": len(outcome.decisions),
            "by_status": {s.value: found[s] for s in VexStatus}}


# Fields by position (a named field read is a descriptor lookup; these index the tuple).
_FIELD = {name: i for i, name in enumerate(VulnerabilityMatch._fields)}
_BY_NAME = itemgetter(_FIELD["name"], _FIELD["version"], _FIELD["vulnerability_id"])
_BY_SEVERITY = itemgetter(_FIELD["severity"])
_BY_STATUS = itemgetter(_FIELD["status"])


def _render(
    app: AppContext,
    matches: list[VulnerabilityMatch],
    summary: dict[str, Any],
    output: ReportFormat,
    extra: dict[str, Any],
    decisions: Mapping[tuple[str, str], VexDecision],
) -> None:
    # Worst first, then by name, version and vulnerability: two stable sorts on C-level
    # keys, where one Python key function per finding cost a large scan ~15 ms. Counted
    # from C as well (map, countOf, Counter): no Python step per finding.
    matches.sort(key=_BY_NAME)
    matches.sort(key=_BY_SEVERITY, reverse=True)
    not_compared = countOf(map(_BY_STATUS, matches), MatchStatus.NOT_COMPARED)
    if output is ReportFormat.SARIF:
        from cpstrust.formats.sarif import vulnerability_log  # only SARIF runs pay its imports

        sys.stdout.buffer.write(vulnerability_log(matches, decisions, sbom=summary["source"],
                                                  version=__version__) + b"\n")
        return
    if output is ReportFormat.JSON:
        found = Counter(map(_BY_SEVERITY, matches))
        counts = {label: found[s] for s, label in SEVERITY_LABEL.items()}
        print_json(
            {
                "summary": {**summary, "findings": len(matches), "not_compared": not_compared,
                            "by_severity": counts},
                "findings": [_finding_json(m, decisions) for m in matches] if decisions
                else [match_json(m) for m in matches],
                **extra,
            }
        )
        return
    if not matches:
        app.console.print(t("no_findings", app.lang))
    else:
        app.console.print(_table(app, matches, decisions,
                                 show_status=not_compared > 0 or bool(decisions)))
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


def _finding_json(m: VulnerabilityMatch,
                  decisions: Mapping[tuple[str, str], VexDecision]) -> dict[str, Any]:
    """A finding with the VEX statement that decides it, if one does: ``status`` is then
    the statement's."""
    found = match_json(m)
    decision = decisions.get((m.component_ref, m.vulnerability_id))
    found["justification"] = None if decision is None else decision.justification
    if decision is not None:
        found["status"] = decision.status
        found["vex"] = {"source": decision.source, "statement": decision.place,
                        "impact": decision.impact, "action": decision.action}
    return found


def _table(app: AppContext, matches: list[VulnerabilityMatch],
           decisions: Mapping[tuple[str, str], VexDecision], *, show_status: bool) -> Table:
    from rich.table import Table

    table = Table(title=t("findings", app.lang))
    keys = ["component", "version", "vulnerability", "severity", "fixed_in", "aliases"]
    for key in [*keys, "status"] if show_status else keys:
        table.add_column(t(key, app.lang))
    for m in matches:
        row = [m.name, m.version, m.vulnerability_id, styled(m.severity),
               ", ".join(m.fixed_versions) or "-", ", ".join(m.aliases[:3])]
        if show_status:
            decision = decisions.get((m.component_ref, m.vulnerability_id))
            row.append(t(m.status.value, app.lang) if decision is None else
                       _decided(app, decision))
        table.add_row(*row)
    return table


def _decided(app: AppContext, decision: VexDecision) -> str:
    status = t(f"vex.{decision.status.value}", app.lang)
    return f"{status} ({decision.justification})" if decision.justification else status


# One command, loaded by name from the root's command table (cli.app).
command = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
command.command("scan")(scan)
