"""Settings, read from the environment once, at the edge (CLI or service start-up)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path  # per-user data directory: database, advisory cache
    database_url: str

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
        database (e.g. ``postgresql+psycopg://user@host/db``); default SQLite in home."""
        env = os.environ if env is None else env
        home = Path(env.get("CPSTRUST_HOME") or platformdirs.user_data_dir("cpstrust"))
        url = env.get("CPSTRUST_DATABASE_URL") or f"sqlite:///{home / 'cpstrust.db'}"
        return cls(home=home, database_url=url)
