"""Bulk row writes through the database driver: COPY on PostgreSQL, executemany on SQLite.

SQLAlchemy Core builds a parameter dictionary per row; for the million-row ingests of
SBOM components that cost 20% of the ingest time (ADR 0003). Rows here are plain tuples
in the column order given, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from cpstrust.store.tables import Base, table_of

_BATCH = 5000


def insert_rows(
    session: Session,
    entity: type[Base],
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    fixed: Mapping[str, int] | None = None,
) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``entity``'s table; return count.

    ``fixed`` gives integer columns that are the same in every row (e.g. the id of the
    SBOM the rows belong to), so that callers need not copy every tuple to add them.
    """
    table = table_of(entity)
    fixed = fixed or {}
    for name in (*fixed, *columns):
        if name not in table.c:  # column names are ours, never input; still, fail loudly
            raise ValueError(f"{table.name} has no column {name!r}")
    for name, value in fixed.items():
        if type(value) is not int:  # written into the statement as a literal, so only ints
            raise TypeError(f"fixed column {name!r} must be an int, not {type(value).__name__}")
    driver = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        return _copy(driver, table.name, columns, rows, fixed)
    return _executemany(driver, table.name, columns, rows, fixed)


def _copy(
    driver: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    fixed: Mapping[str, int],
) -> int:
    count = 0
    prefix = tuple(fixed.values())
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join([*fixed, *columns])}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(prefix + row)
            count += 1
    return count


def _executemany(
    driver: Any,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    fixed: Mapping[str, int],
) -> int:
    # Fixed ids go into the statement as literals: one statement per SBOM is compiled
    # once, and no row has to be rebuilt to carry them.
    values = [str(v) for v in fixed.values()] + ["?"] * len(columns)
    sql = f"INSERT INTO {table} ({', '.join([*fixed, *columns])}) VALUES ({', '.join(values)})"
    cursor = driver.cursor()
    try:
        if isinstance(rows, Sequence):  # already in memory: one call, no copying into batches
            cursor.executemany(sql, rows)
            return len(rows)
        count = 0
        iterator = iter(rows)
        while batch := list(islice(iterator, _BATCH)):
            cursor.executemany(sql, batch)
            count += len(batch)
        return count
    finally:
        cursor.close()
