"""The advisory database as matching sees it (``vulndb.interface.AdvisoryLookup``): each
package's index, read back from the compiled records the store keeps (compiled at
import, see ``advisories``) or compiled from its entries, and kept while it holds. What
is read comes through ``AdvisoryReads``: the store's session or, in a process that has
not opened the store, a snapshot read without the ORM (``Services.advisory_reads``).

A compiled record is used only when the store says its compiled packages are complete
for the current advisory generation, compiled by this very code: the fingerprint of the
modules that decide a record (version ordering, ranges, regions) is part of the state.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

import orjson

from cpstrust.model.advisory import AffectedEntry, VulnerabilityInfo
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.vulndb.index import PackageAdvisories, PackageIndex

# Packages kept per database before the cache starts again: the whole OSV export is
# ~60,000 packages; a scan of a 10,000-component SBOM asks for ~2,000.
_MAX_KEPT_PACKAGES = 250_000
_MAX_KEPT_DATABASES = 4  # a process rarely works on more (the tests open hundreds)


class AdvisoryReads(Protocol):
    """What a lookup reads of the stored advisories, all in one transaction
    (``store.advisories.SessionAdvisoryReads``, ``store.advisory_snapshot``)."""

    @property
    def database(self) -> str:
        """Names the database in caches (its URL, without a password)."""
        ...

    def generation(self) -> str | None: ...
    def compiled_state(self) -> tuple[str, str] | None: ...
    def any_advisory(self) -> bool: ...
    def compiled_records(self, keys: Iterable[PackageKey]) -> dict[PackageKey, bytes]: ...
    def vulnerabilities_of(self, advisory_ids: Iterable[str],
                           ) -> dict[str, VulnerabilityInfo]: ...
    def affected_entries(self, keys: Iterable[PackageKey],
                         ) -> dict[PackageKey, list[AffectedEntry]]: ...


@dataclass(slots=True)
class _Kept:
    """What lookups read from one database in one advisory generation."""

    generation: str
    packages: dict[PackageKey, PackageIndexes | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    compiled: bool | None = None  # whether the store's compiled records serve this generation


class AdvisoryCache:
    """What lookups read (packages with their compiled indexes, and packages without
    advisories), per database, for as long as its advisory generation holds: later scans
    then neither query again nor rebuild indexes. Owned by the entry point (``Services``);
    safe to share between threads."""

    def __init__(self) -> None:
        self._databases: dict[str, _Kept] = {}  # URL -> what was read in its newest generation
        self._lock = threading.Lock()

    def kept_for(self, reads: AdvisoryReads) -> _Kept:
        """The packages kept for the database ``reads`` reads, emptied when its
        generation changed."""
        generation = reads.generation()
        if generation is None:  # the row was removed by hand: keep nothing
            return _Kept("")
        database = reads.database
        with self._lock:
            kept = self._databases.get(database)
            if kept is None or kept.generation != generation:
                self._databases.pop(database, None)
                while len(self._databases) >= _MAX_KEPT_DATABASES:  # least recently changed
                    del self._databases[next(iter(self._databases))]
                kept = self._databases[database] = _Kept(generation)
            return kept


class StoredAdvisoryLookup:
    """AdvisoryLookup over the stored advisories. With a ``cache``, what was read is kept
    (see ``AdvisoryCache``); without one, for this lookup only."""

    def __init__(self, reads: AdvisoryReads, cache: AdvisoryCache | None = None) -> None:
        self._reads = reads
        self._cache = cache or AdvisoryCache()

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageIndexes]:
        wanted = set(keys)
        kept = self._cache.kept_for(self._reads)
        with kept.lock:
            missing = [key for key in wanted if key not in kept.packages]
            if kept.compiled is None:
                kept.compiled = self._reads.compiled_state() == (kept.generation,
                                                                 index_fingerprint())
        found = self._read(missing, kept.compiled) if missing else {}
        with kept.lock:
            if len(kept.packages) + len(missing) > _MAX_KEPT_PACKAGES:
                kept.packages.clear()
            for key in missing:
                kept.packages[key] = found.get(key)
            return {key: p for key in wanted if (p := kept.packages.get(key)) is not None}

    def _read(self, keys: list[PackageKey], compiled: bool) -> dict[PackageKey, PackageIndexes]:
        if not compiled:
            return {key: PackageAdvisories(entries)
                    for key, entries in self._reads.affected_entries(keys).items()}
        records = {key: orjson.loads(data)
                   for key, data in self._reads.compiled_records(keys).items()}
        vulnerabilities = self._reads.vulnerabilities_of(
            entry[0] for record in records.values() for entry in record["entries"])
        return {key: CompiledAdvisories(key[0], record, vulnerabilities)
                for key, record in records.items()}


class CompiledAdvisories:
    """A package's advisories read back from its compiled record: an index per distro,
    each read when first asked for."""

    __slots__ = ("_family", "_indexes", "_record", "_vulnerabilities")

    def __init__(self, family: str, record: dict[str, Any],
                 vulnerabilities: Mapping[str, VulnerabilityInfo]) -> None:
        self._family = family
        self._record = record
        self._vulnerabilities = vulnerabilities
        self._indexes: dict[str | None, PackageIndex] = {}

    def index(self, family: str, distro: str | None = None) -> PackageIndex:
        found = self._indexes.get(distro)
        if found is None:
            found = self._indexes[distro] = PackageIndex.from_record(
                self._family, self._record, self._vulnerabilities, distro)
        return found


PackageIndexes = PackageAdvisories | CompiledAdvisories


# The modules whose code decides what a compiled record says.
_COMPILER_MODULES = ("cpstrust.vulndb.ranges", "cpstrust.vulndb.regions",
                     "cpstrust.vulndb.bisection", "cpstrust.vulndb.index")


@cache
def index_fingerprint() -> str:
    """SHA-256 over the source of the modules that decide a compiled record, so that a
    record compiled by other code (an upgrade, a developer's change) is never used."""
    digest = hashlib.sha256()
    packages = resources.files("cpstrust.packages")
    sources = sorted((p for p in packages.iterdir() if p.name.endswith(".py")),
                     key=lambda p: p.name)
    for source in sources:
        digest.update(source.read_bytes())
    for module in _COMPILER_MODULES:
        package, _, name = module.rpartition(".")
        digest.update(resources.files(package).joinpath(f"{name}.py").read_bytes())
    return digest.hexdigest()
