"""`cpstrust update check`: fetch an update from a server that may be compromised and
accept it only if it is signed, in scope, unrevoked and not a rollback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from cpstrust.app import updates
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_refused
from cpstrust.cli.i18n import t
from cpstrust.model.trust import Refused

app = typer.Typer(help="Check updates against the trust store before installing them.",
                  no_args_is_help=True)

@app.command("check")
def check(
    ctx: typer.Context,
    server: Annotated[str, typer.Option(
        help="Update server base URL; the release is at BASE/PRODUCT/release.json and each "
        "artifact at BASE/PRODUCT/NAME.")],
    product: Annotated[str, typer.Option(help="Installed product.")],
    installed: Annotated[str, typer.Option(help="Installed version.")],
    download: Annotated[Path | None, typer.Option(
        help="Keep verified artifacts here (default: a temporary directory).",
        file_okay=False)] = None,
    allow_http: Annotated[bool, typer.Option(
        help="Allow plain HTTP (a mirror on a trusted local network).")] = False,
    max_artifact_bytes: Annotated[int, typer.Option(help="Refuse larger artifacts.")] = 4 << 30,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Fetch the release from SERVER, verify it offline against the trust store, then
    download each artifact and check it against the signed digest.

    Exit 0 accepted, 1 refused (wrong signer, out of scope, revoked or expired key,
    tampered artifact, older version), 2 unreachable server or unreadable input.
    """
    app = app_context(ctx)
    request = updates.UpdateRequest(server, product, installed, download_to=download,
                                    allow_insecure_http=allow_http,
                                    max_artifact_bytes=max_artifact_bytes)
    outcome = updates.check(app.services, request, datetime.now(UTC))
    if isinstance(outcome, Refused):
        exit_refused(app, outcome, output)
    if output is OutputFormat.JSON:
        print_json({"accepted": True, "product": product, "installed": installed,
                    "offered": outcome.accepted.offered, "directory": str(outcome.directory),
                    "artifacts": list(outcome.artifacts),
                    "signers": [k.keyid for k in outcome.accepted.release.signers]})
    else:
        app.console.print(t("update_accepted", app.lang, product=product,
                            offered=outcome.accepted.offered, installed=installed,
                            directory=outcome.directory))
