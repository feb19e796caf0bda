"""What every command needs: settings, language, output format, the store (opened lazily)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson
import typer
from rich.console import Console

from cpstrust.cli.i18n import Lang
from cpstrust.settings import Settings
from cpstrust.store.db import Store


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@dataclass
class AppContext:
    settings: Settings
    lang: Lang
    debug: bool
    console: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.settings.database_url)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "the root callback sets the context"
    return obj


def print_json(value: Any) -> None:
    """JSON reports go to stdout as bytes, never through rich (no wrapping, no markup)."""
    sys.stdout.buffer.write(orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()
