"""Components against advisories: which vulnerabilities affect which component versions.

One purl parse per component (cached), one batched ``lookup.affected_for`` for all
package keys, then OSV evaluation (``ranges``) of each distinct (package, version)
against the entries for its package, with each ``AffectedPackage`` compiled once per
scan. A component hit by several advisories of one merged vulnerability gives one
match, with their fixed versions merged and the highest severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from cpstrust.gcpause import gc_paused
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.model.sbom import SbomComponent
from cpstrust.vulndb.ecosystems import distro_conflicts
from cpstrust.vulndb.interface import (
    AdvisoryLookup,
    AffectedEntry,
    PackageKey,
    VulnerabilityInfo,
)
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


class _Target(NamedTuple):
    """What a component is matched as; equal targets get the same findings."""

    key: PackageKey
    version: str
    distro: str | None


@dataclass(frozen=True, slots=True)
class _Hit:
    """One merged vulnerability hitting a target."""

    vulnerability: VulnerabilityInfo
    severity: Severity
    fixed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Outcome:
    """A target evaluated against every entry for its package."""

    hits: tuple[_Hit, ...]  # by vulnerability id
    version_unordered: bool


# An entry ready for evaluation, with the hit it gives when it matches alone.
_Plan = list[tuple[CompiledPackage, _Hit]]


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
    return _Target(resolved.key, version, resolved.distro)


class _Scan:
    """State of one ``match_components`` call: plans, outcomes and findings so far.

    Each package's entries are compiled once per scan (a plan per package and distro),
    and each distinct target is evaluated once: SBOMs repeat (package, version) pairs
    (vendored copies, several sub-products), and their findings differ only by component.
    """

    def __init__(self) -> None:
        self.components = 0
        self.plans: dict[tuple[PackageKey, str | None], _Plan] = {}
        self.outcomes: dict[_Target, _Outcome] = {}
        self.matches: list[VulnerabilityMatch] = []
        self.skipped: list[SkippedComponent] = []
        self.unordered: dict[tuple[str, str], None] = {}

    def targets(self, components: Iterable[SbomComponent]) -> list[tuple[SbomComponent, _Target]]:
        """Components that can be matched, with what they are matched as; skip the rest."""
        targets = []
        for component in components:
            self.components += 1
            target = _target(component)
            if isinstance(target, SkippedComponent):
                self.skipped.append(target)
            else:
                targets.append((component, target))
        return targets

    def scan(
        self, component: SbomComponent, target: _Target, entries: Sequence[AffectedEntry]
    ) -> None:
        outcome = self.outcomes.get(target)
        if outcome is None:
            outcome = self.outcomes[target] = self._evaluate(target, entries)
        if outcome.version_unordered:
            self.skipped.append(_unparseable(component, target.version))
        ref, purl, name, family = component.ref, component.purl or "", component.name, target.key[0]
        self.matches.extend(
            VulnerabilityMatch(
                ref,
                purl,
                name,
                target.version,
                family,
                hit.vulnerability.id,
                hit.vulnerability.aliases,
                hit.severity,
                hit.fixed,
                hit.vulnerability.summary,
            )
            for hit in outcome.hits
        )

    def _plan(self, target: _Target, entries: Sequence[AffectedEntry]) -> _Plan:
        plan = self.plans.get((target.key, target.distro))
        if plan is None:
            plan = self.plans[(target.key, target.distro)] = []
            for entry in entries:
                if target.distro and distro_conflicts(target.distro, entry.package.ecosystem):
                    continue
                compiled = compile_package(target.key[0], entry.package)
                for boundary in compiled.unordered:
                    self.unordered[(entry.advisory_id, boundary)] = None
                plan.append((compiled, _entry_hit(entry, compiled.fixed)))
        return plan

    def _evaluate(self, target: _Target, entries: Sequence[AffectedEntry]) -> _Outcome:
        family = target.key[0]
        candidate = Candidate(family, target.version)
        hits: dict[str, _Hit] = {}
        version_unordered = False
        for compiled, hit in self._plan(target, entries):
            verdict = evaluate(compiled, candidate)
            version_unordered |= verdict.version_unordered
            if verdict.affected:
                known = hits.get(hit.vulnerability.id)
                hits[hit.vulnerability.id] = hit if known is None else _merged(family, known, hit)
        return _Outcome(tuple(hits[i] for i in sorted(hits)), version_unordered)


def _unparseable(component: SbomComponent, version: str) -> SkippedComponent:
    return SkippedComponent(
        component.ref,
        component.purl,
        SkipReason.UNPARSEABLE_VERSION,
        f"version {version!r} cannot be ordered; matched on listed versions only",
    )


def _entry_hit(entry: AffectedEntry, fixed: tuple[str, ...]) -> _Hit:
    severity = entry.vulnerability.severity
    if entry.package.severity is not None and entry.package.severity > severity:
        severity = entry.package.severity
    return _Hit(entry.vulnerability, severity, fixed)


def _merged(family: str, first: _Hit, second: _Hit) -> _Hit:
    """Two entries of one vulnerability: the higher severity, the fixed versions of both."""
    fixed = sort_versions(family, dict.fromkeys((*first.fixed, *second.fixed)))
    return _Hit(first.vulnerability, max(first.severity, second.severity), fixed)


def match_components(components: Iterable[SbomComponent], lookup: AdvisoryLookup) -> MatchReport:
    """Match every component with a usable purl against the advisories in ``lookup``.

    Components without a purl, with an invalid one, of an ecosystem we cannot match or
    without a version are reported in ``skipped``; so are components whose version
    cannot be ordered (they are still matched against explicit ``versions`` lists).
    Matches come in component order, then by vulnerability id.
    """
    scan = _Scan()
    with gc_paused():
        targets = scan.targets(components)
        found = lookup.affected_for({target.key for _, target in targets})
        for component, target in targets:
            entries = found.get(target.key)
            if entries:
                scan.scan(component, target, entries)
        return MatchReport(
            matches=tuple(scan.matches),
            skipped=tuple(scan.skipped),
            components=scan.components,
            unordered_boundaries=tuple(scan.unordered),
        )
