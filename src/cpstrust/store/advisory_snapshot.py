"""The advisories as a one-off scan reads them, through the standard library's sqlite3.

A command-line scan is a new process, and importing SQLAlchemy's ORM and our table
declarations costs it ~0.17 s, more than all its reads (issue 11). So a process that has
not opened the store reads a SQLite database with the same queries as
``store.advisories`` (a test checks that the two read alike): read-only (the file is
opened with ``mode=ro``), in one read transaction (one consistent view), and only a file
whose schema is current. Anything else (another database, a file to migrate or not yet
made) is the store's, which migrates, creates and reports.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from cpstrust.model.advisory import AffectedEntry, VulnerabilityInfo
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store.advisory_rows import (
    chunks,
    decoded_affected,
    names_by_family,
    vulnerability_info,
)
from cpstrust.store.revision import HEAD_REVISION

# The URLs this reader understands: a plain file path after the scheme. SQLAlchemy
# reads others (":memory:", "file:" URIs, query options, %-escapes) its own way.
_SQLITE_SCHEMES = ("sqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL in its plain form, else None."""
    for scheme in _SQLITE_SCHEMES:
        if url.startswith(scheme):
            path = url[len(scheme):]
            if not path or path == ":memory:" or path.startswith("file:") \
                    or any(c in path for c in "?%#"):
                return None
            return Path(path)
    return None


class AdvisorySnapshot:
    """One read transaction on a SQLite advisory database, read-only. Use as a context
    manager: leaving it ends the transaction and closes the file."""

    def __init__(self, connection: sqlite3.Connection, database: str) -> None:
        self._connection = connection
        self.database = database  # the URL it was opened from: names it in caches

    @classmethod
    def open(cls, url: str) -> AdvisorySnapshot | None:
        """A snapshot of the database at ``url``; None when it is not a SQLite file that
        exists with the current schema (the store's to handle)."""
        path = sqlite_file(url)
        if path is None or not path.is_file():
            return None
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                         isolation_level=None)
        except sqlite3.Error:
            return None
        try:
            # As the store's connections (store.db): wait for a writer's checkpoint rather
            # than fail; read pages through the OS cache.
            connection.execute("PRAGMA busy_timeout=30000")
            connection.execute("PRAGMA mmap_size=2147483648")
            connection.execute("BEGIN")  # the reads below see one state of the file
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.Error:  # not our database, or not readable: the store says why
            connection.close()
            return None
        if row is None or row[0] != HEAD_REVISION:
            connection.close()
            return None
        return cls(connection, url)

    def __enter__(self) -> AdvisorySnapshot:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._connection.close()  # ends the read transaction; nothing was written

    def generation(self) -> str | None:
        row = self._connection.execute(
            "SELECT token FROM advisory_generation WHERE id = 1").fetchone()
        return None if row is None else str(row[0])

    def compiled_state(self) -> tuple[str, str] | None:
        row = self._connection.execute(
            "SELECT generation, fingerprint FROM compiled_state WHERE id = 1").fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def any_advisory(self) -> bool:
        return self._connection.execute("SELECT 1 FROM advisory LIMIT 1").fetchone() is not None

    def compiled_records(self, keys: Iterable[PackageKey]) -> dict[PackageKey, bytes]:
        found: dict[PackageKey, bytes] = {}
        for family, names in names_by_family(keys):
            rows = self._connection.execute(
                "SELECT package, data FROM compiled_package "
                f"WHERE ecosystem = ? AND package IN ({_marks(names)})", (family, *names))
            for package, data in rows:
                found[(family, package)] = data
        return found

    def vulnerabilities_of(self, advisory_ids: Iterable[str]) -> dict[str, VulnerabilityInfo]:
        decoded: dict[str, VulnerabilityInfo] = {}
        found: dict[str, VulnerabilityInfo] = {}
        ids = set(advisory_ids)
        for advisory_id, vuln_id, aliases, severity, summary in self._vulnerability_rows(ids):
            if advisory_id in ids:
                found[advisory_id] = vulnerability_info(decoded, vuln_id, aliases, severity,
                                                        summary)
        return found

    def _vulnerability_rows(self, ids: set[str]) -> Iterator[tuple[str, str, str, int, str | None]]:
        """The rows of ``ids``, or of every advisory when they are most of them: a scan of
        a large SBOM asks for nearly all, and one pass over the table took 9 ms where
        chunks of ids took 22 (max(rowid) bounds the row count in one index step)."""
        select = ("SELECT advisory.id, vulnerability.id, vulnerability.aliases, "
                  "vulnerability.severity, vulnerability.summary FROM advisory "
                  "JOIN vulnerability ON vulnerability.id = advisory.vulnerability_id")
        rows_at_most = self._connection.execute("SELECT max(rowid) FROM advisory").fetchone()[0]
        if 2 * len(ids) >= (rows_at_most or 0):
            yield from self._connection.execute(select)
            return
        for chunk in chunks(sorted(ids)):
            yield from self._connection.execute(
                f"{select} WHERE advisory.id IN ({_marks(chunk)})", chunk)

    def affected_entries(self, keys: Iterable[PackageKey],
                         ) -> dict[PackageKey, list[AffectedEntry]]:
        found: dict[PackageKey, list[AffectedEntry]] = defaultdict(list)
        decoded: dict[str, VulnerabilityInfo] = {}
        for family, names in names_by_family(keys):
            rows = self._connection.execute(
                "SELECT affected.package, affected.advisory_id, affected.data, "
                "vulnerability.id, vulnerability.aliases, vulnerability.severity, "
                "vulnerability.summary FROM affected "
                "JOIN advisory ON advisory.id = affected.advisory_id "
                "JOIN vulnerability ON vulnerability.id = advisory.vulnerability_id "
                f"WHERE affected.ecosystem = ? AND affected.package IN ({_marks(names)})",
                (family, *names))
            for package, advisory_id, data, vuln_id, aliases, severity, summary in rows:
                vulnerability = vulnerability_info(decoded, vuln_id, aliases, severity, summary)
                found[(family, package)].append(
                    AffectedEntry(vulnerability, advisory_id, decoded_affected(data)))
        return found


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))
