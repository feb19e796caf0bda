"""`serve` shares PostgreSQL's connections among its server processes, and a process
reads its own number from the environment it was started with."""

from __future__ import annotations

from pathlib import Path

import pytest

from cpstrust.cli.context import AppContext
from cpstrust.cli.serve import _share_connections
from cpstrust.errors import InputError
from cpstrust.messages import Lang
from cpstrust.settings import CONNECTIONS_ENV, SERVED_CONNECTIONS, Settings


def _app(tmp_path: Path, connections: int | None = None) -> AppContext:
    settings = Settings(home=tmp_path, database_url="postgresql+psycopg://u@h/db",
                        database_connections=connections)
    return AppContext(settings=settings, lang=Lang.EN, debug=False)


def test_each_process_gets_an_equal_share_of_the_default(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONNECTIONS_ENV, raising=False)
    app = _app(tmp_path)
    _share_connections(app, None, 8)
    assert app.settings.database_connections == SERVED_CONNECTIONS // 8 == 10
    # the server processes start with this environment, and read it as Settings do
    assert Settings.from_env().database_connections == 10


def test_a_given_total_is_shared_one_at_least(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONNECTIONS_ENV, raising=False)
    app = _app(tmp_path)
    _share_connections(app, 30, 4)
    assert app.settings.database_connections == 7
    _share_connections(app, 2, 4)
    assert app.settings.database_connections == 1


def test_a_number_per_process_from_the_environment_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONNECTIONS_ENV, "15")
    app = _app(tmp_path, Settings.from_env().database_connections)
    _share_connections(app, None, 4)
    assert app.settings.database_connections == 15
    _share_connections(app, 40, 4)  # unless a total is given too
    assert app.settings.database_connections == 10


@pytest.mark.parametrize("value", ["0", "-3", "x", " 5", "5.0", "1_000"])
def test_a_bad_number_in_the_environment_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(InputError) as raised:
        Settings.from_env({"CPSTRUST_HOME": str(tmp_path), CONNECTIONS_ENV: value})
    assert raised.value.code == "settings_not_a_count"
    assert CONNECTIONS_ENV in str(raised.value) and repr(value) in str(raised.value)
