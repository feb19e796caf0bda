"""New databases for tests: PostgreSQL ones cloned from a template database, SQLite ones
copied from a template file (the fixtures in ``conftest.py`` make the templates)."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text

_db_counter = itertools.count()


def fresh_postgres_url(server_url: str, template: str = "cpstrust_template") -> str:
    """A new database cloned from ``template`` (the migrated one unless named; fast: a
    file copy). A template must have no open connection while it is copied."""
    name = f"t{os.getpid()}_{next(_db_counter)}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


def closed_sqlite_file(path: Path) -> Path:
    """``path``, once its store is closed: all of it in the one file (the last connection
    checkpointed the write-ahead log into it), fit to be copied."""
    assert not path.with_name(path.name + "-wal").exists(), f"{path}: still open"
    return path


def copied_sqlite_url(template: Path, directory: Path) -> str:
    copy = directory / "cpstrust.db"
    shutil.copyfile(template, copy)
    return f"sqlite:///{copy}"
