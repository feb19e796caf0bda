"""`cpstrust serve`: the REST API and the attestation verifier in one process, under
uvicorn, with TLS when given a certificate."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Annotated

import typer

from cpstrust.cli.context import app_context
from cpstrust.cli.i18n import t
from cpstrust.cli.worker import InsecureHttp, Lease, OsvUrl, worker_settings
from cpstrust.lifetime import keep_values_until_exit

command = typer.Typer(add_completion=False)

# How long an idle connection is kept open. A client that reuses one idle for as long
# as the server keeps it may send its request as the server closes it, and reads no
# answer (uvicorn's and httpx's defaults are both 5 s: bench_service saw 1-2 such
# requests a run). Longer than clients keep theirs (httpx 5 s) and than proxies in front
# keep theirs (nginx 60 s), so that the client side closes first.
KEEP_ALIVE_SECONDS = 75

SERVE_HELP = ("Serve the REST API (/api/v1, OpenAPI at /openapi.json) and the attestation "
              "verifier (/v1/challenge, /v1/attest) until interrupted.")


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
    from cpstrust.service.api import create_app

    app = app_context(ctx)
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise typer.BadParameter(t("serve_tls_pair", app.lang))
    gc.enable()  # a server runs for days: the cycles its requests leave must be collected
    keep_values_until_exit(False)  # nor does it keep a document its request is done with
    if not app.debug:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        for area in ("cpstrust.service", "cpstrust.app.job_runner", "cpstrust.app.job_workers"):
            logging.getLogger(area).setLevel(logging.INFO)
    scheme = "https" if ssl_certfile else "http"
    typer.echo(t("serve_listening", app.lang, url=f"{scheme}://{host}:{port}"))
    worker = (JobWorker(app.services, worker_settings(job_lease, osv_url, allow_insecure_http))
              if jobs else None)
    if worker is not None:
        worker.start()
    try:
        uvicorn.run(create_app(app.services), host=host, port=port,
                    ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
                    ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
                    log_level="debug" if app.debug else "info", server_header=False,
                    timeout_keep_alive=KEEP_ALIVE_SECONDS)
    finally:
        if worker is not None:
            worker.stop()  # the job in hand is finished; the queue keeps the others
