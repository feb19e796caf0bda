"""Components against advisories: which vulnerabilities affect which component versions.

One purl parse per component (cached), one batched ``lookup.affected_for`` for all
package keys, then OSV evaluation (``ranges``) of each component against the entries
for its package, with each ``AffectedPackage`` compiled once per scan. A component hit
by several advisories of one merged vulnerability gives one match, with their fixed
versions merged and the highest severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.model.sbom import SbomComponent
from cpstrust.vulndb.ecosystems import distro_conflicts
from cpstrust.vulndb.interface import AdvisoryLookup, AffectedEntry, PackageKey
from cpstrust.vulndb.purls import parse_purl, resolve_purl
from cpstrust.vulndb.ranges import (
    Candidate,
    CompiledPackage,
    compile_package,
    evaluate,
    fixed_versions,
    is_affected,
)
from cpstrust.vulndb.versions import sort_versions

__all__ = [
    "MatchReport",
    "SkipReason",
    "SkippedComponent",
    "fixed_versions",
    "is_affected",
    "match_components",
]


class SkipReason(StrEnum):
    """Why a component was not (fully) matched."""

    NO_PURL = "no_purl"
    INVALID_PURL = "invalid_purl"
    UNKNOWN_ECOSYSTEM = "unknown_ecosystem"
    NO_VERSION = "no_version"
    # Matched only against advisories' explicit ``versions`` lists, not their ranges.
    UNPARSEABLE_VERSION = "unparseable_version"


@dataclass(frozen=True, slots=True)
class SkippedComponent:
    ref: str
    purl: str | None
    reason: SkipReason
    detail: str


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What a scan found, and what it could not look at.

    ``unordered_boundaries`` lists (advisory id, version) range boundaries that no
    comparator could order; those ranges were not evaluated (their ``versions`` were).
    """

    matches: tuple[VulnerabilityMatch, ...]
    skipped: tuple[SkippedComponent, ...]
    components: int
    unordered_boundaries: tuple[tuple[str, str], ...] = ()

    @property
    def skipped_count(self) -> int:
        """Components not matched, or matched on explicit versions lists only."""
        return len(self.skipped)

    def count(self, reason: SkipReason) -> int:
        """Number of components skipped (or only partly matched) for ``reason``."""
        return sum(1 for s in self.skipped if s.reason is reason)


@dataclass(frozen=True, slots=True)
class _Target:
    component: SbomComponent
    key: PackageKey
    version: str
    distro: str | None


@dataclass(slots=True)
class _Hit:
    """One merged vulnerability hitting one component, built up entry by entry."""

    entry: AffectedEntry
    severity: Severity
    fixed: tuple[str, ...]
    merged: bool = False  # fixed versions from several entries: to be re-sorted


def _target(component: SbomComponent) -> _Target | SkippedComponent:
    def skip(reason: SkipReason, detail: str) -> SkippedComponent:
        return SkippedComponent(component.ref, component.purl, reason, detail)

    if not component.purl:
        return skip(SkipReason.NO_PURL, "component has no package URL")
    resolved = resolve_purl(component.purl)
    if resolved is None:
        parts = parse_purl(component.purl)
        if parts is None:
            return skip(SkipReason.INVALID_PURL, "not a valid package URL")
        return skip(SkipReason.UNKNOWN_ECOSYSTEM, f"no advisories for purl type {parts.type!r}")
    # A purl without a version may sit on a component that states one.
    version = resolved.version or component.version
    if not version:
        return skip(SkipReason.NO_VERSION, "neither the purl nor the component has a version")
    return _Target(component, resolved.key, version, resolved.distro)


class _Scan:
    """State of one ``match_components`` call: compiled packages and findings so far."""

    def __init__(self) -> None:
        self.compiled: dict[int, CompiledPackage] = {}
        self.matches: list[VulnerabilityMatch] = []
        self.skipped: list[SkippedComponent] = []
        self.unordered: dict[tuple[str, str], None] = {}

    def compile(self, family: str, entry: AffectedEntry) -> CompiledPackage:
        # Keyed by id(): the lookup's result keeps every package alive during the scan.
        compiled = self.compiled.get(id(entry.package))
        if compiled is None:
            compiled = compile_package(family, entry.package)
            self.compiled[id(entry.package)] = compiled
            for boundary in compiled.unordered:
                self.unordered[(entry.advisory_id, boundary)] = None
        return compiled

    def scan(self, target: _Target, entries: Iterable[AffectedEntry]) -> None:
        hits: dict[str, _Hit] = {}
        version_unordered = False
        candidate = Candidate(target.key[0], target.version)
        for entry in entries:
            if target.distro and distro_conflicts(target.distro, entry.package.ecosystem):
                continue
            compiled = self.compile(target.key[0], entry)
            verdict = evaluate(compiled, candidate)
            version_unordered |= verdict.version_unordered
            if verdict.affected:
                self._record(hits, entry, compiled.fixed)
        if version_unordered:
            self.skipped.append(SkippedComponent(
                target.component.ref, target.component.purl, SkipReason.UNPARSEABLE_VERSION,
                f"version {target.version!r} cannot be ordered; matched on listed versions only",
            ))
        for vulnerability_id in sorted(hits):
            self.matches.append(self._match(target, hits[vulnerability_id]))

    @staticmethod
    def _record(hits: dict[str, _Hit], entry: AffectedEntry, fixed: tuple[str, ...]) -> None:
        severity = entry.vulnerability.severity
        if entry.package.severity is not None and entry.package.severity > severity:
            severity = entry.package.severity
        hit = hits.get(entry.vulnerability.id)
        if hit is None:
            hits[entry.vulnerability.id] = _Hit(entry, severity, fixed)
            return
        hit.severity = max(hit.severity, severity)
        hit.fixed = tuple(dict.fromkeys((*hit.fixed, *fixed)))
        hit.merged = True

    @staticmethod
    def _match(target: _Target, hit: _Hit) -> VulnerabilityMatch:
        vulnerability = hit.entry.vulnerability
        return VulnerabilityMatch(
            component_ref=target.component.ref,
            purl=target.component.purl or "",
            name=target.component.name,
            version=target.version,
            ecosystem=target.key[0],
            vulnerability_id=vulnerability.id,
            aliases=vulnerability.aliases,
            severity=hit.severity,
            fixed_versions=sort_versions(target.key[0], hit.fixed) if hit.merged else hit.fixed,
            summary=vulnerability.summary,
        )


def match_components(
    components: Iterable[SbomComponent], lookup: AdvisoryLookup
) -> MatchReport:
    """Match every component with a usable purl against the advisories in ``lookup``.

    Components without a purl, with an invalid one, of an ecosystem we cannot match or
    without a version are reported in ``skipped``; so are components whose version
    cannot be ordered (they are still matched against explicit ``versions`` lists).
    Matches come in component order, then by vulnerability id.
    """
    scan = _Scan()
    targets: list[_Target] = []
    total = 0
    for component in components:
        total += 1
        target = _target(component)
        if isinstance(target, SkippedComponent):
            scan.skipped.append(target)
        else:
            targets.append(target)
    found = lookup.affected_for({t.key for t in targets})
    for target in targets:
        entries = found.get(target.key)
        if entries:
            scan.scan(target, entries)
    return MatchReport(
        matches=tuple(scan.matches),
        skipped=tuple(scan.skipped),
        components=total,
        unordered_boundaries=tuple(scan.unordered),
    )

