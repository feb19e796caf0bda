"""The seam between matching and where advisories are kept (memory or the store)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from cpstrust.packages.ecosystems import PackageKey
from cpstrust.vulndb.index import PackageAdvisories


class AdvisoryLookup(Protocol):
    """Answers: which affected entries name these packages?"""

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageAdvisories]:
        """Entries for each key that has any; keys with none are absent."""
        ...
