"""The Alembic migrations and the table declarations describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from cpstrust.store.db import Store, _alembic_config
from cpstrust.store.tables import Base


def test_migrated_schema_equals_declared_tables(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_opening_a_current_store_again_is_a_no_op(database_url: str) -> None:
    Store.open(database_url).close()
    again = Store.open(database_url)
    with again.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    assert revision == ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert revision is not None and revision >= "0004"
    again.close()


def test_sqlite_store_runs_in_wal_mode(tmp_path: object) -> None:
    store = Store.open(f"sqlite:///{tmp_path}/wal.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
