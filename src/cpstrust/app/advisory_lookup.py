"""The advisory database as matching sees it (``vulndb.interface.AdvisoryLookup``): the
store's entries per package, compiled into indexes and kept while they hold."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store.advisories import advisory_generation, affected_entries
from cpstrust.vulndb.index import PackageAdvisories

# Packages kept per database before the cache starts again: the whole OSV export is
# ~60,000 packages; a scan of a 10,000-component SBOM asks for ~2,000.
_MAX_KEPT_PACKAGES = 250_000
_MAX_KEPT_DATABASES = 4  # a process rarely works on more (the tests open hundreds)


@dataclass(slots=True)
class _Kept:
    """What lookups read from one database in one advisory generation."""

    generation: str
    packages: dict[PackageKey, PackageAdvisories | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class AdvisoryCache:
    """What lookups read (packages with their compiled indexes, and packages without
    advisories), per database, for as long as its advisory generation holds: later scans
    then neither query again nor rebuild indexes. Owned by the entry point (``Services``);
    safe to share between threads."""

    def __init__(self) -> None:
        self._databases: dict[str, _Kept] = {}  # URL -> what was read in its newest generation
        self._lock = threading.Lock()

    def kept_for(self, session: Session) -> _Kept:
        """The packages kept for the session's database, emptied when its generation
        changed."""
        generation = advisory_generation(session)
        if generation is None:  # the row was removed by hand: keep nothing
            return _Kept("")
        database = session.get_bind().engine.url.render_as_string(hide_password=True)
        with self._lock:
            kept = self._databases.get(database)
            if kept is None or kept.generation != generation:
                self._databases.pop(database, None)
                while len(self._databases) >= _MAX_KEPT_DATABASES:  # least recently changed
                    del self._databases[next(iter(self._databases))]
                kept = self._databases[database] = _Kept(generation)
            return kept


class SqlAdvisoryLookup:
    """AdvisoryLookup over the store. With a ``cache``, what was read is kept (see
    ``AdvisoryCache``); without one, for this lookup only."""

    def __init__(self, session: Session, cache: AdvisoryCache | None = None) -> None:
        self._session = session
        self._cache = cache or AdvisoryCache()

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageAdvisories]:
        wanted = set(keys)
        kept = self._cache.kept_for(self._session)
        with kept.lock:
            missing = [key for key in wanted if key not in kept.packages]
        found = affected_entries(self._session, missing) if missing else {}
        with kept.lock:
            if len(kept.packages) + len(missing) > _MAX_KEPT_PACKAGES:
                kept.packages.clear()
            for key in missing:
                entries = found.get(key)
                kept.packages[key] = PackageAdvisories(entries) if entries else None
            return {key: p for key in wanted if (p := kept.packages.get(key)) is not None}
