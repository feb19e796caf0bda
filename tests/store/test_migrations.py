"""The Alembic migrations and the table declarations describe the same schema."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from cpstrust.store.db import Store, alembic_config
from cpstrust.store.revision import HEAD_REVISION
from cpstrust.store.tables import Base


def _ours(name: str | None, kind: str, _parent: object) -> bool:
    """Procrastinate's queue (PostgreSQL, 0022) is its library's schema, not declared here."""
    return not (kind == "table" and name is not None and name.startswith("procrastinate_"))


def test_migrated_schema_equals_declared_tables(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _ours})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_postgresql_store_holds_procrastinates_queue(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    with store.engine.connect() as connection:
        tables = connection.execute(text(
            "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'procrastinate%'")).scalar()
    store.close()
    assert tables == 4


def test_opening_a_current_store_again_is_a_no_op(database_url: str) -> None:
    Store.open(database_url).close()
    again = Store.open(database_url)
    with again.engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
    assert revision == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None and revision >= "0004"
    again.close()


def test_the_head_revision_known_without_alembic_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD_REVISION


def test_a_store_behind_the_head_is_migrated_on_opening(
    database_url: str, downgrade: Callable[[Store, str], None]
) -> None:
    store = Store.open(database_url)
    downgrade(store, "0006")
    store.close()
    again = Store.open(database_url)
    with again.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION
    again.close()


def test_sqlite_store_runs_in_wal_mode(tmp_path: object) -> None:
    store = Store.open(f"sqlite:///{tmp_path}/wal.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
