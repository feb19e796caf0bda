"""`cpstrust trust evaluate`: verdicts for every subject of the supply chain under a
policy file, with their reasons; `--what-if` shows who would change under another."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from cpstrust.app.trustpolicy import TrustEvaluation, evaluate_policy, what_if
from cpstrust.cli.context import AppContext, OutputFormat, app_context, print_json
from cpstrust.cli.exits import exit_for
from cpstrust.cli.i18n import t
from cpstrust.messages import Lang, Message
from cpstrust.model.trustpolicy import SubjectKind, SubjectVerdict, VerdictChange
from cpstrust.timeutil import as_utc


def evaluate(
    ctx: typer.Context,
    policy: Annotated[Path, typer.Option(help="Trust policy file (YAML; see the README).",
                                         exists=True, dir_okay=False)],
    what_if_policy: Annotated[
        Path | None,
        typer.Option("--what-if", help="Another policy: show whose verdict would change "
                     "under it (nothing is stored).", exists=True, dir_okay=False),
    ] = None,
    full: Annotated[bool, typer.Option(help="Compute every verdict again, not only what "
                                       "changed since the last evaluation.")] = False,
    at: Annotated[datetime | None, typer.Option(help="Evaluate as at this time (UTC); "
                                                "now by default.")] = None,
    kind: Annotated[list[SubjectKind] | None,
                    typer.Option(help="Show only subjects of this kind (repeatable).")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TABLE,
) -> None:
    """Compute a verdict (trusted, at_risk, untrusted, unknown) with its reasons for every
    organisation, product, release, device and system, propagated along the supply
    chain, and store them. Exit 1 if any subject is untrusted."""
    app = app_context(ctx)
    moment = as_utc(at) if at else datetime.now(UTC)
    if what_if_policy is not None:
        changes = what_if(app.services, policy, what_if_policy, moment)
        _render_changes(app, changes, output)
        return
    result = evaluate_policy(app.services, policy, moment, full=full, kinds=kind or ())
    if output is OutputFormat.JSON:
        print_json(evaluation_json(result, app.lang))
    else:
        _render_table(app, result, list(result.verdicts))
    exit_for(result.untrusted)


def evaluation_json(result: TrustEvaluation, lang: Lang) -> dict[str, Any]:
    """The ``--format json`` report: enums and times are left for orjson to write."""
    text = _texts(lang)
    return {
        "policy": result.policy, "evaluated_at": result.at.isoformat(),
        "incremental": result.incremental, "computed": result.computed,
        "counts": {k.value: {v.value: n for v, n in c.items()}
                   for k, c in result.counts.items()},
        "verdicts": [{"kind": v.kind, "id": v.name, "verdict": v.verdict,
                      "reasons": [text(r) for r in v.reasons], "valid_until": v.valid_until}
                     for v in result.verdicts],
    }


def _texts(lang: Lang) -> Callable[[Message], str]:
    """A reason's text, rendered once per reason object: devices on one release share
    the reasons of their release and its findings."""
    rendered: dict[int, tuple[Message, str]] = {}

    def text(reason: Message) -> str:
        found = rendered.get(id(reason))
        if found is None:  # the message is kept with its text, so its id stays its own
            found = rendered[id(reason)] = (reason, reason.text(lang))
        return found[1]
    return text


def _render_table(app: AppContext, result: TrustEvaluation,
                  shown: list[SubjectVerdict]) -> None:
    table = Table(title=t("trust_evaluation_title", app.lang, policy=result.policy,
                          computed=result.computed))
    for column in ("kind", "subject", "verdict", "reasons"):
        table.add_column(t(column, app.lang))
    for v in shown:
        table.add_row(v.kind.value, v.name, v.verdict.value,
                      "\n".join(r.text(app.lang) for r in v.reasons))
    app.console.print(table)


def _render_changes(app: AppContext, changes: list[VerdictChange],
                    output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        print_json({"changes": [{"kind": c.kind.value, "id": c.name, "before": c.before.value,
                                 "after": c.after.value,
                                 "reasons": [r.text(app.lang) for r in c.reasons]}
                                for c in changes]})
        return
    table = Table(title=t("trust_what_if_title", app.lang, count=len(changes)))
    for column in ("kind", "subject", "before", "after", "reasons"):
        table.add_column(t(column, app.lang))
    for c in changes:
        table.add_row(c.kind.value, c.name, c.before.value, c.after.value,
                      "\n".join(r.text(app.lang) for r in c.reasons))
    app.console.print(table)
