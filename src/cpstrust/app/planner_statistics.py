"""When a transaction that fills tables in bulk refreshes their planner statistics
(PostgreSQL; ADR 0025). Autovacuum refreshes them after a commit; a batch that makes a
table several times larger is otherwise planned, to its end, on the table as it was."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from cpstrust.store.statistics import refresh_statistics, table_growth
from cpstrust.store.tables import Base

logger = logging.getLogger(__name__)

# A table twice the size its statistics counted may need other plans; past that, each
# refresh doubles what the next waits for, so a batch refreshes a table ~log2(growth) times.
GROWTH_FACTOR = 2
# Below 1 MiB (128 pages of 8 KiB) a table is read whole in about a millisecond: no plan
# of it is worth an ANALYZE.
SMALL_PAGES = 128


def refresh_outgrown_statistics(session: Session,
                                entities: Sequence[type[Base]]) -> list[type[Base]]:
    """Refresh the statistics of those of ``entities`` whose tables outgrew them, inside
    the caller's transaction; which were refreshed."""
    outgrown = [growth.entity for growth in table_growth(session, entities)
                if growth.pages > max(SMALL_PAGES, GROWTH_FACTOR * growth.counted_pages)]
    if outgrown:
        logger.info("planner statistics refreshed: %s",
                    ", ".join(entity.__name__ for entity in outgrown))
        refresh_statistics(session, outgrown)
    return outgrown
