"""`cpstrust keys`: signing keys held in a file, a PKCS#11 token or a TPM."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app import keys
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.formats.keyrecord import record_to_json
from cpstrust.model.trust import Algorithm, Backend

app = typer.Typer(
    help=(
        "Signing keys and roots of trust. The private key never leaves its backend: an "
        "encrypted file, a PKCS#11 token (HSM, secure element) or a TPM 2.0."
    ),
    no_args_is_help=True,
)


@app.command("create")
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name to refer to the key by.")],
    backend: Annotated[Backend, typer.Option(help="Where the private key lives.")] = Backend.FILE,
    algorithm: Annotated[
        Algorithm, typer.Option(help="ed25519 or ecdsa-p256 (a TPM has only ecdsa-p256).")
    ] = Algorithm.ED25519,
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    module: Annotated[str | None, typer.Option(help="PKCS#11 module (.so) path.")] = None,
    token: Annotated[str | None, typer.Option(help="PKCS#11 token label.")] = None,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
    tcti: Annotated[
        str | None,
        typer.Option(help="TPM connection, e.g. device:/dev/tpmrm0 or swtpm:host=…,port=…"),
    ] = None,
    attestation: Annotated[bool, typer.Option(
        "--attestation-key",
        help="TPM only: a restricted key that signs quotes and nothing else (for "
        "`agent attest`).")] = False,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Generate a key pair inside BACKEND.

    Examples:
      CPSTRUST_KEY_PASSPHRASE=… cpstrust keys create vendor-release
      cpstrust keys create plc-01 --backend pkcs11 --module /usr/lib/softhsm/libsofthsm2.so
        --token plc --algorithm ecdsa-p256
      cpstrust keys create plc-ak --backend tpm --tcti device:/dev/tpmrm0 --algorithm ecdsa-p256
        --attestation-key
    """
    app = app_context(ctx)
    locator = {k: v for k, v in (("module", module), ("token", token), ("tcti", tcti)) if v}
    record = keys.create_key(app.services, name, backend, algorithm, locator=locator,
                             secrets=read_secrets(passphrase_env, pin_env),
                             attestation_key=attestation)
    if output is OutputFormat.JSON:
        print_json(record_to_json(record))
    else:
        app.console.print(t("key_created", app.lang, name=record.name,
                            algorithm=record.algorithm.value, backend=record.backend.value,
                            keyid=record.keyid))


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Keys this installation holds."""
    app = app_context(ctx)
    records = keys.list_keys(app.services)
    if output is OutputFormat.JSON:
        print_json({"keys": [record_to_json(r) for r in records]})
        return
    table = Table()
    for column in ("name", "backend", "algorithm", "keyid", "status"):
        table.add_column(t(column, app.lang))
    for r in records:
        status = (t("key_status_revoked", app.lang, reason=r.revoked_reason)
                  if r.revoked_at else t("key_status_active", app.lang))
        table.add_row(r.name, r.backend.value, r.algorithm.value, r.keyid[:16], status)
    app.console.print(table)


@app.command("export-public")
def export_public(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="Key name.")]
) -> None:
    """Print the public key as PEM (SubjectPublicKeyInfo), for `cpstrust trust add-key`
    here or at a partner, or for any DSSE verifier."""
    sys.stdout.write(keys.public_key_pem(app_context(ctx).services, name))


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Key name.")],
    reason: Annotated[str, typer.Option(help="Why (e.g. 'laptop stolen').")],
) -> None:
    """Stop signing with a key here. Verifiers elsewhere learn of it only through the
    trust store: also run `cpstrust trust revoke KEYID` and export the store."""
    app = app_context(ctx)
    record = keys.revoke_key(app.services, name, reason)
    app.console.print(t("key_revoked", app.lang, name=record.name, keyid=record.keyid))

