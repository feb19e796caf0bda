"""`cpstrust licenses`: licence compliance of an SBOM against a policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cpstrust.app.licences import check_sbom_licences
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import SbomFile
from cpstrust.model.licence import ComponentLicences, Decision, LicenceReport

app = typer.Typer(help="Licence compliance: the licences of an SBOM's components against a "
                       "policy (allow, review, deny).", no_args_is_help=True)

_STYLE = {Decision.ALLOW: "green", Decision.REVIEW: "yellow", Decision.DENY: "bold red"}


@app.command("check")
def check(
    ctx: typer.Context,
    file: SbomFile,
    policy: Annotated[
        Path,
        typer.Option(help="Licence policy (YAML): decisions by SPDX id, by category, and for "
                          "missing and unknown licences.", exists=True, dir_okay=False),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Decide each component's licence by a policy: allow, review or deny, with the
    licence and the rule that decided.

    A licence expression is read against the SPDX list: OR takes the best choice, AND the
    worst part; licences are classified by the ScanCode LicenseDB categories (permissive,
    copyleft-limited, copyleft, ...). Exit 1 when a component is denied.
    """
    app = app_context(ctx)
    report = check_sbom_licences(file, policy)
    if output is OutputFormat.JSON:
        print_json(_report_json(report, file, policy))
    else:
        app.console.print(_table(app, report))
        app.console.print(t("licences_summary", app.lang,
                            **{d.value: report.count(d) for d in Decision}))
    exit_for(report.count(Decision.DENY))


def _report_json(report: LicenceReport, file: Path, policy: Path) -> dict[str, Any]:
    return {
        "source": str(file),
        "policy": str(policy),
        "summary": {d.value: report.count(d) for d in Decision},
        "components": [_component_json(c) for c in report.components],
    }


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
