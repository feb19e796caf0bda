"""`cpstrust trust report`: the supply chain as a graph with verdicts, the reasons and
what to do next, as a table, JSON, or one self-contained HTML page
(``formats.trust_report_html``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.trustreport import trust_report
from cpstrust.cli.context import AppContext, app_context
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import write_report
from cpstrust.cli.report import ReportOutput
from cpstrust.errors import InputError
from cpstrust.formats.trust_report import ordered_subjects, trust_report_json
from cpstrust.messages import Lang
from cpstrust.model.trustpolicy import Verdict
from cpstrust.model.trustreport import TIERS, VERDICT_ORDER, TrustReport
from cpstrust.timeutil import as_utc


def report(
    ctx: typer.Context,
    policy: Annotated[Path, typer.Option(help="Trust policy file (YAML; see the README).",
                                         exists=True, dir_okay=False)],
    output: Annotated[ReportOutput, typer.Option("--format", help="table, json or html.")
                      ] = ReportOutput.TABLE,
    lang: Annotated[Lang | None, typer.Option(
        help="Language of the report (default: the global --lang).")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output; json and html only).",
        dir_okay=False)] = None,
    at: Annotated[datetime | None, typer.Option(help="Evaluate as at this time (UTC); "
                                                "now by default.")] = None,
) -> None:
    """Evaluate the policy (as `trust evaluate` does, storing the verdicts) and show the
    supply chain as a graph with verdicts: organisations, products, releases, devices,
    zones and sites, the reasons and the evidence or finding behind each, and what to do
    next about each subject that is not trusted, with the CPSF requirements it serves.
    Exit 1 if any subject is untrusted."""
    app = app_context(ctx)
    if output is ReportOutput.TABLE and out is not None:
        raise InputError("report_out_needs_file_format")
    language = lang or app.lang
    found = trust_report(app.services, policy, as_utc(at) if at else datetime.now(UTC))
    if output is ReportOutput.TABLE:
        _print_tables(app, found, language)
    else:
        write_report(app, _document(found, output, language), out,
                     "trust_report_written")
    exit_for(found.untrusted)


def _document(found: TrustReport, output: ReportOutput, lang: Lang) -> bytes:
    if output is ReportOutput.HTML:
        # Jinja2 is imported only for this (~25 ms).
        from cpstrust.formats.trust_report_html import write_trust_report_html

        return write_trust_report_html(found, lang, __version__)
    return orjson.dumps(trust_report_json(found, lang), option=orjson.OPT_INDENT_2) + b"\n"


def _print_tables(app: AppContext, found: TrustReport, lang: Lang) -> None:
    app.console.print(f"[bold]{escape(t('trust_report_title', lang))}[/]")
    app.console.print(escape(t("trust_report_policy", lang, policy=found.policy,
                               at=found.evaluated_at.strftime("%Y-%m-%d %H:%M %Z"))))
    summary = Table(title=t("trust_report_summary", lang))
    summary.add_column(t("kind", lang))
    for verdict in VERDICT_ORDER:
        summary.add_column(t(f"verdict_{verdict.value}", lang), justify="right")
    counts = found.counts()
    for kind in TIERS:
        summary.add_row(t(f"kind_{kind.value}", lang),
                        *(str(counts[kind][v]) for v in VERDICT_ORDER))
    app.console.print(summary)
    attention = sorted((s for s in ordered_subjects(found) if s.verdict.verdict
                        is not Verdict.TRUSTED),
                       key=lambda s: VERDICT_ORDER.index(s.verdict.verdict))
    if not attention:
        app.console.print(escape(t("trust_report_all_trusted", lang)))
        return
    table = Table(title=t("trust_report_attention", lang), show_lines=True)
    for column in ("subject", "trust_report_verdict", "reasons", "trust_report_steps"):
        table.add_column(t(column, lang))
    for s in attention:
        v = s.verdict
        table.add_row(
            escape(f"{t(f'kind_{v.kind.value}', lang)}\n{v.name}"),
            _styled(v.verdict, lang),
            escape("\n".join(f"- {r.text(lang)}" for r in v.reasons)),
            escape("\n".join(f"{i}. {step.message.text(lang)}"
                             + (f" [{', '.join(step.requirements)}]" if step.requirements else "")
                             for i, step in enumerate(s.steps, 1))))
    app.console.print(table)
    if found.untrusted:
        app.console.print(escape(t("trust_report_exit_note", lang, count=found.untrusted)))


_STYLE = {Verdict.TRUSTED: "green", Verdict.AT_RISK: "yellow", Verdict.UNTRUSTED: "bold red",
          Verdict.UNKNOWN: "dim"}


def _styled(verdict: Verdict, lang: Lang) -> str:
    return f"[{_STYLE[verdict]}]{escape(t(f'verdict_{verdict.value}', lang))}[/]"
