"""Times are UTC-aware everywhere in cpstrust."""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """``moment`` with UTC attached when it has no zone: SQLite hands stored times back
    naive, and command-line options are given without one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
