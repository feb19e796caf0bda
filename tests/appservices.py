"""The application layer's services over a store a test opened itself."""

from __future__ import annotations

import tempfile
from pathlib import Path

from cpstrust.app.services import Services
from cpstrust.settings import Settings
from cpstrust.store.db import Store


def services_of(store: Store, home: Path | None = None) -> Services:
    home = home or Path(tempfile.mkdtemp(prefix="cpstrust-home-"))
    return Services(Settings(home=home, database_url=str(store.engine.url)), store=store)
