"""The seam between matching and where advisories are kept (memory or the store)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from cpstrust.packages.ecosystems import PackageKey
from cpstrust.vulndb.index import PackageIndex


class PackageEntries(Protocol):
    """Every affected entry naming one package, as indexes: built from the entries
    (``index.PackageAdvisories``) or read back from a compiled record."""

    def index(self, family: str, distro: str | None = None) -> PackageIndex:
        """The index for ``family`` (and ``distro``: entries of other distros left out)."""
        ...


class AdvisoryLookup(Protocol):
    """Answers: which affected entries name these packages?"""

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageEntries]:
        """Entries for each key that has any; keys with none are absent."""
        ...
