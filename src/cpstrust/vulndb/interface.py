"""The seam between matching and where advisories are kept (memory or the store)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cpstrust.model.advisory import AffectedPackage, Severity
from cpstrust.packages.ecosystems import PackageKey

if TYPE_CHECKING:  # index builds on the types below
    from cpstrust.vulndb.index import PackageAdvisories


@dataclass(frozen=True, slots=True)
class VulnerabilityInfo:
    """A vulnerability after alias merging: one canonical id, every other id in aliases."""

    id: str
    aliases: tuple[str, ...]
    severity: Severity
    summary: str | None


@dataclass(frozen=True, slots=True)
class AffectedEntry:
    """One ``affected[]`` entry of one advisory, tied to its merged vulnerability."""

    vulnerability: VulnerabilityInfo
    advisory_id: str
    package: AffectedPackage


class AdvisoryLookup(Protocol):
    """Answers: which affected entries name these packages?"""

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageAdvisories]:
        """Entries for each key that has any; keys with none are absent."""
        ...
