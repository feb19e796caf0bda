"""`cpstrust users`, `cpstrust apikeys` and `cpstrust grants`: bootstrap who may use
the service, and what a supplier shows another organisation."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from cpstrust.app.identity import create_api_key, create_user, grant_products, list_api_keys
from cpstrust.app.identity import revoke_api_key as revoke_key
from cpstrust.cli.context import OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.model.identity import Role

users_app = typer.Typer(help="Users of the service, each of one organisation with one role.",
                        no_args_is_help=True)
apikeys_app = typer.Typer(help="API keys: shown once, kept as a digest, of one organisation "
                               "with one role, expiring and revocable.",
                          no_args_is_help=True)
grants_app = typer.Typer(help="What a supplier shows another organisation: one product, or "
                              "every one.",
                         no_args_is_help=True)

RoleOption = typer.Option(help="admin, analyst, uploader (uploads only) or auditor (reads "
                               "only).")


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name.")],
    org: Annotated[str, typer.Option("--org", help="The user's organisation (created when "
                                                   "new).")],
    role: Annotated[Role, RoleOption],
    password_env: Annotated[str, typer.Option(
        "--password-env", metavar="VAR",
        help="Environment variable holding the password.")] = "CPSTRUST_PASSWORD",
    operator: Annotated[bool, typer.Option(
        "--operator", help="The server's operator: may also import into the advisory "
                           "database every organisation shares.")] = False,
) -> None:
    """Create a user; the password is hashed with argon2id."""
    app = app_context(ctx)
    password = os.environ.get(password_env)
    if password is None:
        raise typer.BadParameter(t("password_env_unset", app.lang, name=password_env))
    user, created = create_user(app.services, name, org, role, password, datetime.now(UTC),
                                operator=operator)
    if created:
        app.console.print(t("organisation_created", app.lang, name=org))
    app.console.print(t("user_created", app.lang, name=user.name, role=user.role.value,
                        organisation=user.organisation))
    if user.operator:
        app.console.print(t("user_is_operator", app.lang, name=user.name))


@apikeys_app.command("create")
def apikeys_create(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="The key's user: its organisation and "
                                                  "role, unless --role permits less.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="The key's organisation.")] = None,
    role: Annotated[Role | None, RoleOption] = None,
    expires_days: Annotated[int | None, typer.Option(
        "--expires-days", help="Days until the key expires (default: never).", min=1,
        max=3650)] = None,
    operator: Annotated[bool, typer.Option(
        "--operator", help="Carry the user's operator power (its user must be an "
                           "operator).")] = False,
) -> None:
    """Create an API key and print it once on stdout; only its digest is kept."""
    app = app_context(ctx)
    new = create_api_key(app.services, at=datetime.now(UTC), organisation=org, role=role,
                         user=user,
                         expires_in=timedelta(days=expires_days) if expires_days else None,
                         operator=operator)
    expires = (new.info.expires_at.isoformat() if new.info.expires_at
               else t("apikey_never_expires", app.lang))
    app.err.print(t("apikey_shown_once", app.lang, key_id=new.info.key_id,
                    role=new.info.role.value, organisation=new.info.organisation,
                    expires=expires), markup=False, highlight=False)
    if new.info.operator:
        app.err.print(t("apikey_is_operators", app.lang), markup=False, highlight=False)
    typer.echo(new.secret)


@apikeys_app.command("list")
def apikeys_list(
    ctx: typer.Context,
    org: Annotated[str | None, typer.Option("--org", help="Only this organisation's keys.")]
    = None,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")]
    = OutputFormat.TABLE,
) -> None:
    """List API keys (never their secrets), with expiry, revocation and last use."""
    app = app_context(ctx)
    keys = list_api_keys(app.services, org)
    if output is OutputFormat.JSON:
        print_json({"api_keys": [_key_json(dataclasses.asdict(k)) for k in keys]})
        return
    table = Table(title=t("api_keys", app.lang))
    for column in ("id", "organisation", "role", "user", "created", "expires", "revoked",
                   "last_used", "operator"):
        table.add_column(t(f"apikey_column_{column}", app.lang))
    for k in keys:
        table.add_row(k.key_id, k.organisation, k.role.value, k.user or "-",
                      *(_when(d) for d in (k.created_at, k.expires_at, k.revoked_at,
                                           k.last_used_at)), "✔" if k.operator else "-")
    app.console.print(table)


@apikeys_app.command("revoke")
def apikeys_revoke(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(metavar="KEY_ID", help="The key's id, from "
                                                                 "`apikeys list`.")],
) -> None:
    """Revoke an API key: it is refused from now on."""
    app = app_context(ctx)
    revoke_key(app.services, key_id, datetime.now(UTC))
    app.console.print(t("apikey_revoked", app.lang, key_id=key_id))


@grants_app.command("add")
def grants_add(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Option(help="The organisation that shows its products.")],
    to: Annotated[str, typer.Option("--to", help="The organisation that may see them.")],
    product: Annotated[str | None, typer.Option(
        help="Only this product (default: every product of the supplier).")] = None,
) -> None:
    """Let an organisation see a supplier's product (or all of them), its releases and
    findings."""
    app = app_context(ctx)
    added = grant_products(app.services, supplier=supplier, to=to, product=product,
                           at=datetime.now(UTC))
    what = product or t("grant_every_product", app.lang)
    key = "grant_added" if added else "grant_existed"
    app.console.print(t(key, app.lang, supplier=supplier, to=to, what=what))


def _when(at: datetime | None) -> str:
    return at.isoformat(timespec="seconds") if at else "-"


def _key_json(record: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}
