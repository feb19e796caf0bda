"""The command line on a PostgreSQL whose row-level security binds its role (migration
0023): the maintenance scope every store connection starts in lets it load, scan and
report on every organisation's rows, as on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import run
from sqlalchemy import text

from cpstrust.store.db import Store


def test_demo_loads_scans_and_reports_for_a_role_row_security_binds(
    rls_bound_postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CPSTRUST_DATABASE_URL", rls_bound_postgres_url)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = run("demo")
    assert code == 0, err
    assert "HC-Gateway" in out and "Setouchi Sensors" in out
    store = Store.open(rls_bound_postgres_url)
    try:
        with store.engine.connect() as connection:
            assert connection.execute(text("SELECT row_security_active('component')")).scalar()
            assert connection.execute(text("SELECT count(*) FROM finding")).scalar_one() > 0
    finally:
        store.close()
