"""An ``AdvisoryLookup`` held in memory: for tests, one-off scans and benchmarks."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from cpstrust.model.advisory import Advisory, AffectedEntry
from cpstrust.packages.ecosystems import PackageKey, ecosystem_family, normalize_name
from cpstrust.vulndb.aliases import merge_aliases
from cpstrust.vulndb.index import PackageAdvisories


class InMemoryAdvisoryLookup:
    """Affected entries indexed by ``(family, normalised name)``, aliases merged.

    Withdrawn advisories are left out. Entries of ecosystems we cannot match are left
    out too and counted in ``skipped_ecosystems`` (ecosystem -> number of entries).
    """

    def __init__(
        self,
        index: Mapping[PackageKey, PackageAdvisories],
        *,
        skipped_ecosystems: Mapping[str, int],
        withdrawn: int,
    ) -> None:
        self._index = index
        self.skipped_ecosystems = MappingProxyType(dict(skipped_ecosystems))
        self.withdrawn = withdrawn

    @classmethod
    def from_advisories(cls, advisories: Iterable[Advisory]) -> InMemoryAdvisoryLookup:
        """Index advisories: drop withdrawn ones, merge aliases, group entries by package."""
        records = list(advisories)
        live = [a for a in records if a.withdrawn is None]
        merged = merge_aliases(live)
        index: dict[PackageKey, list[AffectedEntry]] = defaultdict(list)
        skipped: Counter[str] = Counter()
        for advisory in live:
            vulnerability = merged[advisory.id]
            for package in advisory.affected:
                family = ecosystem_family(package.ecosystem)
                if family is None:
                    skipped[package.ecosystem] += 1
                    continue
                key = (family, normalize_name(family, package.name))
                index[key].append(AffectedEntry(vulnerability, advisory.id, package))
        frozen = {key: PackageAdvisories(entries) for key, entries in index.items()}
        return cls(frozen, skipped_ecosystems=skipped, withdrawn=len(records) - len(live))

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageAdvisories]:
        """Entries for each key that has any; keys with none are absent."""
        found = {}
        for key in keys:
            entries = self._index.get(key)
            if entries:
                found[key] = entries
        return found

    def keys(self) -> Iterable[PackageKey]:
        """Every package that has entries."""
        return self._index.keys()

    def __len__(self) -> int:
        """Number of indexed packages."""
        return len(self._index)
