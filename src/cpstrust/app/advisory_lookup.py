"""The advisory database as matching sees it (``vulndb.interface.AdvisoryLookup``): each
package's index, read back from the compiled records the store keeps (compiled at
import, ``compile_changed``) or compiled from its entries, and kept while it holds.

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
from typing import Any

import orjson
from sqlalchemy.orm import Session

from cpstrust.model.advisory import VulnerabilityInfo
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store.advisories import (
    advisory_generation,
    affected_entries,
    compiled_records,
    compiled_state,
    package_keys,
    save_compiled,
    vulnerabilities_of,
)
from cpstrust.vulndb.index import PackageAdvisories, PackageIndex

# Packages kept per database before the cache starts again: the whole OSV export is
# ~60,000 packages; a scan of a 10,000-component SBOM asks for ~2,000.
_MAX_KEPT_PACKAGES = 250_000
_MAX_KEPT_DATABASES = 4  # a process rarely works on more (the tests open hundreds)


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

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageIndexes]:
        wanted = set(keys)
        kept = self._cache.kept_for(self._session)
        with kept.lock:
            missing = [key for key in wanted if key not in kept.packages]
            if kept.compiled is None:
                kept.compiled = compiled_state(self._session) == (kept.generation,
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
                    for key, entries in affected_entries(self._session, keys).items()}
        records = {key: orjson.loads(data)
                   for key, data in compiled_records(self._session, keys).items()}
        vulnerabilities = vulnerabilities_of(self._session, (
            entry[0] for record in records.values() for entry in record["entries"]))
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


def compile_changed(session: Session, changed: Iterable[PackageKey], before: str | None) -> None:
    """After an import (which moved the advisories from generation ``before`` to a new
    one, or left them as they were): compile the packages it changed, or every package
    when the records were not complete for ``before`` or were compiled by other code (an
    upgrade), and keep their records; nothing when they are complete already."""
    after = advisory_generation(session)
    fingerprint = index_fingerprint()
    state = compiled_state(session)
    if after is None or state == (after, fingerprint):
        return
    keys = set(changed)
    if state != (before, fingerprint):
        keys.update(package_keys(session))
    records: dict[PackageKey, bytes | None] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _COMPILE_CHUNK):
        chunk = ordered[start : start + _COMPILE_CHUNK]
        found = affected_entries(session, chunk)
        for key in chunk:
            entries = found.get(key)
            records[key] = None if not entries else orjson.dumps(
                PackageIndex(key[0], entries, bisect_after=0).record())
    save_compiled(session, records, generation=after, fingerprint=fingerprint)


_COMPILE_CHUNK = 500
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
