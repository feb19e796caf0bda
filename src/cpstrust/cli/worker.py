"""`cpstrust worker`: a job worker alone, taking the service's background jobs from the
database's queue until interrupted. Several, on several machines, may share one
PostgreSQL; `cpstrust serve` runs one of its own unless told `--no-worker`."""

from __future__ import annotations

import gc
import logging
import signal
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from cpstrust.cli.context import app_context
from cpstrust.cli.i18n import t
from cpstrust.lifetime import keep_values_until_exit

if TYPE_CHECKING:
    from cpstrust.app.job_runner import WorkerSettings

command = typer.Typer(add_completion=False)

WORKER_HELP = ("Run background jobs (advisory updates, re-evaluations, uploads) from the "
               "database's queue until interrupted.")

Lease = Annotated[float, typer.Option(
    "--job-lease", min=2.0,
    help="Seconds after which a job whose worker fell silent runs again elsewhere.")]
OsvUrl = Annotated[str | None, typer.Option(
    "--osv-url", help="Where advisory-update jobs fetch OSV's exports (default: OSV's own).")]
InsecureHttp = Annotated[bool, typer.Option(
    "--allow-insecure-http", help="Let advisory-update jobs fetch over plain http.")]


def run_for_days(debug: bool, logged: tuple[str, ...]) -> None:
    """What a long-running process (a job worker, a server) needs that a command-line run
    does not; ``logged``: the areas whose progress it logs."""
    gc.enable()  # the cycles its jobs and requests leave must be collected (cli.entry)
    keep_values_until_exit(False)  # nor does it keep a document it is done with
    if debug:  # as the root callback does: a process of serve --workers starts without it
        logging.basicConfig(level=logging.DEBUG)
        return
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for area in logged:
        logging.getLogger(area).setLevel(logging.INFO)


def worker_settings(lease: float, osv_url: str | None, insecure: bool) -> WorkerSettings:
    from cpstrust.app.job_runner import WorkerSettings

    chosen = WorkerSettings(lease=timedelta(seconds=lease), allow_insecure_http=insecure)
    if osv_url:
        from dataclasses import replace

        chosen = replace(chosen, osv_base_url=osv_url)
    return chosen


@command.command(help=WORKER_HELP)
def worker(ctx: typer.Context, job_lease: Lease = 60.0, osv_url: OsvUrl = None,
           allow_insecure_http: InsecureHttp = False) -> None:
    from cpstrust.app.job_workers import JobWorker

    app = app_context(ctx)
    run_for_days(app.debug, ("cpstrust.app.job_runner", "cpstrust.app.job_workers"))
    running = JobWorker(app.services, worker_settings(job_lease, osv_url, allow_insecure_http))
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, lambda _signum, _frame: running.request_stop())
    typer.echo(t("worker_started", app.lang, worker=running.name))
    running.run()
