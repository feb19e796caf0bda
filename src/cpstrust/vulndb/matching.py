"""Components against advisories: which vulnerabilities affect which component versions.

One purl parse per component (cached), one batched ``lookup.affected_for`` for all
package keys, then each distinct (package, version) is checked once against the
package's ``PackageIndex`` (entry by entry for packages met a few times, by bisection
for those met often; kept with the advisories, see ``index``). A component hit
by several advisories of one merged vulnerability gives one match, with their fixed
versions merged and the highest severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from cpstrust.gcpause import gc_paused
from cpstrust.model.finding import VulnerabilityMatch
from cpstrust.model.sbom import SbomComponent
from cpstrust.vulndb.index import Outcome, PackageAdvisories
from cpstrust.vulndb.interface import AdvisoryLookup, PackageKey
from cpstrust.vulndb.purls import parse_purl, resolve_purl
from cpstrust.vulndb.ranges import fixed_versions, is_affected

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


def _target(component: SbomComponent) -> _Target | SkippedComponent:
    if component.purl and (resolved := resolve_purl(component.purl)) is not None:
        # A purl without a version may sit on a component that states one.
        version = resolved.version or component.version
        if version:
            return _Target(resolved.key, version, resolved.distro)
        return _skipped(component, unresolved=False)
    return _skipped(component, unresolved=True)


def _skipped(component: SbomComponent, *, unresolved: bool) -> SkippedComponent:
    def skip(reason: SkipReason, detail: str) -> SkippedComponent:
        return SkippedComponent(component.ref, component.purl, reason, detail)

    if not component.purl:
        return skip(SkipReason.NO_PURL, "component has no package URL")
    if unresolved:
        parts = parse_purl(component.purl)
        if parts is None:
            return skip(SkipReason.INVALID_PURL, "not a valid package URL")
        return skip(SkipReason.UNKNOWN_ECOSYSTEM, f"no advisories for purl type {parts.type!r}")
    return skip(SkipReason.NO_VERSION, "neither the purl nor the component has a version")


class _Scan:
    """State of one ``match_components`` call: outcomes and findings so far.

    Each distinct target is evaluated once: SBOMs repeat (package, version) pairs
    (vendored copies, several sub-products), and their findings differ only by component.
    """

    def __init__(self) -> None:
        self.components = 0
        self.outcomes: dict[_Target, Outcome] = {}
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

    def scan(self, component: SbomComponent, target: _Target, found: PackageAdvisories) -> None:
        outcome = self.outcomes.get(target)
        if outcome is None:
            index = found.index(target.key[0], target.distro)
            self.unordered.update(dict.fromkeys(index.unordered_boundaries))
            outcome = self.outcomes[target] = index.outcome(target.version)
        if outcome.version_unordered:
            self.skipped.append(_unparseable(component, target.version))
        component_fields = (
            component.ref, component.purl or "", component.name, target.version, target.key[0]
        )
        make = VulnerabilityMatch._make
        self.matches.extend([make(component_fields + hit.match_fields) for hit in outcome.hits])


def _unparseable(component: SbomComponent, version: str) -> SkippedComponent:
    return SkippedComponent(
        component.ref,
        component.purl,
        SkipReason.UNPARSEABLE_VERSION,
        f"version {version!r} cannot be ordered; matched on listed versions only",
    )


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
            advisories = found.get(target.key)
            if advisories is not None:
                scan.scan(component, target, advisories)
        return MatchReport(
            matches=tuple(scan.matches),
            skipped=tuple(scan.skipped),
            components=scan.components,
            unordered_boundaries=tuple(scan.unordered),
        )
