"""Planner statistics of the tables a batch fills: refreshed inside its transaction once a
table outgrew them (PostgreSQL), never taken on SQLite (ADR 0025)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy import text
from sqlalchemy.orm import Session

from cpstrust.app.planner_statistics import refresh_outgrown_statistics
from cpstrust.app.sbom_batch import SbomToImport, store_batch
from cpstrust.app.sboms import import_sboms
from cpstrust.app.services import Services
from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from cpstrust.store.tables import ComponentRow, FindingRow

# Enough components to fill the component table past 1 MiB, where statistics start to count.
COMPONENTS = 8_000


def _large_sbom(path: Path) -> Path:
    path.write_bytes(orjson.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "components": [{"type": "library", "bom-ref": f"c{i}", "name": f"package-{i}",
                        "version": "1.0.0", "purl": f"pkg:pypi/package-{i}@1.0.0"}
                       for i in range(COMPONENTS)],
    }))
    return path


def _has_statistics(session: Session, table: str) -> bool:
    return bool(session.scalar(text("SELECT count(*) FROM pg_stats WHERE tablename = :t"),
                               {"t": table}))


def test_a_table_the_transaction_outgrew_is_analysed_within_it_once(postgres_url: str,
                                                                    tmp_path: Path) -> None:
    store = Store.open(postgres_url)
    item = SbomToImport(_large_sbom(tmp_path / "large.cdx.json"), "large", "1.0", "Supplier")
    with store.transaction() as session:
        store_batch(session, [item], evaluate=False, limits=DEFAULT_LIMITS, workers=1,
                    at=datetime.now(UTC))
        assert not _has_statistics(session, "component")
        # The finding table stayed empty: below 1 MiB no plan of it is worth an ANALYZE.
        assert refresh_outgrown_statistics(session, [ComponentRow, FindingRow]) == [ComponentRow]
        assert _has_statistics(session, "component")  # this transaction's rows counted
        assert refresh_outgrown_statistics(session, [ComponentRow, FindingRow]) == []
    store.close()


def test_a_batch_into_a_fresh_store_leaves_its_statistics_taken(postgres_url: str,
                                                               tmp_path: Path) -> None:
    store = Store.open(postgres_url)
    services = Services(Settings(home=tmp_path / "home", database_url=postgres_url),
                        store=store)
    import_sboms(services, [SbomToImport(_large_sbom(tmp_path / "large.cdx.json"), "large",
                                         "1.0", "Supplier")], workers=1)
    with store.transaction() as session:
        # last_analyze: an ANALYZE run by a session (autovacuum's is last_autoanalyze)
        analysed = session.scalar(text(
            "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'component'"))
    store.close()
    assert analysed


def test_sqlite_is_never_analysed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cpstrust.db'}"
    store = Store.open(url)
    services = Services(Settings(home=tmp_path / "home", database_url=url), store=store)
    import_sboms(services, [SbomToImport(_large_sbom(tmp_path / "large.cdx.json"), "large",
                                         "1.0", "Supplier")], workers=1)
    with store.transaction() as session:
        assert refresh_outgrown_statistics(session, [ComponentRow, FindingRow]) == []
        assert session.scalar(text(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")) == 0
    store.close()
