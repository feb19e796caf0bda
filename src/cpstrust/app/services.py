"""What the use cases work with, built once by the entry point (a CLI run, a server):
the store, the keyring, the cache directory, and the caches that live as long as it."""

from __future__ import annotations

from pathlib import Path

from cpstrust.app.advisory_lookup import AdvisoryCache
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from cpstrust.store.trust import TrustStoreCache
from cpstrust.trust.keyring import Keyring


class Services:
    """The store opens (and migrates) on first use: commands that need no database,
    such as key management, never touch it."""

    def __init__(self, settings: Settings, *, store: Store | None = None) -> None:
        self.settings = settings
        self._store = store
        # Kept as long as these services: what scans read of the advisories, and the
        # parsed trust store a verifier checks each report against.
        self.advisory_cache = AdvisoryCache()
        self.trust_cache = TrustStoreCache()

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.settings.database_url)
        return self._store

    @property
    def keyring(self) -> Keyring:
        return Keyring(self.settings.keys_dir)

    @property
    def cache_dir(self) -> Path:
        return self.settings.cache_dir

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
