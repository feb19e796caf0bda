"""`cpstrust vulndb`: the offline advisory database (import, update, status)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import RenderableType
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
)
from rich.table import Table
from rich.text import Text

from cpstrust.app import advisories
from cpstrust.app.advisories import AdvisoryImport
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import error_line, t
from cpstrust.cli.output import match_json
from cpstrust.messages import Lang
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.timeutil import as_utc

app = typer.Typer(
    help="The offline advisory database: import OSV data, update it, show status.",
    no_args_is_help=True,
)

OSV_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="OSV directories (JSON or YAML, searched recursively) and OSV all.zip files.",
            exists=True,
        ),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Import OSV advisories from directories and zips, offline, in one transaction.

    Re-importing is incremental: unchanged records are skipped. Aliases (CVE, GHSA,
    PYSEC, GO, ...) are merged into one vulnerability; withdrawn records match nothing.
    Stored SBOMs are re-evaluated for the packages whose advisories changed.
    """
    app = app_context(ctx)
    with _progress(app, output) as bar:
        done = advisories.import_advisory_paths(
            app.services, paths, progress=_counter(bar, t("vulndb_progress", app.lang)))
    _report_import(app, done, output)


class _Amount(ProgressColumn):
    """Bytes for a download, a plain count for records read."""

    def __init__(self) -> None:
        super().__init__()
        self._bytes = DownloadColumn()

    def render(self, task: Task) -> RenderableType:
        if task.fields.get("count"):
            return Text(str(int(task.completed)))
        return self._bytes.render(task)


def _progress(app: AppContext, output: OutputFormat) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), _Amount(),
                    console=app.err, transient=True, disable=output is OutputFormat.JSON)


def _counter(bar: Progress, label: str) -> Callable[[int], None]:
    task = bar.add_task(label, total=None, count=True)
    return lambda n: bar.update(task, completed=n)


def _report_import(app: AppContext, done: AdvisoryImport, output: OutputFormat) -> None:
    r = done.result
    newly = len(done.reevaluation.new) if done.reevaluation else 0
    if output is OutputFormat.JSON:
        print_json(
            {
                "added": r.added,
                "updated": r.updated,
                "unchanged": r.unchanged,
                "withdrawn": r.withdrawn,
                "older_skipped": r.older,
                "unknown_ecosystem_entries": r.unknown_ecosystem,
                "skipped": [e.diagnostics() for e in done.skipped],
                "newly_affected": newly,
                "new_findings": [
                    _new_json(rid, m)
                    for rid, m in (done.reevaluation.new if done.reevaluation else ())
                ],
            }
        )
        return
    skipped = t("vulndb_skipped", app.lang)
    for error in done.skipped[:20]:
        app.err.print(f"[yellow]{skipped}[/] {escape(error_line(error, app.lang))}",
                      highlight=False)
    app.console.print(import_message(done, app.lang))
    if done.reevaluation is not None:
        app.console.print(t("newly_affected", app.lang, n=newly))


def import_message(done: AdvisoryImport, lang: Lang) -> str:
    r = done.result
    return t(
        "imported",
        lang,
        added=r.added,
        updated=r.updated,
        unchanged=r.unchanged,
        withdrawn=r.withdrawn,
        skipped=len(done.skipped),
    )


def _new_json(release_id: int, m: VulnerabilityMatch) -> dict[str, object]:
    return {"release_id": release_id, **match_json(m)}


@app.command()
def update(
    ctx: typer.Context,
    ecosystem: Annotated[
        list[str],
        typer.Option(
            "--ecosystem", "-e", help="OSV ecosystem to fetch (repeatable), e.g. PyPI, Go, npm."
        ),
    ],
    base_url: Annotated[str, typer.Option(help="Where the OSV exports are served.")] = OSV_BASE_URL,
    allow_http: Annotated[
        bool, typer.Option(help="Allow a plain-HTTP base URL (a local mirror).")
    ] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Fetch the per-ecosystem OSV all.zip exports over HTTPS and import them.

    Conditional requests skip files that did not change; downloads are checked and
    swapped in only when every ecosystem succeeded, so a failure leaves the previous
    data untouched. Without network, use `cpstrust vulndb import`.
    """
    app = app_context(ctx)
    with _progress(app, output) as bar:
        tasks: dict[str, TaskID] = {}

        def on_download(eco: str, done: int, total: int | None) -> None:
            if eco not in tasks:
                tasks[eco] = bar.add_task(eco, total=total)
            bar.update(tasks[eco], completed=done, total=total)

        done = advisories.update_from_osv(
            app.services, base_url, ecosystem, allow_insecure_http=allow_http,
            progress=on_download,
            import_progress=lambda: _counter(bar, t("vulndb_progress", app.lang)))
    if done.imported is None:
        if output is OutputFormat.JSON:
            print_json({"added": 0, "updated": 0, "unchanged_exports": len(done.fetched.exports)})
        else:
            app.console.print(t("vulndb_exports_unchanged", app.lang))
        return
    _report_import(app, done.imported, output)


@app.command()
def status(
    ctx: typer.Context,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Show the advisory sources, record counts and how old the data is."""
    app = app_context(ctx)
    s = advisories.vulndb_status(app.services)
    now = datetime.now(UTC)
    if output is OutputFormat.JSON:
        print_json(
            {
                "advisories": s.advisories,
                "withdrawn": s.withdrawn,
                "vulnerabilities": s.vulnerabilities,
                "affected_packages": s.affected_packages,
                "sources": [
                    {
                        "location": x.location,
                        "kind": x.kind,
                        "imported_at": as_utc(x.imported_at).isoformat(),
                        "age_hours": round(_age(now, x.imported_at) / 3600, 1),
                        "records": x.record_count,
                        "newest_modified": x.newest_modified,
                    }
                    for x in s.sources
                ],
            }
        )
        return
    if not s.advisories:
        app.console.print(t("vulndb_empty", app.lang))
        return
    table = Table(title=t("sources", app.lang))
    for key in ("sources", "records", "imported_at", "age", "newest"):
        table.add_column(t(key, app.lang))
    for x in s.sources:
        table.add_row(
            x.location,
            str(x.record_count),
            as_utc(x.imported_at).isoformat(timespec="seconds"),
            _human_age(_age(now, x.imported_at), app.lang),
            x.newest_modified or "-",
        )
    app.console.print(table)
    app.console.print(t("vulndb_counts", app.lang, advisories=s.advisories,
                        withdrawn=s.withdrawn, vulnerabilities=s.vulnerabilities,
                        packages=s.affected_packages))


def _age(now: datetime, moment: datetime) -> float:
    return (now - as_utc(moment)).total_seconds()


def _human_age(seconds: float, lang: Lang) -> str:
    if seconds < 3600:
        return t("vulndb_age_minutes", lang, n=int(seconds // 60))
    if seconds < 86400 * 2:
        return t("vulndb_age_hours", lang, n=f"{seconds / 3600:.1f}")
    return t("vulndb_age_days", lang, n=f"{seconds / 86400:.1f}")
