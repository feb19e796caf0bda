"""`cpstrust incidents`: OT incidents (alert findings correlated across devices of one
supplier and across sites) with the evidence behind each; `show` one with its ranked
countermeasure plan (table, JSON, HTML), `export` it as a STIX 2.1 bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.markup import escape
from rich.table import Table

from cpstrust import __version__
from cpstrust.app.ot_incidents import incident_report, list_incidents
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.cli.output import write_report
from cpstrust.cli.report import ReportOutput
from cpstrust.errors import InputError
from cpstrust.formats.files import write_whole
from cpstrust.formats.incident_report import incident_report_json
from cpstrust.messages import Lang
from cpstrust.model.ot_incident import IncidentReport, IncidentStatus

app = typer.Typer(
    help="OT incidents: the same anomaly on devices of one release or supplier, across "
         "sites, as one incident with its evidence and a ranked plan of countermeasures.",
    invoke_without_command=True,
)


@app.callback()
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")
                      ] = OutputFormat.TABLE,
    status: Annotated[IncidentStatus | None, typer.Option(
        help="Only incidents in this status (default: all but merged).")] = None,
) -> None:
    # Lists the incidents, correlated afresh, worst first, with the evidence behind each;
    # exit 1 if any listed incident is open (README "OT incidents").
    if ctx.invoked_subcommand is not None:
        return
    app_ctx = app_context(ctx)
    reports = list_incidents(app_ctx.services, status)
    if output is OutputFormat.JSON:
        print_json({"incidents": [incident_report_json(r, app_ctx.lang) for r in reports]})
    else:
        _print_list(app_ctx, reports)
    exit_for(sum(r.incident.status is IncidentStatus.OPEN for r in reports))


def _incident_id(text: str) -> int:
    value = text.removeprefix("inc-")
    if not value.isdigit() or int(value) < 1:
        raise InputError("incident_id_invalid", value=text)
    return int(value)


@app.command("show")
def show(
    ctx: typer.Context,
    incident: Annotated[str, typer.Argument(help="Incident id (as listed).")],
    output: Annotated[ReportOutput, typer.Option("--format", help="table, json or html.")
                      ] = ReportOutput.TABLE,
    lang: Annotated[Lang | None, typer.Option(
        help="Language of the report (default: the global --lang).")] = None,
    deidentify: Annotated[bool, typer.Option(
        help="Replace IP and MAC addresses, site and device names with pseudonyms.")
                          ] = False,
    out: Annotated[Path | None, typer.Option(
        help="Write to this file (default: standard output; json and html only).",
        dir_okay=False)] = None,
) -> None:
    """One incident: why its severity was raised, its ranked countermeasure plan with
    the CPSF requirements of each step and how each was scored, and the evidence."""
    app_ctx = app_context(ctx)
    if output is ReportOutput.TABLE and out is not None:
        raise InputError("report_out_needs_file_format")
    language = lang or app_ctx.lang
    report = incident_report(app_ctx.services, _incident_id(incident), deidentified=deidentify)
    if output is ReportOutput.TABLE:
        _print_one(app_ctx, report, language)
        return
    if output is ReportOutput.HTML:
        from cpstrust.formats.incident_report_html import write_incident_html

        data = write_incident_html(report, language, __version__)
    else:
        data = orjson.dumps(incident_report_json(report, language),
                            option=orjson.OPT_INDENT_2) + b"\n"
    write_report(app_ctx, data, out, "incident_written")


@app.command("export")
def export(
    ctx: typer.Context,
    incident: Annotated[str, typer.Argument(help="Incident id (as listed).")],
    stix: Annotated[bool, typer.Option("--stix", help="Write a STIX 2.1 bundle.")] = False,
    out: Annotated[Path, typer.Option(help="The file to write.", dir_okay=False)
                   ] = Path("incident.stix.json"),
    deidentify: Annotated[bool, typer.Option(
        help="Replace IP and MAC addresses, site and device names with pseudonyms.")
                          ] = False,
) -> None:
    """Export an incident for sharing: a STIX 2.1 bundle (sightings of the anomaly's
    indicator with the observed traffic, the affected devices as infrastructure, their
    open vulnerabilities, the plan as courses of action), validated against the STIX
    2.1 JSON schemas; the same incident exported again gives the same file."""
    app_ctx = app_context(ctx)
    if not stix:
        raise InputError("incident_export_needs_stix")
    from cpstrust.formats.stix_incident import write_incident_stix
    from cpstrust.formats.stix_schema import validate_bundle

    report = incident_report(app_ctx.services, _incident_id(incident), deidentified=deidentify)
    bundle = write_incident_stix(report, Lang.EN)
    validate_bundle(bundle, str(out))
    write_whole(out, orjson.dumps(bundle, option=orjson.OPT_INDENT_2) + b"\n")
    app_ctx.err.print(escape(t("incident_exported", app_ctx.lang, path=str(out),
                               objects=len(bundle["objects"]))))


def _print_list(app_ctx: AppContext, reports: list[IncidentReport]) -> None:
    lang = app_ctx.lang
    if not reports:
        app_ctx.console.print(escape(t("incidents_none", lang)))
        return
    table = Table(title=t("incidents_title", lang))
    for column in ("finding_id", "severity", "incident_kind", "incident_basis",
                   "incident_devices", "sites", "incident_findings", "status"):
        table.add_column(t(column, lang))
    for r in reports:
        i, a = r.incident, r.incident.assessment
        table.add_row(str(i.id), escape(f"{a.severity.label} ({a.base_severity.label})"),
                      escape(f"{i.kind} {i.technique or ''}"),
                      t(f"incident_basis_{i.basis.value}", lang),
                      escape(", ".join(sorted({x.device.name for x in r.anomalies
                                               if x.device})) or "-"),
                      str(a.sites), str(len(r.anomalies)),
                      t(f"incident_status_{i.status.value}", lang))
    app_ctx.console.print(table)


def _print_one(app_ctx: AppContext, report: IncidentReport, lang: Lang) -> None:
    facts = incident_report_json(report, lang)
    app_ctx.console.print(f"[bold]{escape(t('incident_title', lang, id=facts['id']))}[/] "
                          f"{escape(facts['severity'])} {escape(facts['kind'])}")
    for reason in facts["severity_reasons"]:
        app_ctx.console.print(f"- {escape(reason)}")
    table = Table(title=t("incident_plan", lang), caption=t("incident_scoring", lang))
    for column in ("incident_rank", "incident_step", "incident_score",
                   "incident_requirements"):
        table.add_column(t(column, lang))
    for step in facts["plan"]:
        table.add_row(str(step["rank"]), escape(step["text"]), str(step["score"]),
                      escape(", ".join(q["id"] + ("*" if q["provisional"] else "")
                                       for q in step["requirements"])))
    app_ctx.console.print(table)
