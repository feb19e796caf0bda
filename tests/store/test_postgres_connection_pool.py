"""A loaded server's PostgreSQL connections are kept between transactions, not closed
and opened again (each a new backend that reads its catalogues anew)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from cpstrust.store.db import Store

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
