"""`cpstrust verifier serve` and `cpstrust agent attest`: device attestation by
challenge and response over HTTP."""

from __future__ import annotations

import gc
import logging
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app.devices import attest_to_verifier, release_claim
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import EXIT_POLICY
from cpstrust.cli.i18n import t
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.lifetime import keep_values_until_exit
from cpstrust.model.attestation import AttestationVerdict, VerifierAnswer
from cpstrust.service.verifier import (
    DEFAULT_MAX_BODY,
    Verifier,
    VerifierSettings,
    make_server,
)

VERDICT_STYLE = {
    AttestationVerdict.GENUINE: "bold green",
    AttestationVerdict.STALE: "yellow",
    AttestationVerdict.UNKNOWN_RELEASE: "yellow",
}

verifier_app = typer.Typer(
    help="The attestation verifier: issues challenges to devices and appraises their "
    "signed or TPM-quoted measurement reports against signed release reference values.",
    no_args_is_help=True,
)
agent_app = typer.Typer(
    help="The device side of attestation: measure, answer the verifier's challenge.",
    no_args_is_help=True,
)


@verifier_app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8470,
    challenge_ttl: Annotated[int, typer.Option(
        help="Seconds a device has to answer a challenge.", min=1)] = 120,
    max_body: Annotated[int, typer.Option(
        help="Largest request accepted, in bytes.", min=1024)] = DEFAULT_MAX_BODY,
) -> None:
    """Serve POST /v1/challenge and POST /v1/attest until interrupted; each verdict is
    stored with its findings (see `cpstrust devices`)."""
    app = app_context(ctx)
    gc.enable()  # a server runs for days: the cycles its requests leave must be collected
    keep_values_until_exit(False)  # nor does it keep a document its request is done with
    if not app.debug:  # one line per appraisal on stderr: what an operator watches
        logging.getLogger("cpstrust.service").setLevel(logging.INFO)
    settings = VerifierSettings(challenge_ttl=timedelta(seconds=challenge_ttl),
                                max_body=max_body)
    server = make_server(Verifier(app.services, settings), host, port)
    bound_host, bound_port = server.server_address[:2]
    typer.echo(t("verifier_listening", app.lang, url=f"http://{bound_host!s}:{bound_port}"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@agent_app.command("attest")
def attest(
    ctx: typer.Context,
    root: Annotated[Path, typer.Argument(
        help="The device's firmware root: a directory or a tar archive.", exists=True)],
    verifier: Annotated[str, typer.Option(help="Verifier URL, e.g. http://verifier:8470.")],
    device: Annotated[str, typer.Option(help="This device's name, as the verifier knows it.")],
    key: Annotated[str, typer.Option(
        help="Device identity key (from `keys list`); a TPM attestation key answers with "
        "a quote.")],
    product: Annotated[str | None, typer.Option(
        help="Product the device believes it runs (reported, not trusted).")] = None,
    version: Annotated[str | None, typer.Option(
        help="Version the device believes it runs.")] = None,
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Ask the verifier for a challenge, measure ROOT, answer with a report signed by
    --key (or quoted by the TPM), and print the verdict.

    Exit 0 GENUINE, 1 any other verdict, 2 bad input or an unreachable verifier.
    """
    app = app_context(ctx)
    outcome = attest_to_verifier(app.services, root, verifier_url=verifier, device=device,
                                 key=key, secrets=read_secrets(passphrase_env, pin_env),
                                 release=release_claim(product, version))
    if output is OutputFormat.JSON:
        print_json(dict(outcome.result))
    else:
        _render(app, device, outcome)
    if outcome.verdict is not AttestationVerdict.GENUINE:
        raise typer.Exit(EXIT_POLICY)


def styled_verdict(verdict: AttestationVerdict | None, none: str = "") -> str:
    """The verdict in capitals and colour; ``none`` when there is no verdict yet."""
    if verdict is None:
        return f"[dim]{none}[/]"
    return f"[{VERDICT_STYLE.get(verdict, 'bold red')}]{verdict.value}[/]"


def _render(app: AppContext, device: str, outcome: VerifierAnswer) -> None:
    app.console.print(t("attestation_verdict", app.lang, device=device,
                        verdict=styled_verdict(outcome.verdict)))
    for reason in outcome.reasons:
        app.console.print(f"  {reason.text(app.lang)}", markup=False, highlight=False)
    if not outcome.findings:
        return
    table = Table()
    for column in ("kind", "path", "severity", "reason"):
        table.add_column(t(column, app.lang))
    for f in outcome.findings:
        table.add_row(f.kind.value, f.path, f.severity.label, f.reason.text(app.lang))
    app.console.print(table)
