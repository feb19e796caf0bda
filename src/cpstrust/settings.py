"""Settings, read from the environment once, at the edge (CLI or service start-up)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from cpstrust.errors import InputError

CONNECTIONS_ENV = "CPSTRUST_DATABASE_CONNECTIONS"
# `serve`'s PostgreSQL connections, all its server processes together: PostgreSQL allows
# 100 by default (max_connections), and the job worker, commands and maintenance need
# some of them too.
SERVED_CONNECTIONS = 80


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # per-user data directory: database, advisory cache
    database_url: str
    # the most PostgreSQL connections this process keeps and opens (None: the store's own)
    database_connections: int | None = None

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def keys_dir(self) -> Path:
        """Key records, and the encrypted private keys of the file backend."""
        return self.home / "keys"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """``CPSTRUST_HOME`` overrides the data directory; ``CPSTRUST_DATABASE_URL`` the
        database (e.g. ``postgresql+psycopg://user@host/db``); default SQLite in home.
        ``CPSTRUST_DATABASE_CONNECTIONS`` caps the PostgreSQL connections of the process
        (``serve --workers`` sets it for each server process from ``--db-connections``)."""
        env = os.environ if env is None else env
        home = Path(env.get("CPSTRUST_HOME") or platformdirs.user_data_dir("cpstrust"))
        url = env.get("CPSTRUST_DATABASE_URL") or f"sqlite:///{home / 'cpstrust.db'}"
        return cls(home=home, database_url=url,
                   database_connections=_connections(env.get(CONNECTIONS_ENV)))


def connections_share(total: int, processes: int) -> int:
    """Each of ``processes`` server processes' share of ``total`` connections (one at
    least: a process without one could answer nothing)."""
    return max(1, total // processes)


def _connections(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:  # isdigit: no sign, space or underscore
        raise InputError("settings_not_a_count", variable=CONNECTIONS_ENV, value=value)
    return int(value)
