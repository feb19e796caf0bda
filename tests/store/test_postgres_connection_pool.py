"""A loaded server's PostgreSQL connections are kept between transactions, not closed
and opened again (each a new backend that reads its catalogues anew)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from cpstrust.store.db import POOL_CONNECTIONS, POOL_KEPT, POOL_OVERFLOW, Store, pool_sizes

AT_ONCE = 12  # more than SQLAlchemy's default pool keeps (5), fewer than it opens (15)


def _backends_at_once(store: Store) -> set[int]:
    """The backend of each of AT_ONCE transactions open at the same moment."""
    together = threading.Barrier(AT_ONCE)

    def one() -> int:
        with store.transaction() as session:
            backend = int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())
            together.wait(timeout=30)  # all open at once: each holds its own connection
            return backend

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return set(pool.map(lambda _: one(), range(AT_ONCE)))


def test_connections_are_kept_for_the_next_requests(postgres_url: str) -> None:
    store = Store.open(postgres_url)
    try:
        first = _backends_at_once(store)
        again = _backends_at_once(store)
    finally:
        store.close()
    assert len(first) == AT_ONCE
    assert again == first


def test_a_process_opens_no_more_connections_than_it_is_given(postgres_url: str) -> None:
    """`serve --workers N` gives each server process its share of the connections: more
    requests at once than that wait for one, and PostgreSQL never sees more backends."""
    store = Store.open(postgres_url, connections=3)

    def one() -> int:
        with store.transaction() as session:
            backends = int(session.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )).scalar_one())
            time.sleep(0.05)  # held: the other threads ask for connections meanwhile
            return backends

    try:
        with ThreadPoolExecutor(AT_ONCE) as pool:
            seen = list(pool.map(lambda _: one(), range(AT_ONCE)))
    finally:
        store.close()
    assert len(seen) == AT_ONCE  # every transaction was served, in turn
    assert 2 <= max(seen) <= 3


def test_pool_sizes_keep_four_fifths_of_the_connections() -> None:
    assert pool_sizes(POOL_CONNECTIONS) == (POOL_KEPT, POOL_OVERFLOW)
    assert pool_sizes(10) == (8, 2)
    assert pool_sizes(1) == (1, 0)
