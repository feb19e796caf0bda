"""`cpstrust risk`: a site's risk register (zones, threats, likelihood x impact, why) and
its plan of countermeasures (CPSF requirements by risk reduction per effort), computed
again from the stored facts each time."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.risk import site_risk
from cpstrust.cli.context import AppContext, app_context
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import write_report
from cpstrust.cli.report import ReportOutput
from cpstrust.errors import InputError
from cpstrust.formats.risk_report import plan_json, register_json, zone_label
from cpstrust.messages import Lang
from cpstrust.model.risk import Level, RiskRegister
from cpstrust.timeutil import as_utc

app = typer.Typer(
    help="Risk of a site's zones (likelihood x impact, from the stored findings, "
         "attestations, trust verdicts and the operator's assessment) and the plan of CPSF "
         "countermeasures by risk reduction per effort.",
    no_args_is_help=True,
)

SiteOption = Annotated[str, typer.Option("--site", help="The site (as the supply-chain file "
                                                        "names it).")]
ZoneOption = Annotated[str | None, typer.Option(help="Only this zone of the site.")]
FormatOption = Annotated[ReportOutput, typer.Option("--format", help="table, json or html.")]
LangOption = Annotated[Lang | None, typer.Option(
    help="Language of the report (default: the global --lang).")]
OutOption = Annotated[Path | None, typer.Option(
    help="Write to this file (default: standard output; json and html only).",
    dir_okay=False)]
AtOption = Annotated[datetime | None, typer.Option(help="As at this time (UTC); now by "
                                                   "default.")]


class RiskGate(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


_ORDER = [level.value for level in Level]


@app.command("register")
def register(
    ctx: typer.Context,
    site: SiteOption,
    zone: ZoneOption = None,
    output: FormatOption = ReportOutput.TABLE,
    lang: LangOption = None,
    out: OutOption = None,
    at: AtOption = None,
    fail_on: Annotated[RiskGate | None, typer.Option(
        help="Exit 1 when a risk is at this level or above.")] = None,
) -> None:
    """The risk register of a site: per zone and threat, likelihood and impact (1-5),
    risk = likelihood x impact with its level, the facts behind each, and the CPSF
    countermeasures; a likelihood x impact heat map in HTML."""
    app = app_context(ctx)
    found = _register(app, site, zone, output, out, at)
    language = lang or app.lang
    if output is ReportOutput.TABLE:
        _print_register(app, found, language)
    else:
        write_report(app, _document(found, "register", output, language), out,
                     "trust_report_written")
    if fail_on is not None:
        floor = _ORDER.index(fail_on.value)
        over = sum(1 for r in found.risks if _ORDER.index(r.level.value) >= floor)
        if over and output is ReportOutput.TABLE:
            app.console.print(escape(t("risk_exit_note", language, count=over,
                                       level=t(f"risk_level_{fail_on.value}", language))))
        exit_for(over)


@app.command("plan")
def plan(
    ctx: typer.Context,
    site: SiteOption,
    zone: ZoneOption = None,
    output: FormatOption = ReportOutput.TABLE,
    lang: LangOption = None,
    out: OutOption = None,
    at: AtOption = None,
) -> None:
    """The plan of countermeasures of a site: the CPSF requirements not yet met in the
    operator's assessment, ordered by the risk reduction they give per unit of effort,
    and those already in place."""
    app = app_context(ctx)
    found = _register(app, site, zone, output, out, at)
    language = lang or app.lang
    if output is ReportOutput.TABLE:
        _print_plan(app, found, language)
    else:
        write_report(app, _document(found, "plan", output, language), out,
                     "trust_report_written")


def _register(app: AppContext, site: str, zone: str | None, output: ReportOutput,
              out: Path | None, at: datetime | None) -> RiskRegister:
    if output is ReportOutput.TABLE and out is not None:
        raise InputError("report_out_needs_file_format")
    return site_risk(app.services, site, as_utc(at) if at else datetime.now(UTC), zone)


def _document(found: RiskRegister, page: Literal["register", "plan"], output: ReportOutput,
              lang: Lang) -> bytes:
    if output is ReportOutput.HTML:
        # Jinja2 is imported only for this.
        from cpstrust.formats.risk_report_html import write_risk_html

        return write_risk_html(found, page, lang, __version__)
    facts = register_json(found, lang) if page == "register" else plan_json(found, lang)
    return orjson.dumps(facts, option=orjson.OPT_INDENT_2) + b"\n"


def _heading(app: AppContext, found: RiskRegister, title: str, lang: Lang) -> None:
    app.console.print(f"[bold]{escape(t(title, lang))}[/]")
    app.console.print(escape(t("risk_site_line", lang, site=found.site, kind=found.kind,
                               operator=found.operator,
                               at=found.at.strftime("%Y-%m-%d %H:%M %Z"))))
    app.console.print(escape(t("risk_scales_note", lang)))


def _print_register(app: AppContext, found: RiskRegister, lang: Lang) -> None:
    _heading(app, found, "risk_register_title", lang)
    table = Table(show_lines=True)
    for column in ("risk_zone", "risk_threat", "risk_likelihood", "risk_impact",
                   "risk_score", "risk_why", "risk_measures"):
        table.add_column(t(column, lang))
    for r in found.risks:
        title = r.threat.title.ja if lang is Lang.JA else r.threat.title.en
        table.add_row(escape(zone_label(r.zone, lang)), escape(title), str(r.likelihood),
                      str(r.impact), f"{r.score} {t(f'risk_level_{r.level.value}', lang)}",
                      escape("\n".join(f"- {m.text(lang)}" for m in r.reasons)),
                      ", ".join(m.requirement for m in r.threat.measures))
    app.console.print(table)


def _print_plan(app: AppContext, found: RiskRegister, lang: Lang) -> None:
    _heading(app, found, "risk_plan_title", lang)
    table = Table()
    for column in ("risk_requirement", "risk_state", "risk_effort", "risk_reduction",
                   "risk_per_effort"):
        table.add_column(t(column, lang))
    for i, item in enumerate(found.plan, 1):
        r = item.requirement
        title = (r.title_ja or r.title) if lang is Lang.JA else r.title
        note = f" ({t('risk_provisional', lang)})" if r.provisional else ""
        table.add_row(escape(f"{i}. {r.label} {title}{note}"),
                      t(f"risk_state_{item.state.value}", lang), str(item.effort),
                      str(item.reduction), f"{item.per_effort:.2f}")
    app.console.print(table)
    app.console.print(f"[bold]{escape(t('risk_in_place_title', lang))}[/]")
    if not found.in_place:
        app.console.print(escape(t("risk_nothing_in_place", lang, organisation=found.operator)))
    for item in found.in_place:
        app.console.print(escape(f"- {item.requirement.label} {item.requirement.title}"))
