"""Installations the use-case tests of signing and trust share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from installations import Vendor, make_vendor

from cpstrust.app.services import Services
from cpstrust.settings import Settings
from cpstrust.store.db import Store


@pytest.fixture
def vendor(services: Services) -> Vendor:
    """The vendor's installation, on ``services``: keys root and release, both trusted."""
    return make_vendor(services)


@pytest.fixture
def site(store: Store, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Services]:
    """Another organisation's installation, empty, on the same kind of database as
    ``store``."""
    url = (request.getfixturevalue("postgres_url") if store.engine.dialect.name == "postgresql"
           else f"sqlite:///{tmp_path / 'site.db'}")
    opened = Store.open(url)
    yield Services(Settings(home=tmp_path / "site", database_url=url), store=opened)
    opened.close()
