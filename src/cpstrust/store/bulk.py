"""Bulk row writes through the database driver: COPY on PostgreSQL, multi-row INSERTs on
SQLite.

SQLAlchemy Core builds a parameter dictionary per row; for the million-row ingests of
SBOM components that cost 20% of the ingest time (ADR 0003). Rows here come laid end to
end in one flat sequence of values, in the column order given, and are written inside
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cpstrust.store.tables import Base, table_of

# SQLite: one INSERT of 50 rows (VALUES (...), (...), ...) instead of 50 executions of a
# one-row INSERT cut the row writes by a quarter: fewer steps, resets, and mutex and GIL
# round trips per row (ADR 0003). 999 host parameters: older SQLite's limit.
_ROWS_PER_STATEMENT = 50
_MAX_PARAMETERS = 999


def insert_rows(
    session: Session,
    entity: type[Base],
    columns: Sequence[str],
    values: Sequence[Any],
    *,
    fixed: Mapping[str, int] | None = None,
    offsets: Mapping[str, int] | None = None,
) -> int:
    """Insert rows into ``entity``'s table; return how many.

    ``values`` holds each row's values in ``columns`` order, one row after another.
    ``fixed`` gives integer columns that are the same in every row (e.g. the id of the
    SBOM the rows belong to), so that callers need not repeat them in every row.
    ``offsets`` gives integer columns whose values are written plus an offset (None
    stays None): positions in a list that become ids once its first id is known.
    """
    table = table_of(entity)
    fixed = fixed or {}
    offsets = offsets or {}
    for name in (*fixed, *columns, *offsets):
        if name not in table.c:  # column names are ours, never input; still, fail loudly
            raise ValueError(f"{table.name} has no column {name!r}")
    for name, value in (*fixed.items(), *offsets.items()):
        if type(value) is not int:  # written into the statement as a literal, so only ints
            raise TypeError(f"column {name!r} takes an int, not {type(value).__name__}")
    if not set(offsets) <= set(columns):
        raise ValueError(f"offsets for columns not written: {sorted(set(offsets) - set(columns))}")
    if len(values) % len(columns):  # a short row would shift later values into other columns
        raise ValueError(f"{len(values)} values do not make rows of {len(columns)} columns")
    driver = session.connection().connection.driver_connection
    if session.get_bind().dialect.name == "postgresql":
        _copy(driver, table.name, columns, values, fixed, offsets)
    else:
        _insert_many(driver, table.name, columns, values, fixed, offsets)
    return len(values) // len(columns)


def as_bound(session: Session, entity: type[Base], column: str, value: Any) -> Any:
    """``value`` as SQLAlchemy would bind it to ``column`` on this database, for values
    written through ``insert_rows`` (which bypasses SQLAlchemy's types): e.g. a datetime
    as the text SQLite stores, so that rows read back alike however they were written.
    Done once per value, not per row."""
    dialect = session.get_bind().dialect
    process = table_of(entity).c[column].type.bind_processor(dialect)
    bound = process(value) if process is not None else value
    if dialect.name == "sqlite" and isinstance(bound, datetime):
        return bound.isoformat(" ")  # what sqlite3's adapter writes, here once per value
    return bound


def _copy(
    driver: Any, table: str, columns: Sequence[str], values: Sequence[Any],
    fixed: Mapping[str, int], offsets: Mapping[str, int],
) -> None:
    prefix = tuple(fixed.values())
    shifts = [(i, offsets[c]) for i, c in enumerate(columns) if c in offsets]
    names = ", ".join([*fixed, *columns])
    with driver.cursor() as cursor:
        # PostgreSQL refuses COPY into a table whose row-level security binds this role
        # (a tenant's transaction, migration 0023): the rows go to a temporary table
        # first, and from there through one INSERT that the policies check.
        cursor.execute("SELECT row_security_active(%s)", (table,))
        checked = bool(cursor.fetchone()[0])
        target = f"cpstrust_bulk_{table}" if checked else table
        if checked:
            cursor.execute(f"CREATE TEMPORARY TABLE {target} ON COMMIT DROP AS "
                           f"SELECT {names} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for start in range(0, len(values), len(columns)):
                row = list(values[start : start + len(columns)])
                for i, offset in shifts:
                    if row[i] is not None:
                        row[i] += offset
                copy.write_row((*prefix, *row))
        if checked:
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {target}")
            cursor.execute(f"DROP TABLE {target}")


def _insert_many(
    driver: Any, table: str, columns: Sequence[str], values: Sequence[Any],
    fixed: Mapping[str, int], offsets: Mapping[str, int],
) -> None:
    # Fixed ids and offsets go into the statement as literals: one statement per SBOM is
    # compiled once, and no row has to be rebuilt to carry them (NULL + n is NULL).
    placeholders = [f"? + {offsets[c]}" if c in offsets else "?" for c in columns]
    one_row = f"({', '.join([str(v) for v in fixed.values()] + placeholders)})"
    insert = f"INSERT INTO {table} ({', '.join([*fixed, *columns])}) VALUES "
    rows = max(1, min(_ROWS_PER_STATEMENT, _MAX_PARAMETERS // len(columns)))
    chunk = rows * len(columns)
    whole = len(values) - len(values) % chunk
    cursor = driver.cursor()
    try:
        cursor.executemany(insert + ", ".join([one_row] * rows), _slices(values, chunk, whole))
        if whole < len(values):
            rest = values[whole:]
            cursor.execute(insert + ", ".join([one_row] * (len(rest) // len(columns))), rest)
    finally:
        cursor.close()


def _slices(values: Sequence[Any], size: int, end: int) -> Iterator[Sequence[Any]]:
    for start in range(0, end, size):
        yield values[start : start + size]
