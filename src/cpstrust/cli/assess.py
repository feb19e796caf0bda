"""`cpstrust assess`: answer a questionnaire (in the terminal, or from a file), and
report, chart, export and sign what the answers come to."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.markup import escape

from cpstrust import __version__
from cpstrust.app import assessment_report as reports
from cpstrust.app import assessments
from cpstrust.app.assessment_report import OscalExport
from cpstrust.app.assessments import AssessmentState, GivenAnswer
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import write_report
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.errors import CpstrustError
from cpstrust.formats.files import write_whole
from cpstrust.messages import Lang
from cpstrust.model.assessment import AssessmentReport, Question
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.timeutil import as_utc

app = typer.Typer(help="CPSF assessments: answer the questionnaire of a catalogue or ★ "
                       "profile, then see the ★ level, the gaps and the plan, the maturity "
                       "of the management guideline's ten items, and export or sign them.",
                  no_args_is_help=True)

# What a person may type at the status prompt, and what it means.
_STATUS_WORDS = {**{s.value: s for s in RequirementStatus if s is not RequirementStatus.UNANSWERED},
                 "m": RequirementStatus.MET, "p": RequirementStatus.PARTIALLY_MET,
                 "n": RequirementStatus.NOT_MET, "na": RequirementStatus.NOT_APPLICABLE}
_SKIP, _QUIT = ("s", "skip"), ("q", "quit")


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    HTML = "html"


@app.command("run")
def run(
    ctx: typer.Context,
    profile: Annotated[str, typer.Argument(
        help="The stored catalogue or profile to answer (e.g. cpsf-star3, mgmt-guideline-v3).")],
    org: Annotated[str, typer.Option(help="Organisation assessed.")],
    answers: Annotated[Path | None, typer.Option(
        help="Answer file (YAML, or CSV by extension; see the README). Without it, the "
             "questions are asked here.", exists=True, dir_okay=False)] = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Answer the questionnaire of PROFILE for ORG. Interactive without --answers: each
    answer is saved as soon as it is given, so running it again continues where it
    stopped ('s' skips a question, 'q' stops). From a file: checked whole, then stored in
    one transaction (a bad file stores nothing); answers not in the file are kept."""
    app = app_context(ctx)
    at = datetime.now(UTC)
    if answers is not None:
        state = assessments.import_answers(app.services, org, profile, answers, at).state
    else:
        state = _interview(app, assessments.open_assessment(app.services, org, profile, at))
    answered = len(state.questionnaire.questions) - len(state.pending)
    if output is OutputFormat.JSON:
        print_json({"organisation": org, "source": profile, "answered": answered,
                    "questions": len(state.questionnaire.questions),
                    "pending": [q.label for q in state.pending]})
        return
    app.console.print(escape(t("assess_progress", app.lang, org=org, source=profile,
                               answered=answered, total=len(state.questionnaire.questions))))


@app.command("report")
def report(
    ctx: typer.Context,
    org: Annotated[str, typer.Argument(help="Organisation assessed.")],
    output: Annotated[ReportFormat, typer.Option("--format", help="table, json or html.")
                      ] = ReportFormat.TABLE,
    lang: Annotated[Lang | None, typer.Option(
        help="Language of the report (default: the global --lang).")] = None,
    averages: Annotated[Path | None, typer.Option(
        help="Industry averages of the ten items (YAML or CSV, see the README), drawn over "
             "the radar chart.", exists=True, dir_okay=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output).", dir_okay=False)] = None,
) -> None:
    """ORG's ★ level and the gaps that block the next, the plan of action, the maturity
    of the management guideline's ten items (radar chart in HTML) and every answer with
    its evidence files."""
    app = app_context(ctx)
    language = lang or app.lang
    found = reports.assessment_report(app.services, org, datetime.now(UTC), averages)
    if output is ReportFormat.TABLE:
        _print_report(app, found, language)
        return
    if output is ReportFormat.HTML:
        from cpstrust.formats.assessment_report_html import write_assessment_report_html

        data = write_assessment_report_html(found, language, __version__)
    else:
        from cpstrust.formats.assessment_report import assessment_report_json

        data = orjson.dumps(assessment_report_json(found, language),
                            option=orjson.OPT_INDENT_2) + b"\n"
    write_report(app, data, out, "assess_written")


@app.command("chart")
def chart(
    ctx: typer.Context,
    org: Annotated[str, typer.Argument(help="Organisation assessed.")],
    out: Annotated[Path, typer.Option(help="Image to write: .svg or .png.", dir_okay=False)],
    averages: Annotated[Path | None, typer.Option(
        help="Industry averages of the ten items (YAML or CSV, see the README), drawn over "
             "the radar chart.", exists=True, dir_okay=False)] = None,
) -> None:
    """Draw the radar chart of the management guideline's ten items for ORG."""
    from cpstrust.formats.assessment_report import assessment_report_json, radar_axes
    from cpstrust.formats.assessment_report_html import chart_text
    from cpstrust.formats.radar_chart import ChartImage, radar_chart

    app = app_context(ctx)
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in {i.value for i in ChartImage}:
        raise CpstrustError("assess_chart_suffix", source=str(out))
    found = reports.assessment_report(app.services, org, datetime.now(UTC), averages)
    axes = radar_axes(assessment_report_json(found, app.lang))
    write_whole(out, radar_chart(axes, chart_text(app.lang, org), ChartImage(suffix)))
    app.err.print(escape(t("assess_written", app.lang, path=str(out))))


@app.command("export")
def export(
    ctx: typer.Context,
    org: Annotated[str, typer.Argument(help="Organisation assessed.")],
    oscal: Annotated[OscalExport, typer.Option(
        help="assessment-results, or poam (a plan of action for the gaps).")],
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output).", dir_okay=False)] = None,
) -> None:
    """Write ORG's assessment as OSCAL JSON (validated by compliance-trestle before it is
    written): assessment results with a finding per requirement, or a POA&M with an item
    per gap in the plan's order."""
    app = app_context(ctx)
    write_report(app, reports.export_oscal(app.services, org, oscal, datetime.now(UTC)) + b"\n",
                 out, "assess_written")


@app.command("sign")
def sign(
    ctx: typer.Context,
    org: Annotated[str, typer.Argument(help="Organisation assessed.")],
    key: Annotated[str, typer.Option(help="Signing key name (from `keys list`).")],
    profile: Annotated[str | None, typer.Option(
        help="The profile the result is for (default: the highest ★ profile assessed).")
    ] = None,
    expires: Annotated[datetime | None, typer.Option(
        help="Expiry time, UTC (default a year from now).")] = None,
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
) -> None:
    """Sign ORG's assessment result (each requirement's status and the ★ level attained)
    with KEY as signed evidence, kept here to be exported with `evidence export`."""
    app = app_context(ctx)
    signed = reports.sign_result(app.services, org, key=key,
                                 secrets=read_secrets(passphrase_env, pin_env),
                                 at=datetime.now(UTC), profile=profile,
                                 expires_at=expires and as_utc(expires))
    result = signed.result
    if output is OutputFormat.JSON:
        print_json({"id": signed.id, "organisation": org, "profile": result.profile,
                    "star_level": result.star_level,
                    "requirements": {k: v.value for k, v in result.statuses.items()}})
        return
    app.console.print(escape(t("assess_signed", app.lang, org=org, profile=result.profile,
                               id=signed.id, star=result.star_level or "-")))


def _interview(app: AppContext, state: AssessmentState) -> AssessmentState:
    """Ask each pending question, saving each answer as it is given; stop on 'q' or at
    the end of input, keeping what was answered."""
    total = len(state.questionnaire.questions)
    app.err.print(escape(t("assess_starting", app.lang, source=state.questionnaire.source,
                           answered=total - len(state.pending), total=total)))
    try:
        for question in state.pending:
            given = _ask(app, question, state.questionnaire.questions.index(question) + 1, total)
            if given is None:
                continue
            state = _keep(app, state, question, given)
    except _StopRequestedError:
        app.err.print(escape(t("assess_stopped", app.lang)))
    except typer.Abort:  # end of input, or Ctrl-C: every answer given is already kept
        app.err.print(escape(t("assess_stopped", app.lang)))
    return state


class _StopRequestedError(Exception):
    """The person asked to stop."""


def _ask(app: AppContext, question: Question, number: int, total: int) -> GivenAnswer | None:
    requirement = question.requirement
    ja = app.lang is Lang.JA
    title = requirement.title_ja if ja and requirement.title_ja else requirement.title
    statement = (requirement.statement_ja if ja and requirement.statement_ja
                 else requirement.statement)
    app.console.print(f"\n[bold]\\[{number}/{total}] {escape(question.label)}[/] {escape(title)}")
    if statement:
        app.console.print(escape(statement))
    status = _status(app)
    if status is None:
        return None
    note = typer.prompt(t("assess_prompt_note", app.lang), default="", show_default=False)
    maturity = _maturity(app) if question.maturity else None
    evidence = []
    while path := typer.prompt(t("assess_prompt_evidence", app.lang), default="",
                               show_default=False).strip():
        evidence.append(Path(path))
    return GivenAnswer(question.label, status, note.strip() or None, maturity, tuple(evidence))


def _status(app: AppContext) -> RequirementStatus | None:
    while True:
        word = typer.prompt(t("assess_prompt_status", app.lang)).strip().lower()
        if word in _QUIT:
            raise _StopRequestedError
        if word in _SKIP:
            return None
        if word in _STATUS_WORDS:
            return _STATUS_WORDS[word]
        app.err.print(escape(t("assess_prompt_status_again", app.lang, word=word)))


def _maturity(app: AppContext) -> int | None:
    while True:
        word = typer.prompt(t("assess_prompt_maturity", app.lang), default="",
                            show_default=False).strip()
        if not word:
            return None
        if word in {"1", "2", "3", "4", "5"}:
            return int(word)
        app.err.print(escape(t("assess_prompt_maturity_again", app.lang, word=word)))


def _keep(app: AppContext, state: AssessmentState, question: Question,
          given: GivenAnswer) -> AssessmentState:
    """Save the answer; an evidence file that cannot be used is said, and the answer is
    kept without it rather than lost."""
    try:
        return assessments.answer(app.services, state, given, datetime.now(UTC))
    except CpstrustError as exc:
        app.err.print(escape(exc.diagnostics(app.lang)))
        kept = GivenAnswer(given.requirement, given.status, given.note, given.maturity)
        app.err.print(escape(t("assess_kept_without_evidence", app.lang,
                               requirement=question.label)))
        return assessments.answer(app.services, state, kept, datetime.now(UTC))


def _print_report(app: AppContext, found: AssessmentReport, lang: Lang) -> None:
    from rich.table import Table

    star = found.score.star
    title = t("assess_report_title", lang, organisation=found.organisation)
    app.console.print(f"[bold]{escape(title)}[/]")
    app.console.print(escape(t("assess_star_line", lang, star=star.attained or "-",
                               next=star.next_level or "-", gaps=len(star.gaps))))
    counts = ", ".join(f"{t('assess_status_' + s.value, lang)} {n}"
                       for s, n in found.score.counts.items())
    app.console.print(escape(counts))
    if found.score.plan:
        table = Table(title=t("assess_report_plan", lang))
        for key in ("assess_report_level", "assess_report_requirement", "status",
                    "assess_report_action"):
            table.add_column(t(key, lang))
        for step in found.score.plan:
            table.add_row(f"★{step.gap.level}", step.gap.requirement,
                          t("assess_status_" + step.gap.status.value, lang),
                          t("assess_action_" + step.action.value, lang))
        app.console.print(table)
    maturity = ", ".join(f"{m.item}: {m.level if m.level is not None else '-'}"
                         for m in found.score.maturity)
    app.console.print(escape(f"{t('assess_report_maturity', lang)}: {maturity}"))
