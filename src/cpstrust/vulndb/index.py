"""Every advisory entry for one package, compiled so that a version is checked by bisection.

Evaluating a version range by range (``ranges.evaluate``) costs one pass over every
range of every advisory of the package: ~36,600 range evaluations for a 10,000-component
SBOM. But a range's verdict only changes at its own boundaries, so the boundaries of all
the package's ranges in one ordering cut the versions into regions (below the first
boundary, at it, between it and the next, ...) inside which every range answers the
same. The index computes once, per region, which entries affect it; a version is then
one bisection to find its region. Listed ``versions`` are matched by spelling (a dict)
and, for orderings whose keys hash, by key; versions that cannot be ordered fall back to
the lists and are reported, exactly as ``ranges.evaluate`` does (a test checks that the
two agree on every version the shared advisories name).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from cpstrust.model.advisory import AffectedEntry, Severity, VulnerabilityInfo
from cpstrust.model.finding import MatchStatus
from cpstrust.packages.ecosystems import distro_conflicts
from cpstrust.packages.versions import HASHABLE_SCHEMES, VersionKey, sort_versions, try_key
from cpstrust.vulndb.ranges import (
    INTRODUCED,
    LAST_AFFECTED,
    Candidate,
    CompiledPackage,
    CompiledRange,
    compile_package,
    evaluate,
)

# The last fields of a VulnerabilityMatch: vulnerability id, aliases, severity, fixed
# versions, summary, status.
MatchFields = tuple[str, tuple[str, ...], Severity, tuple[str, ...], str | None, MatchStatus]


@dataclass(frozen=True, slots=True)
class Hit:
    """One merged vulnerability affecting a version (or not decided, see ``MatchStatus``)."""

    vulnerability: VulnerabilityInfo
    severity: Severity
    fixed: tuple[str, ...]  # fixed versions, in the family's order
    status: MatchStatus = MatchStatus.AFFECTED
    # The last fields of every VulnerabilityMatch this hit gives, built once: a scan
    # makes tens of thousands of matches from a few thousand hits.
    match_fields: MatchFields = field(init=False)

    def __post_init__(self) -> None:
        v = self.vulnerability
        fields = (v.id, v.aliases, self.severity, self.fixed, v.summary, self.status)
        object.__setattr__(self, "match_fields", fields)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A version checked against every entry for its package."""

    hits: tuple[Hit, ...]  # affected, by vulnerability id
    # Vulnerabilities not found affecting the version but not decided either (status
    # NOT_COMPARED), by vulnerability id; none of them is among ``hits``.
    undecided: tuple[Hit, ...]
    version_unordered: bool  # some entry could only be checked against its versions list
    match_fields: tuple[MatchFields, ...] = field(init=False)  # of each hit, built once

    def __post_init__(self) -> None:
        fields = tuple(h.match_fields for h in (*self.hits, *self.undecided))
        object.__setattr__(self, "match_fields", fields)


@dataclass(frozen=True, slots=True)
class _Regions:
    """One ordering's boundaries (sorted, distinct) and, per region, the entries hit.

    Region 2i+1 is "equal to bounds[i]"; region 2i lies below it (and above bounds[i-1]).
    """

    bounds: tuple[VersionKey, ...]
    hits: tuple[tuple[int, ...], ...]  # region -> indexes of the entries it affects
    entries: frozenset[int]  # entries with at least one range in this ordering

    def region(self, key: VersionKey) -> int:
        bounds = self.bounds
        i = bisect_left(bounds, key)
        return 2 * i + 1 if i < len(bounds) and not key < bounds[i] else 2 * i


VERSIONS_KEPT = 256  # per package index, see PackageIndex


class PackageIndex:
    """The entries of one package (for one distro, if any), checked entry by entry at
    first and by bisection once the package has been asked about often enough.

    Building costs about as much per boundary as checking one version costs per range,
    so the index is built once the package has been asked about boundaries / ranges
    times (at least 4): a package met a few times (a one-off scan) is checked entry by
    entry, one met again and again (a service, a batch re-evaluation) by bisection.
    ``bisect_after`` overrides the count. The outcomes of the first ``VERSIONS_KEPT``
    versions asked about are kept: the same versions of a package come back scan after
    scan, and the bound keeps a stream of made-up versions from growing the index.
    """

    __slots__ = ("_asked", "_bisect_after", "_bisection", "_by_version", "_compiled",
                 "_dropped", "_hits", "_outcomes", "family", "unordered_boundaries")

    def __init__(self, family: str, entries: Iterable[AffectedEntry],
                 distro: str | None = None, *, bisect_after: int | None = None) -> None:
        self.family = family
        self._compiled: list[CompiledPackage] = []
        self._hits: list[Hit] = []
        unordered: dict[tuple[str, str], None] = {}
        for entry in entries:
            if distro and distro_conflicts(distro, entry.package.ecosystem):
                continue
            package = compile_package(family, entry.package)
            unordered.update(((entry.advisory_id, b), None) for b in package.unordered)
            self._compiled.append(package)
            self._hits.append(_entry_hit(entry, package.fixed))
        # (advisory id, boundary) pairs no comparator could order: those ranges are dropped,
        # and their entries (``_dropped``) decide no version they do not find affected.
        self.unordered_boundaries = tuple(unordered)
        self._dropped = frozenset(j for j, p in enumerate(self._compiled) if p.unordered)
        self._asked = 0
        self._bisect_after = _worth_bisecting_after(self._compiled) if bisect_after is None \
            else bisect_after
        self._bisection: _Bisection | None = None
        self._outcomes: dict[_Found, Outcome] = {}
        self._by_version: dict[str, Outcome] = {}

    def outcome(self, version: str) -> Outcome:
        """Which vulnerabilities affect ``version``, as ``ranges.evaluate`` entry by entry."""
        known = self._by_version.get(version)
        if known is None:
            known = self._outcome(version)
            if len(self._by_version) < VERSIONS_KEPT:
                self._by_version[version] = known
        return known

    def _outcome(self, version: str) -> Outcome:
        candidate = Candidate(self.family, version)
        bisection = self._bisection
        if bisection is None:
            self._asked += 1
            if self._asked <= self._bisect_after:
                return self._entry_by_entry(candidate)
            bisection = self._bisection = _Bisection(self.family, self._compiled)
        found, unordered = bisection.find(candidate)
        affected = frozenset().union(*found)
        undecided = frozenset((unordered | self._dropped) - affected)
        return self._outcome_of((found, undecided, bool(unordered - affected)))

    def _entry_by_entry(self, candidate: Candidate) -> Outcome:
        affected: list[int] = []
        undecided: list[int] = []
        version_unordered = False
        for j, package in enumerate(self._compiled):
            verdict = evaluate(package, candidate)
            if verdict.affected:
                affected.append(j)
            elif verdict.undecided:
                undecided.append(j)
                version_unordered |= verdict.version_unordered
        return self._outcome_of(((tuple(affected),), frozenset(undecided), version_unordered))

    def _outcome_of(self, found: _Found) -> Outcome:
        """The outcome of the entries found affected and undecided, one hit per
        vulnerability. Kept: versions in one region, listed or not, are found the same
        ways and share it."""
        known = self._outcomes.get(found)
        if known is None:
            ways, undecided, version_unordered = found
            hits = self._merged_hits(set().union(*ways), MatchStatus.AFFECTED)
            affected = {h.vulnerability.id for h in hits}
            maybe = tuple(h for h in self._merged_hits(undecided, MatchStatus.NOT_COMPARED)
                          if h.vulnerability.id not in affected)
            known = self._outcomes[found] = Outcome(hits, maybe, version_unordered)
        return known

    def _merged_hits(self, entries: Iterable[int], status: MatchStatus) -> tuple[Hit, ...]:
        merged: dict[str, Hit] = {}
        for j in sorted(entries):
            hit = self._hits[j]
            key = hit.vulnerability.id
            first = merged.get(key)
            merged[key] = hit if first is None else _merged(self.family, first, hit)
        hits = (merged[i] for i in sorted(merged))
        if status is MatchStatus.AFFECTED:
            return tuple(hits)
        return tuple(replace(h, status=status) for h in hits)


# How a version was found: the entries affecting it by each way of matching, the entries
# that could not decide it, and whether its own version could not be ordered somewhere.
_Found = tuple[tuple[tuple[int, ...], ...], frozenset[int], bool]


class _Bisection:
    """The regions of every ordering the package's ranges use, and its listed versions."""

    __slots__ = ("_by_key", "_by_text", "_listed", "_orderings", "family")

    def __init__(self, family: str, compiled: Sequence[CompiledPackage]) -> None:
        self.family = family
        self._by_text = _listed_by_text(compiled)
        hashable = family in HASHABLE_SCHEMES
        self._listed = frozenset(j for j, p in enumerate(compiled) if p.listed.texts and hashable)
        self._by_key = self._listed_by_key() if self._listed else {}
        self._orderings = _orderings(compiled)

    def find(self, candidate: Candidate) -> tuple[tuple[tuple[int, ...], ...], set[int]]:
        """The entries affecting the candidate, by each way of matching; and the entries
        that could only be checked against their listed versions."""
        found: list[tuple[int, ...]] = []
        unordered: set[int] = set()
        text = self._by_text.get(candidate.normalized)
        if text:
            found.append(text)
        for scheme, regions in self._orderings.items():
            key = candidate.key(scheme)
            if key is None:
                unordered |= regions.entries
            elif in_region := regions.hits[regions.region(key)]:
                found.append(in_region)
        if self._listed:  # a version without a key equals no listed version with one
            key = candidate.key(self.family)
            if key is not None and (listed := self._by_key.get(key)):
                found.append(listed)
        return tuple(found), unordered

    def _listed_by_key(self) -> dict[object, tuple[int, ...]]:
        """Listed versions by key, each distinct spelling parsed once for the package
        (its advisories list the same versions over and over)."""
        by_key: dict[object, set[int]] = {}
        for text, entries in self._by_text.items():
            key = try_key(self.family, text)
            if key is not None:
                by_key.setdefault(key, set()).update(j for j in entries if j in self._listed)
        return {key: tuple(sorted(found)) for key, found in by_key.items() if found}


def _worth_bisecting_after(compiled: Sequence[CompiledPackage]) -> int:
    # Listed versions do not count: both ways parse each of them once per process.
    ranges = sum(len(p.ranges) for p in compiled)
    boundaries = sum(len(r.events) + len(r.limits) for p in compiled for r in p.ranges)
    return max(4, boundaries // max(1, ranges))


def _listed_by_text(compiled: Sequence[CompiledPackage]) -> dict[str, tuple[int, ...]]:
    by_text: dict[str, list[int]] = {}
    for j, package in enumerate(compiled):
        for text in package.listed.texts:
            by_text.setdefault(text, []).append(j)
    return {text: tuple(found) for text, found in by_text.items()}


def _orderings(compiled: Sequence[CompiledPackage]) -> dict[str, _Regions]:
    """Per ordering used by some range: the regions and the entries each one affects."""
    ranges: dict[str, list[tuple[int, CompiledRange]]] = {}
    for j, package in enumerate(compiled):
        for compiled_range in package.ranges:
            ranges.setdefault(compiled_range.scheme, []).append((j, compiled_range))
    return {scheme: _regions(found) for scheme, found in ranges.items()}


def _regions(ranges: Sequence[tuple[int, CompiledRange]]) -> _Regions:
    """Sweep the regions once: the entries affected change only where an interval of
    some range starts or ends, and the regions in between share one tuple."""
    bounds = _distinct_sorted(
        key for _, r in ranges for key in (*(b for _, b in r.events), *r.limits) if key is not None
    )
    count = 2 * len(bounds) + 1
    changes: dict[int, list[tuple[int, int]]] = {}  # region -> (entry, +1 in / -1 out)
    for j, compiled_range in ranges:
        for low, high in _affected_intervals(compiled_range, bounds):
            changes.setdefault(low, []).append((j, 1))
            changes.setdefault(high, []).append((j, -1))
    hits: list[tuple[int, ...]] = [()] * count
    inside: dict[int, int] = {}  # entry -> number of its intervals covering the region
    points = sorted(changes)
    for at, following in zip(points, [*points[1:], count], strict=True):
        for j, step in changes[at]:
            inside[j] = inside.get(j, 0) + step
        if at < count:
            hits[at:following] = [tuple(sorted(j for j, n in inside.items() if n))] * (
                following - at)
    return _Regions(tuple(bounds), tuple(hits), frozenset(j for j, _ in ranges))


def _distinct_sorted(keys: Iterable[VersionKey]) -> list[VersionKey]:
    """Sorted keys, one per equal value (PyPI 1.0 and 1.0.0 are one boundary)."""
    distinct: list[VersionKey] = []
    for key in sorted(keys):
        if not distinct or distinct[-1] < key:
            distinct.append(key)
    return distinct


def _affected_intervals(compiled: CompiledRange, bounds: Sequence[VersionKey],
                        ) -> list[tuple[int, int]]:
    """The regions inside ``compiled`` as [low, high) intervals, by the rules of
    ``ranges._in_range``.

    An event applies to a version from some region on: ``introduced`` and ``fixed`` at
    ``v >= boundary`` (from the boundary's own region), ``last_affected`` at
    ``v > boundary`` (from the next one), introduced "0" everywhere. The version is
    affected when the last applying event in the range's order is an ``introduced``, so
    the answer changes only where an event starts applying. Limits keep only the regions
    below the highest one.
    """
    count = 2 * len(bounds) + 1
    latest: dict[int, int] = {}  # region -> last event (by order) that starts applying there
    for order, (kind, boundary) in enumerate(compiled.events):
        if boundary is None:  # introduced "0"
            start = 0
        else:
            start = 2 * bisect_left(bounds, boundary) + (2 if kind == LAST_AFFECTED else 1)
        latest[start] = order
    end = count
    if compiled.limits and None not in compiled.limits:  # None is "*": no bound
        end = max(2 * bisect_left(bounds, limit) + 1
                  for limit in compiled.limits if limit is not None)
    intervals: list[tuple[int, int]] = []
    applying = -1
    starts = sorted(latest)
    for start, following in zip(starts, [*starts[1:], count], strict=True):
        applying = max(applying, latest[start])
        low, high = start, min(following, end)
        if low < high and compiled.events[applying][0] == INTRODUCED:
            if intervals and intervals[-1][1] == low:  # joins the one before
                low = intervals.pop()[0]
            intervals.append((low, high))
    return intervals


def _entry_hit(entry: AffectedEntry, fixed: tuple[str, ...]) -> Hit:
    severity = entry.vulnerability.severity
    if entry.package.severity is not None and entry.package.severity > severity:
        severity = entry.package.severity
    return Hit(entry.vulnerability, severity, fixed)


def _merged(family: str, first: Hit, second: Hit) -> Hit:
    """Two entries of one vulnerability: the higher severity, the fixed versions of both."""
    fixed = sort_versions(family, dict.fromkeys((*first.fixed, *second.fixed)))
    return Hit(first.vulnerability, max(first.severity, second.severity), fixed)


class PackageAdvisories:
    """Every affected entry naming one package, with its indexes built on first use.

    An index lives as long as the entries it was built from: a lookup that keeps these
    objects (the store's cache of one advisory-database generation, the in-memory
    lookup) compiles each package once per process, not once per scan.
    """

    __slots__ = ("_indexes", "entries")

    def __init__(self, entries: Iterable[AffectedEntry]) -> None:
        self.entries = tuple(entries)
        self._indexes: dict[tuple[str, str | None], PackageIndex] = {}

    def index(self, family: str, distro: str | None = None) -> PackageIndex:
        """The index for ``family`` (and ``distro``: entries of other distros left out)."""
        found = self._indexes.get((family, distro))
        if found is None:
            found = self._indexes[(family, distro)] = PackageIndex(family, self.entries, distro)
        return found

    def __len__(self) -> int:
        return len(self.entries)
