"""The service's fixtures: the four tenants of ``tenants.py`` and a client of the API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tenants import Tenants, populate

from cpstrust.app.services import Services
from cpstrust.service.api import ServiceSettings, create_app


@pytest.fixture
def tenants(services: Services) -> Tenants:
    return populate(services)


@pytest.fixture
def client(tenants: Tenants, tmp_path: Path) -> Iterator[TestClient]:
    settings = ServiceSettings(upload_dir=tmp_path)
    with TestClient(create_app(tenants.services, settings)) as test_client:
        yield test_client
