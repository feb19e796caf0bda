"""What every command needs: the use cases' services, language, consoles."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson
import typer
from rich.console import Console

from cpstrust.app.services import Services
from cpstrust.cli.i18n import Lang


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass
class AppContext:
    services: Services
    lang: Lang
    debug: bool
    console: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))

    def close(self) -> None:
        self.services.close()


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "the root callback sets the context"
    return obj


def print_json(value: Any) -> None:
    """JSON reports go to stdout as bytes, never through rich (no wrapping, no markup)."""
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()
