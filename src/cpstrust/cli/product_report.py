"""`cpstrust report --product P`: one product's report for people, as a table, JSON, or
one self-contained HTML file (``formats.product_report_html``)."""

from __future__ import annotations

from pathlib import Path

import orjson
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.product_report import product_report
from cpstrust.cli.context import AppContext
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import FailOn, styled, write_report
from cpstrust.cli.report import ReportOutput
from cpstrust.errors import InputError
from cpstrust.formats.product_report import product_report_json
from cpstrust.formats.quality_report import percent
from cpstrust.model.finding import FindingStatus
from cpstrust.model.product_report import ProductReport


def render_product_report(app: AppContext, product: str, version: str | None,
                          policy: Path | None, output: ReportOutput, out: Path | None,
                          fail_on: FailOn | None) -> None:
    """Render the report; exit 1 when an open finding is at or above ``fail_on``."""
    if output is ReportOutput.TABLE and out is not None:
        raise InputError("report_out_needs_file_format")
    report = product_report(app.services, product, version, policy)
    if output is ReportOutput.TABLE:
        _print_tables(app, report)
    else:
        write_report(app, _document(app, report, output) + b"\n", out, "report_written",
                     product=report.product, version=report.version)
    exit_for(0 if fail_on is None else sum(
        1 for f in report.findings
        if f.status is FindingStatus.OPEN and f.severity >= fail_on.severity))


def _document(app: AppContext, report: ProductReport, output: ReportOutput) -> bytes:
    if output is ReportOutput.HTML:
        # Jinja2 is imported only for this (~25 ms).
        from cpstrust.formats.product_report_html import write_product_report_html

        return write_product_report_html(report, app.lang, __version__)
    return orjson.dumps(product_report_json(report, app.lang), option=orjson.OPT_INDENT_2)


def _print_tables(app: AppContext, report: ProductReport) -> None:
    lang = app.lang
    title = t("report_title", lang, product=report.product, version=report.version)
    app.console.print(f"[bold]{escape(title)}[/]")
    open_findings = sum(1 for f in report.findings if f.status is FindingStatus.OPEN)
    app.console.print(escape(t("report_counts", lang, components=len(report.components),
                               files=report.file_entries, findings=len(report.findings),
                               standing=open_findings)))
    if report.findings:
        app.console.print(_findings_table(app, report))
    for framework in report.quality.frameworks:
        app.console.print(escape(t(
            "quality_title", lang, framework=t(f"framework.{framework.framework.value}", lang),
            score=percent(framework.score),
            verdict=t("quality_met" if framework.compliant else "quality_not_met", lang))))


def _findings_table(app: AppContext, report: ProductReport) -> Table:
    lang = app.lang
    names = {c.ref: c for c in report.components}
    table = Table(title=t("report_findings", lang))
    for key in ("vulnerability", "component", "severity",
                "status", "report_col_vex", "report_path"):
        table.add_column(t(key, lang))
    for f in report.findings:
        component = names.get(f.component_ref)
        path = report.paths.get(f.component_ref)
        table.add_row(
            escape(f.vulnerability_id),
            escape(f"{component.name} {component.version or ''}" if component
                   else f.component_ref),
            styled(f.severity), t(f"report_status_{f.status.value}", lang),
            t(f"report_vex_{f.vex.status.value}", lang) if f.vex else "-",
            escape(" → ".join(step.name for step in path)) if path else "-")
    return table
