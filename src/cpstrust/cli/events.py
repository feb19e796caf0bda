"""`cpstrust events`: the findings each change introduced, resolved or reopened; listed,
followed, and delivered to a JSONL file or a webhook."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cpstrust.app.events import list_events
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.i18n import t
from cpstrust.cli.output import styled
from cpstrust.errors import InputError
from cpstrust.formats.event_json import event_lines, event_record
from cpstrust.model.events import Event, EventKind, EventSelection

if TYPE_CHECKING:
    from cpstrust.app.event_delivery import Delivery

app = typer.Typer()


class EventFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"


@app.callback(invoke_without_command=True)
def events(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(
        metavar="ID|TIME",
        help="Only events after this event id, or from this ISO 8601 time.")] = None,
    kind: Annotated[list[EventKind] | None, typer.Option(
        help="Only events of this kind (repeatable).")] = None,
    product: Annotated[str | None, typer.Option(help="Only this product's events.")] = None,
    output: Annotated[EventFormat, typer.Option(
        "--format", help="table, json, or jsonl (one event per line).")] = EventFormat.TABLE,
    follow: Annotated[bool, typer.Option(
        help="Keep printing new events as they are recorded, until interrupted.")] = False,
    interval: Annotated[float, typer.Option(
        min=0.1, help="With --follow: seconds between looks for new events.")] = 2.0,
) -> None:
    """Findings introduced, resolved or reopened by each change to the stored data
    (advisories, VEX, SBOMs, re-scans, the licence policy), and their delivery to a
    JSONL file or a webhook.

    Without a subcommand, lists the recorded events, oldest first; each has an id to
    continue from (`--since ID`).

    An event is recorded in the same transaction as the change that caused it: a finding
    introduced (open), resolved (fixed, not affected, or gone with its component) or
    reopened by an advisory import or update, a VEX import, an SBOM stored for a release,
    a re-scan, or the licence policy set or cleared. `cpstrust events deliver` sends
    them on.
    """
    if ctx.invoked_subcommand is not None:
        return
    if follow and output is EventFormat.JSON:
        raise InputError("events_follow_json")
    app = app_context(ctx)
    which = EventSelection(*_since(since), kinds=tuple(kind or ()), product=product)
    try:
        _list(app, which, output, interval if follow else None)
    except KeyboardInterrupt:  # how a follow ends: not an error
        return


def _list(app: AppContext, which: EventSelection, output: EventFormat,
          interval: float | None) -> None:
    """Show the events of ``which``; with an ``interval``, then every new one, for ever."""
    found = list_events(app.services, which)
    _show(app, found, output, first=True)
    last = found[-1].id if found else which.after_id
    while interval is not None:
        time.sleep(interval)
        found = list_events(app.services, replace(which, after_id=last))
        if found:
            _show(app, found, output, first=False)
            last = found[-1].id


def _since(value: str | None) -> tuple[int, datetime | None]:
    """--since as (after this id, from this time)."""
    if value is None:
        return 0, None
    if value.isdigit():
        return int(value), None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InputError("events_since_unreadable", value=value) from None
    return 0, moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _show(app: AppContext, found: Sequence[Event], output: EventFormat, *, first: bool) -> None:
    if output is EventFormat.JSON:
        print_json({"events": [event_record(e) for e in found]})
    elif output is EventFormat.JSONL:
        sys.stdout.buffer.write(event_lines(found))
        sys.stdout.flush()
    elif found:
        app.console.print(_table(app, found, titled=first))
    elif first:
        app.console.print(t("events_none", app.lang))


def _table(app: AppContext, found: Sequence[Event], *, titled: bool) -> Table:
    table = Table(title=t("events_title", app.lang) if titled else None)
    table.add_column("id", justify="right")
    for key in ("event_time", "kind", "product", "release", "vulnerability", "component",
                "severity", "event_change", "event_cause"):
        table.add_column(t(key, app.lang))
    for e in found:
        change, f = e.change, e.change.finding
        old = change.old_status.value if change.old_status else "-"
        new = change.new_status.value if change.new_status else t("event_gone", app.lang)
        table.add_row(str(e.id), e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                      change.kind.value, f.product, f.version, f.vulnerability_id, f.purl,
                      styled(f.severity), f"{old} → {new}",
                      f"{e.cause.kind.value}: {e.cause.reference}")
    return table


@app.command()
def deliver(
    ctx: typer.Context,
    jsonl: Annotated[Path | None, typer.Option(
        help="Append each event not yet in this file as one JSON line (synced to disk).",
        dir_okay=False)] = None,
    webhook: Annotated[str | None, typer.Option(
        metavar="URL", help="POST the events not yet delivered to this https:// URL, in "
                            "batches signed as Standard Webhooks specifies.")] = None,
    secret_env: Annotated[str | None, typer.Option(
        metavar="VAR", help="Environment variable holding the webhook's signing secret "
                            "(whsec_ and base64, as Standard Webhooks writes it).")] = None,
    timeout: Annotated[float, typer.Option(
        min=1.0, help="Seconds to wait for the webhook to answer each request.")] = 30.0,
    attempts: Annotated[int, typer.Option(
        min=1, help="Attempts per batch before giving up (5xx, timeouts, refused "
                    "connections are tried again, waiting twice as long each time).")] = 6,
    allow_http: Annotated[bool, typer.Option(
        help="Allow a plain-HTTP webhook URL (a receiver on this machine).")] = False,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.TABLE,
) -> None:
    """Deliver every event the sink has not had yet, in id order, then stop.

    Each sink keeps its own cursor in the store, moved after each batch is delivered:
    delivery is at-least-once, and every event carries its id for the receiver to drop
    repeats. A webhook answering 4xx, or failing every attempt, stops the delivery
    (exit 2) with the cursor before the batch that failed.
    """
    # Delivery's HTTP and TLS stack is imported only when delivering.
    from cpstrust.app.event_delivery import (
        RetryPolicy,
        WebhookRequest,
        deliver_to_jsonl,
        deliver_to_webhook,
    )

    app = app_context(ctx)
    if (jsonl is None) == (webhook is None):
        raise InputError("events_one_sink")
    if jsonl is not None:
        done = deliver_to_jsonl(app.services, jsonl)
    else:
        assert webhook is not None
        done = deliver_to_webhook(app.services, WebhookRequest(
            webhook, _secret(secret_env), secret_env or "", timeout, allow_http),
            retry=RetryPolicy(attempts=attempts))
    _delivered(app, done, output)


def _secret(variable: str | None) -> str | None:
    """The secret in the environment variable the user named (read here, at the edge)."""
    if variable is None:
        return None
    if variable not in os.environ:
        raise InputError("events_secret_missing", variable=variable)
    return os.environ[variable]


def _delivered(app: AppContext, done: Delivery, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        print_json({"sink": done.sink, "delivered": done.delivered,
                    "delivered_up_to": done.delivered_up_to, "caught_up": done.caught_up})
        return
    if done.caught_up:
        app.console.print(t("events_caught_up", app.lang, caught_up=done.caught_up))
    app.console.print(t("events_delivered", app.lang, delivered=done.delivered, sink=done.sink,
                        cursor=done.delivered_up_to))
