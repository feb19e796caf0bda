"""`cpstrust licenses`: licence compliance of an SBOM against a policy."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.licences import check_sbom_licences, check_stored_licences
from cpstrust.app.scanning import StoredScope
from cpstrust.cli.context import AppContext, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import ReportFormat
from cpstrust.errors import InputError
from cpstrust.formats.sarif import licence_log
from cpstrust.model.licence import ComponentLicences, Decision, LicenceReport

app = typer.Typer(help="Licence compliance: the licences of an SBOM's components against a "
                       "policy (allow, review, deny).", no_args_is_help=True)

_STYLE = {Decision.ALLOW: "green", Decision.REVIEW: "yellow", Decision.DENY: "bold red"}


@app.command("check")
def check(
    ctx: typer.Context,
    file: Annotated[Path | None, typer.Argument(
        help="SBOM file (CycloneDX JSON/XML, SPDX JSON/tag-value); or give --product.",
        exists=True, dir_okay=False)] = None,
    *,
    policy: Annotated[
        Path,
        typer.Option(help="Licence policy (YAML): decisions by SPDX id, by category, and for "
                          "missing and unknown licences.", exists=True, dir_okay=False),
    ],
    product: Annotated[str | None, typer.Option(
        help="Check the stored releases of this product instead of a file.")] = None,
    version: Annotated[str | None, typer.Option(help="With --product: only this release.")] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="table, json, or sarif (SARIF 2.1.0).")
    ] = ReportFormat.TABLE,
) -> None:
    """Decide each component's licence by a policy: allow, review or deny, with the
    licence and the rule that decided.

    A licence expression is read against the SPDX list: OR takes the best choice, AND the
    worst part; licences are classified by the ScanCode LicenseDB categories (permissive,
    copyleft-limited, copyleft, ...). Exit 1 when a component is denied. `--product P`
    checks the stored releases of P by the SBOMs kept for them.
    """
    app = app_context(ctx)
    if (file is None) == (product is None):
        raise InputError("licences_one_target")
    if file is None:
        _check_stored(app, StoredScope(product, version), policy, output)
        return
    report = check_sbom_licences(file, policy)
    if output is ReportFormat.SARIF:
        sys.stdout.buffer.write(licence_log(report, sbom=str(file), version=__version__) + b"\n")
    elif output is ReportFormat.JSON:
        print_json(_report_json(report, file, policy))
    else:
        app.console.print(_table(app, report))
        _print_conflicts(app, report)
        app.console.print(t("licences_summary", app.lang,
                            **{d.value: report.count(d) for d in Decision}))
    exit_for(report.denied)


def _check_stored(app: AppContext, scope: StoredScope, policy: Path,
                  output: ReportFormat) -> None:
    if output is ReportFormat.SARIF:
        raise InputError("licences_sarif_needs_file")
    releases = check_stored_licences(app.services, scope, policy)
    if output is ReportFormat.JSON:
        print_json({"policy": str(policy), "releases": [
            {"product": r.product, "version": r.version,
             "summary": {d.value: r.report.count(d) for d in Decision},
             "components": [_component_json(c) for c in r.report.components],
             "conflicts": _conflicts_json(r.report)}
            for r in releases]})
    else:
        for r in releases:
            app.console.print(f"[bold]{escape(r.product)} {escape(r.version)}[/]")
            app.console.print(_table(app, r.report))
            _print_conflicts(app, r.report)
            app.console.print(t("licences_summary", app.lang,
                                **{d.value: r.report.count(d) for d in Decision}))
    exit_for(sum(r.report.denied for r in releases))


def _report_json(report: LicenceReport, file: Path, policy: Path) -> dict[str, Any]:
    return {
        "source": str(file),
        "policy": str(policy),
        "summary": {d.value: report.count(d) for d in Decision},
        "components": [_component_json(c) for c in report.components],
        "conflicts": _conflicts_json(report),
    }


def _conflicts_json(report: LicenceReport) -> list[dict[str, Any]]:
    names = {c.ref: c.name for c in report.components}
    return [{"between": list(c.rule.between), "decision": c.rule.decision,
             "reason": c.rule.reason, "first": [names[r] for r in c.first],
             "second": [names[r] for r in c.second]} for c in report.conflicts]


def _print_conflicts(app: AppContext, report: LicenceReport) -> None:
    names = {c.ref: c.name for c in report.components}
    for c in report.conflicts:
        style = _STYLE[c.rule.decision]
        app.console.print(f"[{style}]" + escape(t(
            "licences_conflict", app.lang, decision=t(f"decision_{c.rule.decision.value}",
                                                      app.lang),
            first=c.rule.between[0], second=c.rule.between[1],
            first_components=", ".join(names[r] for r in c.first[:5]),
            second_components=", ".join(names[r] for r in c.second[:5]),
            reason=c.rule.reason or "-")) + "[/]")


def _component_json(c: ComponentLicences) -> dict[str, Any]:
    return {
        "component_ref": c.ref, "name": c.name, "version": c.version, "purl": c.purl,
        "expression": c.expression, "decision": c.decision, "problem": c.problem,
        "licenses": [{"license": v.licence, "category": v.category, "decision": v.decision,
                      "rule": v.rule} for v in c.verdicts],
    }


def _table(app: AppContext, report: LicenceReport) -> Table:
    table = Table(title=t("licences_title", app.lang))
    for key in ("component", "version", "licences_expression", "licences_decision",
                "licences_why"):
        table.add_column(t(key, app.lang))
    worst_first = sorted(report.components, key=lambda c: (-c.decision.rank, c.name))
    for c in worst_first:
        why = "; ".join(f"{v.licence}: {v.category or t('licences_unknown', app.lang)} → "
                        f"{t('licences_rule_' + v.rule.value, app.lang)}" for v in c.verdicts)
        table.add_row(escape(c.name), escape(c.version or "-"),
                      escape(c.expression or t("licences_none", app.lang)),
                      f"[{_STYLE[c.decision]}]{t('decision_' + c.decision.value, app.lang)}[/]",
                      escape(why))
    return table
