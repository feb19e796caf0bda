"""`cpstrust serve`: the REST API and the attestation verifier under uvicorn, with TLS
when given a certificate; in one process, or in ``--workers`` processes on one listening
socket (ADR 0032)."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cpstrust.cli.context import AppContext, app_context
from cpstrust.cli.i18n import t
from cpstrust.cli.worker import InsecureHttp, Lease, OsvUrl, run_for_days, worker_settings
from cpstrust.settings import CONNECTIONS_ENV, SERVED_CONNECTIONS, connections_share

if TYPE_CHECKING:
    from fastapi import FastAPI

command = typer.Typer(add_completion=False)

# How long an idle connection is kept open. A client that reuses one idle for as long
# as the server keeps it may send its request as the server closes it, and reads no
# answer (uvicorn's and httpx's defaults are both 5 s: bench_service saw 1-2 such
# requests a run). Longer than clients keep theirs (httpx 5 s) and than proxies in front
# keep theirs (nginx 60 s), so that the client side closes first.
KEEP_ALIVE_SECONDS = 75

SERVE_HELP = ("Serve the REST API (/api/v1, OpenAPI at /openapi.json) and the attestation "
              "verifier (/v1/challenge, /v1/attest) until interrupted.")
WORKERS_HELP = ("Server processes sharing the listening socket (default: one per CPU this "
                "process may use); background jobs run in the process that starts them, "
                "never in two.")
CONNECTIONS_HELP = ("PostgreSQL connections the server processes may open, all together; "
                    "each process gets an equal share, one at least (default: "
                    f"{SERVED_CONNECTIONS}, of PostgreSQL's default max_connections of 100; "
                    f"{CONNECTIONS_ENV} set instead gives each process its own number).")

_LOGGED = ("cpstrust.service", "cpstrust.app.job_runner", "cpstrust.app.job_workers")


def default_workers() -> int:
    """One server process per CPU this process may run on: one process is one core at
    most (the interpreter runs one thread at a time), and each costs its memory."""
    if hasattr(os, "sched_getaffinity"):  # Linux: the CPUs this process is allowed
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@command.command(help=SERVE_HELP)
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8480,
    ssl_certfile: Annotated[Path | None, typer.Option(
        "--ssl-certfile", "--tls-cert", help="TLS certificate chain (PEM); with --ssl-keyfile.",
        exists=True, dir_okay=False)] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(
        "--ssl-keyfile", "--tls-key", help="The certificate's private key (PEM).",
        exists=True, dir_okay=False)] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help=WORKERS_HELP)] = None,
    db_connections: Annotated[int | None, typer.Option(
        "--db-connections", min=1, help=CONNECTIONS_HELP)] = None,
    jobs: Annotated[bool, typer.Option(
        "--worker/--no-worker",
        help="Run background jobs in this process too (else only `cpstrust worker` does).",
    )] = True,
    job_lease: Lease = 60.0,
    osv_url: OsvUrl = None,
    allow_insecure_http: InsecureHttp = False,
) -> None:
    import uvicorn

    from cpstrust.app.job_workers import JobWorker

    app = app_context(ctx)
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise typer.BadParameter(t("serve_tls_pair", app.lang))
    processes = workers or default_workers()
    _share_connections(app, db_connections, processes)
    run_for_days(app.debug, _LOGGED)
    # Opened (and migrated) here, once, before any server process opens it: N processes
    # migrating a new database at once would race.
    app.services.store  # noqa: B018
    scheme = "https" if ssl_certfile else "http"
    typer.echo(t("serve_listening", app.lang, url=f"{scheme}://{host}:{port}"))
    worker = (JobWorker(app.services, worker_settings(job_lease, osv_url, allow_insecure_http))
              if jobs else None)
    if worker is not None:
        worker.start()
    options: dict[str, Any] = {
        "host": host, "port": port, "server_header": False,
        "ssl_certfile": str(ssl_certfile) if ssl_certfile else None,
        "ssl_keyfile": str(ssl_keyfile) if ssl_keyfile else None,
        "log_level": "debug" if app.debug else "info", "timeout_keep_alive": KEEP_ALIVE_SECONDS}
    try:
        if processes == 1:
            from cpstrust.service.api import create_app

            uvicorn.run(create_app(app.services), **options)
        else:
            # uvicorn starts each process afresh (spawn) and builds the application there
            # from the import string; this process then only watches them, and runs the
            # jobs: one job worker for all of them, as with one process.
            uvicorn.run(f"{__name__}:server_process_app", factory=True, workers=processes,
                        **options)
    finally:
        if worker is not None:
            worker.stop()  # the job in hand is finished; the queue keeps the others


def _share_connections(app: AppContext, total: int | None, processes: int) -> None:
    """Split the PostgreSQL connections among the server processes: each keeps its own
    pool, and N pools of a process's default size could ask for more connections than
    PostgreSQL allows. A number per process given in the environment is kept, unless
    ``total`` is given too. The processes are started with this environment."""
    if total is None and app.settings.database_connections is not None:
        return
    share = connections_share(total or SERVED_CONNECTIONS, processes)
    app.settings = dataclasses.replace(app.settings, database_connections=share)
    os.environ[CONNECTIONS_ENV] = str(share)


def server_process_app() -> FastAPI:
    """The application of one server process of ``--workers N``, built in that process
    from the environment the command was run in (as ``cpstrust serve`` reads it)."""
    from cpstrust.app.services import Services
    from cpstrust.service.api import create_app
    from cpstrust.settings import Settings

    # uvicorn set its own loggers' level from the command's --debug in this process.
    run_for_days(logging.getLogger("uvicorn.error").getEffectiveLevel() <= logging.DEBUG,
                 _LOGGED)
    _stop_with_parent()
    services = Services(Settings.from_env())
    services.store  # noqa: B018  (opened before the first request, not by it)
    return create_app(services)


def _stop_with_parent() -> None:
    """Stop this server process (as SIGTERM does: requests in hand are answered) once
    the process that started it is gone: multiprocessing gives a spawned process the end
    of a pipe that closes when its parent ends, even one that ended before this process
    got here (its pid would not tell: this process would have a new parent by then)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return  # not started by uvicorn's supervisor

    def watch() -> None:
        parent.join()  # returns once the pipe's other end has closed
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="cpstrust-parent-watch", daemon=True).start()
