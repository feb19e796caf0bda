"""Advisories (OSV model) and the vulnerabilities they describe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum


class Severity(IntEnum):
    """Ordered so that ``>=`` compares gravity (used by ``--fail-on``)."""

    UNKNOWN = 0
    NONE = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    @classmethod
    def from_score(cls, score: float | None) -> Severity:
        """CVSS qualitative rating for a base score (same bands for v3 and v4)."""
        if score is None:
            return cls.UNKNOWN
        if score == 0:
            return cls.NONE
        if score < 4.0:
            return cls.LOW
        if score < 7.0:
            return cls.MEDIUM
        if score < 9.0:
            return cls.HIGH
        return cls.CRITICAL

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            if text.strip().upper() == "MODERATE":  # GHSA's word for MEDIUM
                return cls.MEDIUM
            raise ValueError(f"unknown severity {text!r}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


class RangeType(StrEnum):
    SEMVER = "SEMVER"
    ECOSYSTEM = "ECOSYSTEM"
    GIT = "GIT"


@dataclass(frozen=True, slots=True)
class RangeEvent:
    kind: str  # "introduced" | "fixed" | "last_affected" | "limit"
    version: str


@dataclass(frozen=True, slots=True)
class AffectedRange:
    type: RangeType
    events: tuple[RangeEvent, ...]


@dataclass(frozen=True, slots=True)
class AffectedPackage:
    """One ``affected[]`` entry: a package in an ecosystem, with ranges and/or versions."""

    ecosystem: str  # as OSV writes it, e.g. "PyPI", "Go", "npm", "Debian:12"
    name: str
    purl: str | None
    ranges: tuple[AffectedRange, ...]
    versions: tuple[str, ...]
    severity: Severity | None = None  # per-package severity where the record gives one


@dataclass(frozen=True, slots=True)
class CvssVector:
    type: str  # "CVSS_V3" | "CVSS_V4" | "CVSS_V2"
    vector: str
    base_score: float | None


@dataclass(frozen=True, slots=True)
class Advisory:
    """One OSV record."""

    id: str
    aliases: tuple[str, ...]
    modified: str
    published: str | None
    withdrawn: str | None
    summary: str | None
    details: str | None
    affected: tuple[AffectedPackage, ...]
    cvss: tuple[CvssVector, ...]
    severity: Severity
    related: tuple[str, ...] = ()
    references: tuple[str, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass(frozen=True, slots=True)
class VulnerabilityInfo:
    """A vulnerability after alias merging: one canonical id, every other id in aliases.
    Also what merging reads of one advisory before it (its own id and aliases)."""

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


@dataclass(frozen=True, slots=True)
class SourceStatus:
    location: str
    kind: str
    imported_at: datetime
    record_count: int
    newest_modified: str | None


@dataclass(frozen=True, slots=True)
class VulndbStatus:
    sources: tuple[SourceStatus, ...]
    advisories: int
    withdrawn: int
    vulnerabilities: int
    affected_packages: int
