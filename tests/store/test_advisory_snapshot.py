"""The advisories read without SQLAlchemy (a one-off scan's snapshot): the same answers as
the store's reads, read-only, one consistent view, and only for a current SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.services import Services
from cpstrust.settings import Settings
from cpstrust.store.advisories import SessionAdvisoryReads, package_keys
from cpstrust.store.advisory_snapshot import AdvisorySnapshot, sqlite_file
from cpstrust.store.db import Store
from cpstrust.store.tables import AdvisoryRow

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"


@pytest.fixture
def imported(tmp_path: Path) -> Iterator[Services]:
    """A SQLite store holding the demo's advisories."""
    url = f"sqlite:///{tmp_path / 'cpstrust.db'}"
    store = Store.open(url)
    services = Services(Settings(home=tmp_path / "home", database_url=url), store=store)
    import_advisory_paths(services, [DEMO / "advisories"])
    yield services
    store.close()


def _snapshot(services: Services) -> AdvisorySnapshot:
    snapshot = AdvisorySnapshot.open(services.settings.database_url)
    assert snapshot is not None
    return snapshot


def test_a_snapshot_reads_what_the_store_reads(imported: Services) -> None:
    with imported.store.transaction() as session, _snapshot(imported) as snapshot:
        store = SessionAdvisoryReads(session)
        keys = package_keys(session)
        ids = list(session.scalars(select(AdvisoryRow.id)))
        assert keys and ids
        unknown = [("pypi", "no-such-package")]
        assert snapshot.generation() == store.generation() is not None
        assert snapshot.compiled_state() == store.compiled_state() is not None
        assert snapshot.any_advisory() and store.any_advisory()
        assert snapshot.compiled_records(keys + unknown) == store.compiled_records(keys)
        assert snapshot.vulnerabilities_of([*ids, "NO-SUCH-ID"]) == \
            store.vulnerabilities_of(ids)  # most of the table: read in one pass
        assert snapshot.vulnerabilities_of([*ids[:3], "NO-SUCH-ID"]) == \
            store.vulnerabilities_of(ids[:3])  # a few: read by id
        assert snapshot.affected_entries(keys + unknown) == store.affected_entries(keys)


def test_a_snapshot_sees_one_state_of_the_database(imported: Services, tmp_path: Path) -> None:
    with _snapshot(imported) as snapshot:
        before = snapshot.generation()
        added = tmp_path / "added"
        added.mkdir()
        (added / "TEST-1.json").write_bytes(orjson.dumps({
            "schema_version": "1.6.0", "id": "TEST-1", "modified": "2026-12-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": "example"},
                          "versions": ["1.0"]}]}))
        import_advisory_paths(imported, [added])  # a writer, while the snapshot reads
        with imported.store.transaction() as session:
            assert SessionAdvisoryReads(session).generation() != before
        assert snapshot.generation() == before
        assert snapshot.compiled_records([("pypi", "example")]) == {}


def test_a_snapshot_writes_nothing(imported: Services) -> None:
    with _snapshot(imported) as snapshot, pytest.raises(sqlite3.OperationalError,
                                                        match="readonly"):
        snapshot._connection.execute("DELETE FROM advisory")


def test_a_missing_file_is_the_stores_to_create(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    assert AdvisorySnapshot.open(f"sqlite:///{path}") is None
    assert not path.exists()


def test_a_file_that_is_not_our_database_is_the_stores_to_report(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all" * 100)
    assert AdvisorySnapshot.open(f"sqlite:///{other}") is None
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE t (x)").connection.close()
    assert AdvisorySnapshot.open(f"sqlite:///{empty}") is None


def test_a_database_to_migrate_is_the_stores(
    imported: Services, downgrade: Callable[[Store, str], None]
) -> None:
    downgrade(imported.store, "0007")
    assert AdvisorySnapshot.open(imported.settings.database_url) is None


@pytest.mark.parametrize("url", [
    "sqlite://", "sqlite:///:memory:", "sqlite:///file:x.db?uri=true", "sqlite:///x.db?mode=ro",
    "sqlite:///a%20b.db", "postgresql+psycopg://user@localhost/cpstrust", "sqlite:///",
])
def test_only_a_plain_sqlite_file_url_is_read_without_the_store(url: str) -> None:
    assert sqlite_file(url) is None
    assert AdvisorySnapshot.open(url) is None


def test_a_plain_sqlite_file_url_names_its_file() -> None:
    assert sqlite_file("sqlite:////var/lib/cpstrust/cpstrust.db") == \
        Path("/var/lib/cpstrust/cpstrust.db")
    assert sqlite_file("sqlite+pysqlite:///relative.db") == Path("relative.db")
