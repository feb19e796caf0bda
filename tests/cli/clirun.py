"""Running the CLI in-process, as the tests of every command group do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from cpstrust.cli.app import app
from cpstrust.store.db import Store

runner = CliRunner()
# A fixture that switches to the installation of a name (its own CPSTRUST_HOME).
Home = Callable[[str], Path]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def ok(*args: str) -> str:
    code, out, err = run(*args)
    assert code == 0, (args, out, err)
    return out


def row_count(home: Path, table: type) -> int:
    """Rows of ``table`` in the store the CLI keeps under ``home``."""
    store = Store.open(f"sqlite:///{home / 'cpstrust.db'}")
    try:
        with store.transaction() as session:
            return session.scalar(select(func.count()).select_from(table)) or 0
    finally:
        store.close()
