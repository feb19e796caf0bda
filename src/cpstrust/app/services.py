"""What the use cases work with, built once by the entry point (a CLI run, a server):
the store, the keyring, the cache directory, and the caches that live as long as it.

The store, the trust store cache and the keyring are imported when first used: a
command-line scan of a file reads the advisories without SQLAlchemy (``advisory_reads``),
whose import alone would cost it ~0.17 s (issue 11).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cpstrust.app.advisory_lookup import AdvisoryCache, AdvisoryReads
from cpstrust.settings import Settings
from cpstrust.store.advisory_snapshot import AdvisorySnapshot

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cpstrust.model.identity import Caller
    from cpstrust.store.db import Store
    from cpstrust.store.trust import TrustStoreCache
    from cpstrust.trust.keyring import Keyring


class Services:
    """The store opens (and migrates) on first use: commands that need no database,
    such as key management, never touch it."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        # Kept as long as these services: what scans read of the advisories.
        self.advisory_cache = AdvisoryCache()

    @property
    def store(self) -> Store:
        if self._store is None:
            from cpstrust.store.db import Store

            self._store = Store.open(self.settings.database_url,
                                     self.settings.database_connections)
        return self._store

    @contextmanager
    def tenant_transaction(self, caller: Caller) -> Iterator[Session]:
        """One transaction of a tenant's request: on PostgreSQL, row-level security holds
        it to what ``caller``'s organisation may see and change (migration 0023), behind
        the filters every tenant query has (``store.tenancy``)."""
        with self.store.transaction(tenant=caller.organisation_id) as session:
            yield session

    @cached_property
    def trust_cache(self) -> TrustStoreCache:
        """The parsed trust store a verifier checks each report against, kept."""
        from cpstrust.store.trust import TrustStoreCache

        return TrustStoreCache()

    @property
    def keyring(self) -> Keyring:
        from cpstrust.trust.keyring import Keyring

        return Keyring(self.settings.keys_dir)

    @property
    def cache_dir(self) -> Path:
        return self.settings.cache_dir

    @contextmanager
    def advisory_reads(self) -> Iterator[AdvisoryReads]:
        """The stored advisories, read in one transaction. Until the store is opened (a
        command-line scan of a file), a current SQLite database is read through the
        standard library alone (``store.advisory_snapshot``); otherwise, or for any other
        database, through the store."""
        if self._store is None:
            snapshot = AdvisorySnapshot.open(self.settings.database_url)
            if snapshot is not None:
                with snapshot:
                    yield snapshot
                return
        from cpstrust.store.advisories import SessionAdvisoryReads

        with self.store.transaction() as session:
            yield SessionAdvisoryReads(session)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
