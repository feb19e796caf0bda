"""Exit codes, the interface CI gates on: 0 ok, 1 a policy violation (findings at or
above --fail-on, a refused signature, release, image, update or device), 2 bad input or
usage. The one place that turns outcomes into them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer

from cpstrust.cli.context import AppContext, OutputFormat, print_json
from cpstrust.cli.i18n import hint, t

if TYPE_CHECKING:  # the trust model (~3 ms) loads with the commands that refuse
    from cpstrust.model.trust import Refused

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_INPUT = 2


def exit_refused(app: AppContext, refused: Refused, output: OutputFormat) -> NoReturn:
    """Say why (stderr, and the JSON report when asked for) and exit 1."""
    if output is OutputFormat.JSON:
        print_json({"accepted": False, "reason": refused.reason.value, "detail": refused.detail})
    detail = refused.message.text(app.lang)
    advice = hint(refused.message.code, app.lang, dict(refused.message.facts))
    if advice:
        detail = f"{detail} ({advice})"
    app.err.print(f"{t('refused', app.lang)} ({refused.reason.value}): {detail}",
                  markup=False, highlight=False)
    raise typer.Exit(EXIT_POLICY)


def exit_for(violations: int) -> None:
    """Exit 1 when anything violates the policy the user set (e.g. --fail-on)."""
    if violations:
        raise typer.Exit(EXIT_POLICY)
