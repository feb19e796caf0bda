"""`cpstrust trust`: the keys this site trusts, in which roles and scopes, and the signed,
versioned trust store exchanged between organisations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app import truststore
from cpstrust.cli import trust_policy, trust_report
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_refused
from cpstrust.cli.i18n import t
from cpstrust.cli.secrets import (
    PASSPHRASE_ENV,
    PIN_ENV,
    PassphraseEnvOption,
    PinEnvOption,
    read_secrets,
)
from cpstrust.model.trust import Refused, Role, TrustStore
from cpstrust.timeutil import as_utc

app = typer.Typer(
    help=(
        "Trusted keys with roles (root, release-signer, device-identity, organisation, "
        "assessor, data-producer), scopes, validity and revocation. Exported as a signed, "
        "versioned document; an older version is never accepted back (rollback)."
    ),
    no_args_is_help=True,
)
app.command("evaluate")(trust_policy.evaluate)
app.command("report")(trust_report.report)

@app.command("add-key")
def add_key_(
    ctx: typer.Context,
    pem: Annotated[Path, typer.Argument(help="Public key PEM (from `keys export-public`).",
                                        exists=True, dir_okay=False)],
    role: Annotated[list[Role], typer.Option(help="Role the key is trusted in (repeatable).")],
    scope: Annotated[
        list[str] | None,
        typer.Option(help="Product (release-signer) or device (device-identity) it may "
                     "vouch for; repeatable; none means all."),
    ] = None,
    not_before: Annotated[datetime | None, typer.Option(help="Valid from (UTC).")] = None,
    not_after: Annotated[datetime | None, typer.Option(help="Valid until (UTC).")] = None,
    comment: Annotated[str | None, typer.Option(help="Whose key this is.")] = None,
) -> None:
    """Trust a public key; makes a new version of the trust store."""
    app = app_context(ctx)
    key = replace(truststore.key_from_pem_file(pem, frozenset(role)),
                  scopes=frozenset(scope or ()), not_before=not_before and as_utc(not_before),
                  not_after=not_after and as_utc(not_after), comment=comment)
    store = truststore.trust_key(app.services, key, datetime.now(UTC))
    app.console.print(t("key_trusted", app.lang, keyid=key.keyid, version=store.version,
                        roles=", ".join(sorted(r.value for r in key.roles))))


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    keyid: Annotated[str, typer.Argument(help="Key id or a unique prefix (8+ hex digits).")],
    reason: Annotated[str, typer.Option(help="Why the key is no longer trusted.")],
) -> None:
    """Revoke a trusted key: nothing it signed is accepted any more."""
    app = app_context(ctx)
    store = truststore.revoke(app.services, keyid, reason, datetime.now(UTC))
    app.console.print(t("key_untrusted", app.lang, keyid=keyid, version=store.version))


@app.command("list")
def list_(
    ctx: typer.Context,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """The trusted keys of the current trust store version."""
    app = app_context(ctx)
    store = truststore.current(app.services)
    if output is OutputFormat.JSON:
        print_json(store_json(store))
    else:
        render_store(app, store)


@app.command("export")
def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the signed trust store.")],
    key: Annotated[str, typer.Option(help="Root key (from `keys list`) that signs it.")],
    passphrase_env: Annotated[str, PassphraseEnvOption] = PASSPHRASE_ENV,
    pin_env: Annotated[str, PinEnvOption] = PIN_ENV,
) -> None:
    """Sign the current trust store with a root key and write it as a DSSE envelope."""
    app = app_context(ctx)
    exported = truststore.export(app.services, key, read_secrets(passphrase_env, pin_env))
    file.write_bytes(exported.envelope)
    app.console.print(t("store_exported", app.lang, version=exported.store.version, file=file))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Signed trust store (from `trust export`).",
                                         exists=True, dir_okay=False)],
    root: Annotated[
        list[Path] | None,
        typer.Option(help="Root public key PEM to pin on the first import (repeatable)."),
    ] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Install a newer trust store, verified offline against the root keys already
    trusted (or pinned with --root the first time). Exit 1 if refused."""
    app = app_context(ctx)
    outcome = truststore.import_signed(app.services, file, root or (), datetime.now(UTC))
    if isinstance(outcome, Refused):
        exit_refused(app, outcome, output)
    if output is OutputFormat.JSON:
        print_json({"accepted": True, "version": outcome.store.version,
                    "keys": len(outcome.store.keys)})
    else:
        app.console.print(t("store_imported", app.lang, version=outcome.store.version,
                            keys=len(outcome.store.keys), previous=outcome.previous_version))


def store_json(store: TrustStore) -> dict[str, object]:
    return {
        "version": store.version,
        "issued_at": store.issued_at.isoformat(),
        "keys": [
            {
                "keyid": k.keyid,
                "algorithm": k.algorithm.value,
                "roles": sorted(r.value for r in k.roles),
                "scopes": sorted(k.scopes),
                "not_before": k.not_before.isoformat() if k.not_before else None,
                "not_after": k.not_after.isoformat() if k.not_after else None,
                "revoked": ({"at": k.revocation.at.isoformat(), "reason": k.revocation.reason}
                            if k.revocation else None),
                "comment": k.comment,
            }
            for k in store.keys
        ],
    }


def render_store(app: AppContext, store: TrustStore) -> None:
    table = Table(title=t("trust_store_title", app.lang, version=store.version))
    for column in ("keyid", "algorithm", "roles", "scopes", "validity", "status"):
        table.add_column(t(column, app.lang))
    for k in store.keys:
        validity = (f"{k.not_before:%Y-%m-%d}" if k.not_before else "…") + " – " + (
            f"{k.not_after:%Y-%m-%d}" if k.not_after else "…")
        status = (t("trusted_key_revoked", app.lang, at=f"{k.revocation.at:%Y-%m-%d}",
                    reason=k.revocation.reason)
                  if k.revocation else t("trusted_key_trusted", app.lang))
        table.add_row(k.keyid[:16], k.algorithm.value, ", ".join(sorted(k.roles)),
                      ", ".join(sorted(k.scopes)) or "*", validity, status)
    app.console.print(table)
