"""`cpstrust licenses`: licence compliance of an SBOM against a policy, and the stored
policy that keeps stored releases' licence findings."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.licence_policy import (
    HeldPolicy,
    PolicyChange,
    clear_licence_policy,
    held_licence_policy,
    set_licence_policy,
)
from cpstrust.app.licences import check_sbom_licences, check_stored_licences
from cpstrust.app.scanning import StoredScope
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import ReportFormat
from cpstrust.errors import InputError
from cpstrust.formats.sarif import licence_log, scope_json
from cpstrust.model.licence import (
    ComponentLicences,
    ConflictRule,
    Decision,
    LicenceReport,
    PolicyOverride,
    PolicyScope,
)

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
        help="Without FILE: check the stored releases of this product (under its "
             "overrides and its supplier's). With FILE: apply this product's overrides.")
    ] = None,
    org: Annotated[str | None, typer.Option(
        "--org", help="With FILE: apply this organisation's overrides (under the "
                      "product's).")] = None,
    version: Annotated[str | None, typer.Option(help="With --product: only this release.")] = None,
    output: Annotated[
        ReportFormat, typer.Option("--format", help="table, json, or sarif (SARIF 2.1.0).")
    ] = ReportFormat.TABLE,
) -> None:
    """Decide each component's licence by a policy: allow, review or deny, with the
    licence and the rule that decided.

    A licence expression is read against the SPDX list: OR takes the best choice, AND the
    worst part; licences are classified by the ScanCode LicenseDB categories (permissive,
    copyleft-limited, copyleft, ...). The policy's overrides for an organisation and a
    product apply over its base; each verdict names the scope that decided it. Exit 1 when
    a component is denied. `--product P` without FILE checks the stored releases of P by
    the SBOMs kept for them, under P's overrides and those of P's supplier.
    """
    app = app_context(ctx)
    if file is None and product is None:
        raise InputError("licences_one_target")
    if file is None:
        if org is not None:
            raise InputError("licences_org_needs_file")
        _check_stored(app, StoredScope(product, version), policy, output)
        return
    if version is not None:
        raise InputError("licences_version_needs_stored")
    report = check_sbom_licences(file, policy, product, org)
    if output is ReportFormat.SARIF:
        sys.stdout.buffer.write(licence_log(report, sbom=str(file), version=__version__) + b"\n")
    elif output is ReportFormat.JSON:
        print_json(_report_json(report, file, policy) | {"product": product,
                                                         "organisation": org})
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
            {"product": r.product, "version": r.version, "organisation": r.organisation,
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
             "reason": c.rule.reason, "scope": scope_json(c.rule.scope),
             "first": [names[r] for r in c.first],
             "second": [names[r] for r in c.second]} for c in report.conflicts]


def _print_conflicts(app: AppContext, report: LicenceReport) -> None:
    names = {c.ref: c.name for c in report.components}
    for c in report.conflicts:
        style = _STYLE[c.rule.decision]
        app.console.print(f"[{style}]" + escape(t(
            "licences_conflict", app.lang, decision=t(f"decision_{c.rule.decision.value}",
                                                      app.lang),
            scope=_scope_text(app, c.rule.scope),
            first=c.rule.between[0], second=c.rule.between[1],
            first_components=", ".join(names[r] for r in c.first[:5]),
            second_components=", ".join(names[r] for r in c.second[:5]),
            reason=c.rule.reason or "-")) + "[/]")


def _component_json(c: ComponentLicences) -> dict[str, Any]:
    return {
        "component_ref": c.ref, "name": c.name, "version": c.version, "purl": c.purl,
        "expression": c.expression, "decision": c.decision, "problem": c.problem,
        "scopes": [scope_json(s) for s in c.scopes],
        "licenses": [{"license": v.licence, "category": v.category, "decision": v.decision,
                      "rule": v.rule, "scope": scope_json(v.scope)} for v in c.verdicts],
    }


def _scope_text(app: AppContext, scope: PolicyScope) -> str:
    return t(f"licences_scope_{scope.kind.value}", app.lang, name=scope.name or "")


def _why(app: AppContext, c: ComponentLicences) -> str:
    """Each licence's category, the rule that decided it and the rule's scope."""
    if c.missing_scope is not None:
        return (f"{t('licences_rule_missing', app.lang)} "
                f"({_scope_text(app, c.missing_scope)})")
    return "; ".join(f"{v.licence}: {v.category or t('licences_unknown', app.lang)} → "
                     f"{t('licences_rule_' + v.rule.value, app.lang)} "
                     f"({_scope_text(app, v.scope)})" for v in c.verdicts)


def _table(app: AppContext, report: LicenceReport) -> Table:
    table = Table(title=t("licences_title", app.lang))
    for key in ("component", "version", "licences_expression", "licences_decision",
                "licences_why"):
        table.add_column(t(key, app.lang))
    worst_first = sorted(report.components, key=lambda c: (-c.decision.rank, c.name))
    for c in worst_first:
        table.add_row(escape(c.name), escape(c.version or "-"),
                      escape(c.expression or t("licences_none", app.lang)),
                      f"[{_STYLE[c.decision]}]{t('decision_' + c.decision.value, app.lang)}[/]",
                      escape(_why(app, c)))
    return table


policy_app = typer.Typer(help="The stored licence policy: every stored release's licence "
                              "findings follow it (and each SBOM stored later).",
                         no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@policy_app.command("set")
def policy_set(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="Licence policy (YAML), validated whole: nothing is stored if any of it is bad.",
        exists=True, dir_okay=False)],
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Store a licence policy (the previous one is kept as evidence) and re-evaluate the
    licence findings of every stored release by it, in one transaction: denied, to
    review, unknown or missing licences and conflicts become findings of kind `licence`,
    and their changes events (cause `policy`)."""
    app = app_context(ctx)
    _print_change(app, set_licence_policy(app.services, file), output)


@policy_app.command("clear")
def policy_clear(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Stop judging licences: record that no policy is held (earlier versions are kept)
    and resolve every standing licence finding."""
    app = app_context(ctx)
    _print_change(app, clear_licence_policy(app.services), output)


@policy_app.command("show")
def policy_show(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """The licence policy held now: its version, digest, where it came from, and the
    document as set."""
    app = app_context(ctx)
    held = held_licence_policy(app.services)
    if output is OutputFormat.JSON:
        print_json({"policy": None if held is None else _held_json(held)})
    elif held is None:
        app.console.print(t("licence_policy_none", app.lang))
    else:
        app.console.print(t("licence_policy_held", app.lang, version=held.held.version,
                            versions=held.versions, sha256=held.held.sha256,
                            source=held.held.source,
                            recorded_at=held.held.recorded_at.isoformat()))
        app.console.print(escape((held.held.document or b"").decode("utf-8", "replace")))


def _held_json(held: HeldPolicy) -> dict[str, Any]:
    policy = held.policy
    return {
        "version": held.held.version, "versions": held.versions, "sha256": held.held.sha256,
        "source": held.held.source, "recorded_at": held.held.recorded_at.isoformat(),
        "document": (held.held.document or b"").decode("utf-8", "replace"),
        "default": policy.default, "missing": policy.missing, "unknown": policy.unknown,
        "categories": {c.value: d.value for c, d in policy.categories.items()},
        "licenses": {licence: d.value for licence, d in policy.licences.items()},
        "conflicts": _rules_json(policy.conflicts),
        "organisations": {name: _override_json(o) for name, o in policy.organisations.items()},
        "products": {name: _override_json(o) for name, o in policy.products.items()},
    }


def _rules_json(conflicts: Sequence[ConflictRule]) -> list[dict[str, Any]]:
    return [{"between": list(c.between), "decision": c.decision, "reason": c.reason}
            for c in conflicts]


def _override_json(override: PolicyOverride) -> dict[str, Any]:
    """What one organisation's or product's overrides say (None: left to broader scopes)."""
    return {
        "default": override.default, "missing": override.missing,
        "unknown": override.unknown,
        "categories": {c.value: d.value for c, d in override.categories.items()},
        "licenses": {licence: d.value for licence, d in override.licences.items()},
        "conflicts": _rules_json(override.conflicts),
    }


def _print_change(app: AppContext, change: PolicyChange, output: OutputFormat) -> None:
    _warn_unknown_names(app, change)
    evaluation = change.evaluation
    counts = {"releases": evaluation.releases if evaluation else 0,
              "flagged": evaluation.flagged if evaluation else 0,
              "opened": evaluation.opened if evaluation else 0,
              "reopened": evaluation.reopened if evaluation else 0,
              "resolved": evaluation.resolved if evaluation else 0}
    if output is OutputFormat.JSON:
        print_json({"changed": change.version is not None, "version": change.version,
                    "sha256": change.sha256, **counts, "events": change.events,
                    "unknown_organisations": list(change.unknown_organisations),
                    "unknown_products": list(change.unknown_products)})
    elif change.version is None:
        app.console.print(t("licence_policy_unchanged", app.lang))
    else:
        app.console.print(t("licence_policy_changed", app.lang, version=change.version,
                            events=change.events, **counts))


def _warn_unknown_names(app: AppContext, change: PolicyChange) -> None:
    """Overrides for names the store does not hold decide nothing yet: say so on stderr
    (a typo would otherwise go unnoticed; a product to come is allowed)."""
    for key, names in (("licence_policy_unknown_organisations", change.unknown_organisations),
                       ("licence_policy_unknown_products", change.unknown_products)):
        if names:
            app.err.print(escape(t(key, app.lang, names=", ".join(names))), style="yellow")
