"""The query planner's statistics of tables a transaction fills in bulk (PostgreSQL).

PostgreSQL plans each statement from the statistics ANALYZE took of a table's columns.
Autovacuum takes them only of committed rows, so a batch that fills a fresh or small
table in one transaction is planned on the table as it was: with no statistics of
``finding.component_id`` the planner reads "500 component ids" as every row and scans the
table once per 500 components (a 100 x 1,000-component import into a fresh store: 1.5-1.9 s
a read, 200 reads). ANALYZE run inside the transaction counts the transaction's own rows.
SQLite's planner uses no statistics unless ANALYZE was run, which cpstrust never does: on
SQLite there is nothing to measure or refresh here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from cpstrust.store.tables import Base, table_of


@dataclass(frozen=True, slots=True)
class TableGrowth:
    """A table's size in pages when its statistics were taken, and now (this
    transaction's rows included)."""

    entity: type[Base]
    counted_pages: int
    pages: int


def table_growth(session: Session, entities: Sequence[type[Base]]) -> list[TableGrowth]:
    """The growth of each of ``entities``' tables since its statistics were taken; none on
    a database whose planner keeps no statistics (SQLite)."""
    if session.get_bind().dialect.name != "postgresql" or not entities:
        return []
    by_name = {table_of(entity).name: entity for entity in entities}
    rows = session.execute(
        text("SELECT relname, relpages, "
             "pg_relation_size(oid) / current_setting('block_size')::int "
             "FROM pg_class WHERE oid = ANY(CAST(:names AS regclass[]))"),
        {"names": list(by_name)},
    )
    return [TableGrowth(by_name[name], counted, now) for name, counted, now in rows]


def refresh_statistics(session: Session, entities: Sequence[type[Base]]) -> None:
    """Take the planner's statistics of ``entities``' tables inside the caller's transaction
    (PostgreSQL). A table another transaction is analysing (its lock is held to that
    transaction's end) is skipped rather than waited for: its plans stay as they were."""
    if session.get_bind().dialect.name != "postgresql" or not entities:
        return
    names = ", ".join(table_of(entity).name for entity in entities)  # our names, never input
    session.execute(text(f"ANALYZE (SKIP_LOCKED) {names}"))
