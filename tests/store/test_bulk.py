"""Bulk row writes: every row lands once with its values, whatever the row count."""

from __future__ import annotations

from itertools import chain

import pytest
from sqlalchemy import select

from cpstrust.store import bulk
from cpstrust.store.db import Store
from cpstrust.store.tables import VulnerabilityRow

COLUMNS = ("id", "aliases", "summary")


def _rows(n: int) -> list[tuple[str, str, str | None]]:
    return [(f"V-{i}", f'["A-{i}"]', None if i % 3 else f"summary {i}") for i in range(n)]


def _stored(store: Store) -> list[tuple[object, ...]]:
    with store.transaction() as session:
        rows = session.execute(
            select(
                VulnerabilityRow.id,
                VulnerabilityRow.aliases,
                VulnerabilityRow.summary,
                VulnerabilityRow.severity,
            )
        )
        return sorted(tuple(row) for row in rows)


# Around the 50 rows SQLite inserts per statement: none, short, exact, one over, several.
@pytest.mark.parametrize("count", [0, 1, 49, 50, 51, 173])
def test_every_row_is_written_once_with_its_values(store: Store, count: int) -> None:
    rows = _rows(count)
    values = tuple(chain.from_iterable(rows))
    with store.transaction() as session:
        written = bulk.insert_rows(
            session, VulnerabilityRow, COLUMNS, values, fixed={"severity": 7}
        )
    assert written == count
    assert _stored(store) == sorted((*row, 7) for row in rows)


def test_values_that_do_not_make_whole_rows_are_refused_before_writing(store: Store) -> None:
    values = tuple(chain.from_iterable(_rows(60)))[:-1]
    refused = pytest.raises(ValueError, match="179 values do not make rows of 3 columns")
    with refused, store.transaction() as session:
        bulk.insert_rows(session, VulnerabilityRow, COLUMNS, values, fixed={"severity": 1})
    assert _stored(store) == []


@pytest.mark.parametrize("count", [1, 51])
def test_offset_columns_are_written_plus_the_offset(store: Store, count: int) -> None:
    # None staying None is shown by the dependency edges (test_dependency_edges.py).
    rows = [(f"V-{i}", "[]", i) for i in range(count)]
    with store.transaction() as session:
        bulk.insert_rows(session, VulnerabilityRow, ("id", "aliases", "severity"),
                         tuple(chain.from_iterable(rows)), offsets={"severity": 1000})
        stored = dict(session.execute(select(VulnerabilityRow.id, VulnerabilityRow.severity)).all())
    assert stored == {vid: n + 1000 for vid, _, n in rows}


def test_an_offset_for_a_column_not_written_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="offsets for columns not written"), \
            store.transaction() as session:
        bulk.insert_rows(session, VulnerabilityRow, COLUMNS, (), offsets={"severity": 1})
