"""What every command needs: the use cases' services, language, consoles."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

import orjson
import typer

from cpstrust.messages import Lang
from cpstrust.settings import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from cpstrust.app.services import Services


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass
class AppContext:
    settings: Settings
    lang: Lang
    debug: bool
    _services: Services | None = None

    # rich (~15 ms to import) loads with the first thing printed through it: a JSON
    # report never is.
    @cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console()

    @cached_property
    def err(self) -> Console:
        from rich.console import Console

        return Console(stderr=True)

    @property
    def services(self) -> Services:
        """Built on first use: the store and its libraries load only for commands that
        use them."""
        if self._services is None:
            from cpstrust.app.services import Services

            self._services = Services(self.settings)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "the root callback sets the context"
    return obj


def print_json(value: Any) -> None:
    """JSON reports go to stdout as bytes, never through rich (no wrapping, no markup).
    The newline is written after, not appended: a copy of a large scan's report (15 MB)
    cost more than the second write."""
    out = sys.stdout.buffer
    out.write(orjson.dumps(value, option=orjson.OPT_INDENT_2))
    out.write(b"\n")
    sys.stdout.flush()
