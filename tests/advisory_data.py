"""Shared advisory data (PyPA, Go), parsed once per test session: a plugin of conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpstrust.errors import CpstrustError
from cpstrust.feeds.osv_files import iter_advisories
from cpstrust.model.advisory import Advisory


def _parse_all(root: Path) -> tuple[list[Advisory], list[CpstrustError]]:
    errors: list[CpstrustError] = []
    return list(iter_advisories([root], on_error=errors.append)), errors


@pytest.fixture(scope="session")
def pypa_dir(shared_data: Path) -> Path:
    return shared_data / "advisories" / "pypa" / "vulns"


@pytest.fixture(scope="session")
def go_dir(shared_data: Path) -> Path:
    return shared_data / "advisories" / "go-vulndb" / "osv"


@pytest.fixture(scope="session")
def pypa_parsed(pypa_dir: Path) -> tuple[list[Advisory], list[CpstrustError]]:
    return _parse_all(pypa_dir)


@pytest.fixture(scope="session")
def go_parsed(go_dir: Path) -> tuple[list[Advisory], list[CpstrustError]]:
    return _parse_all(go_dir)


@pytest.fixture(scope="session")
def pypa_advisories(pypa_parsed: tuple[list[Advisory], list[CpstrustError]]) -> list[Advisory]:
    return pypa_parsed[0]


@pytest.fixture(scope="session")
def go_advisories(go_parsed: tuple[list[Advisory], list[CpstrustError]]) -> list[Advisory]:
    return go_parsed[0]
