"""Components against advisories: which vulnerabilities affect which component versions.

One purl parse per component (cached), one batched ``lookup.affected_for`` for all
package keys, then each distinct (package, version) is checked once against the
package's ``PackageIndex`` (entry by entry for packages met a few times, by bisection
for those met often; kept with the advisories, see ``index``). A component hit
by several advisories of one merged vulnerability gives one match, with their fixed
versions merged and the highest severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from cpstrust.messages import Message, message
from cpstrust.model.finding import MatchStatus, VulnerabilityMatch
from cpstrust.model.sbom import SbomComponent
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.packages.purls import ResolvedPurl, parse_purl, resolve_purl
from cpstrust.vulndb.index import MatchFields
from cpstrust.vulndb.interface import AdvisoryLookup, PackageEntries
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
    detail: Message


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What a scan found, and what it could not look at.

    ``matches`` holds the vulnerabilities found affecting a component and, with status
    ``NOT_COMPARED``, those that could not be decided for it: never silently "not
    affected". ``unordered_boundaries`` lists (advisory id, version) range boundaries that
    no comparator could order; those ranges were not evaluated (their ``versions`` were).
    """

    matches: tuple[VulnerabilityMatch, ...]
    skipped: tuple[SkippedComponent, ...]
    components: int
    unordered_boundaries: tuple[tuple[str, str], ...] = ()

    @property
    def not_compared(self) -> int:
        """Matches whose version could not be compared (status ``NOT_COMPARED``)."""
        return sum(1 for m in self.matches if m.status is MatchStatus.NOT_COMPARED)

    @property
    def skipped_count(self) -> int:
        """Components not matched, or matched on explicit versions lists only."""
        return len(self.skipped)

    def count(self, reason: SkipReason) -> int:
        """Number of components skipped (or only partly matched) for ``reason``."""
        return sum(1 for s in self.skipped if s.reason is reason)


class _Plan(NamedTuple):
    """What every component of one (purl, version) gets: the same findings, but for the
    component's own fields."""

    version: str
    family: str
    hits: tuple[MatchFields, ...]  # the last fields of each match, per vulnerability
    version_unordered: bool


class _Scan:
    """State of one ``match_components`` call.

    SBOMs repeat purls (vendored copies, several sub-products), and components with one
    purl differ only by their own fields: each distinct (purl, version) is resolved and
    evaluated once, and then costs a dict lookup per component.
    """

    def __init__(self, lookup: AdvisoryLookup) -> None:
        self.lookup = lookup
        self.found: Mapping[PackageKey, PackageEntries] = {}
        self.plans: dict[str, _Plan | SkipReason] = {}  # by purl, when it has a version
        # By purl and the component's version, for purls without one.
        self.versioned: dict[tuple[str, str | None], _Plan | SkipReason] = {}
        self.matches: list[VulnerabilityMatch] = []
        self.skipped: list[SkippedComponent] = []
        self.unordered: dict[tuple[str, str], None] = {}

    def look_up(self, components: Sequence[SbomComponent]) -> None:
        """One batched lookup for the packages of every component's purl."""
        purls = {c.purl for c in components if c.purl}
        keys = {r.key for p in purls if (r := resolve_purl(p)) is not None}
        self.found = self.lookup.affected_for(keys)

    def plan(self, component: SbomComponent) -> _Plan | SkipReason:
        purl = component.purl
        if not purl:
            return SkipReason.NO_PURL
        plan = self.plans.get(purl)
        if plan is None:
            resolved = resolve_purl(purl)
            if resolved is not None and resolved.version is None:
                return self._versioned(purl, component.version, resolved)
            plan = self.plans[purl] = self._evaluate(purl, resolved, None)
        return plan

    def _versioned(self, purl: str, version: str | None, resolved: ResolvedPurl,
                   ) -> _Plan | SkipReason:
        plan = self.versioned.get((purl, version))
        if plan is None:
            plan = self.versioned[(purl, version)] = self._evaluate(purl, resolved, version)
        return plan

    def _evaluate(self, purl: str, resolved: ResolvedPurl | None, version: str | None,
                  ) -> _Plan | SkipReason:
        if resolved is None:
            return SkipReason.INVALID_PURL if parse_purl(purl) is None \
                else SkipReason.UNKNOWN_ECOSYSTEM
        version = resolved.version or version
        if not version:
            return SkipReason.NO_VERSION
        family = resolved.key[0]
        advisories = self.found.get(resolved.key)
        if advisories is None:
            return _Plan(version, family, (), version_unordered=False)
        index = advisories.index(family, resolved.distro)
        if index.unordered_boundaries:
            self.unordered.update(dict.fromkeys(index.unordered_boundaries))
        outcome = index.outcome(version)
        return _Plan(version, family, outcome.match_fields, outcome.version_unordered)

    def scan(self, components: Sequence[SbomComponent]) -> None:
        matches = self.matches
        make = _new_match
        known = self.plans
        for component in components:
            plan = known.get(component.purl or "") or self.plan(component)
            if isinstance(plan, SkipReason):
                # A file entry (a generated SBOM lists every file) is no package: not
                # "skipped", as Sbom.without_purl does not count it either.
                if plan is not SkipReason.NO_PURL or component.type != "file":
                    self.skipped.append(_skipped(component, plan))
                continue
            if plan.version_unordered:
                self.skipped.append(_unparseable(component, plan.version))
            if plan.hits:
                fields = (component.ref, component.purl, component.name, plan.version,
                          plan.family)
                matches.extend([make(fields + hit) for hit in plan.hits])


# A match from its eleven fields, made from C: ``VulnerabilityMatch._make`` is a Python
# call per match (tens of thousands a scan) that checks a length fixed here by
# construction (a component's five fields and a hit's six).
_new_match = partial(tuple.__new__, VulnerabilityMatch)


def _skipped(component: SbomComponent, reason: SkipReason) -> SkippedComponent:
    purl = component.purl
    if reason is SkipReason.NO_PURL:
        detail = message("skip_no_purl")
    elif reason is SkipReason.INVALID_PURL:
        detail = message("skip_invalid_purl")
    elif reason is SkipReason.UNKNOWN_ECOSYSTEM:
        parts = parse_purl(purl or "")
        detail = message("skip_unknown_ecosystem", purl_type=parts.type if parts else None)
    else:
        detail = message("skip_no_version")
    return SkippedComponent(component.ref, purl, reason, detail)


def _unparseable(component: SbomComponent, version: str) -> SkippedComponent:
    return SkippedComponent(
        component.ref,
        component.purl,
        SkipReason.UNPARSEABLE_VERSION,
        message("skip_unparseable_version", version=version),
    )


def match_components(components: Iterable[SbomComponent], lookup: AdvisoryLookup) -> MatchReport:
    """Match every component with a usable purl against the advisories in ``lookup``.

    Components without a purl, with an invalid one, of an ecosystem we cannot match or
    without a version are reported in ``skipped``; so are components whose version
    cannot be ordered (they are still matched against explicit ``versions`` lists, and
    the ranges they cannot be compared with give matches of status ``NOT_COMPARED``).
    Matches come in component order, then affected before not compared, then by
    vulnerability id.
    """
    listed = components if isinstance(components, Sequence) else tuple(components)
    scan = _Scan(lookup)
    scan.look_up(listed)
    scan.scan(listed)
    return MatchReport(
        matches=tuple(scan.matches),
        skipped=tuple(scan.skipped),
        components=len(listed),
        unordered_boundaries=tuple(scan.unordered),
    )
