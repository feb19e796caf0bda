"""Every advisory entry for one package, compiled so that a version is checked by bisection.

Evaluating a version range by range (``ranges.evaluate``) costs one pass over every
range of every advisory of the package: ~36,600 range evaluations for a 10,000-component
SBOM. But a range's verdict only changes at its own boundaries, so the boundaries of all
the package's ranges in one ordering cut the versions into regions (below the first
boundary, at it, between it and the next, ...) inside which every range answers the
same. The index computes once, per region, which entries affect it; a version is then
one bisection to find its region (``bisection``, ``regions``). Listed ``versions`` are
matched by spelling and, for orderings whose keys hash, by key; versions that cannot be
ordered fall back to the lists and are reported, exactly as ``ranges.evaluate`` does (a
test checks that the two agree on every version the shared advisories name).

An index whose bisection is built can be kept as a plain record (``PackageIndex.record``)
and read back without compiling anything (``PackageIndex.from_record``): what lets a
store keep the compiled advisories between processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cpstrust.model.advisory import AffectedEntry, Severity, VulnerabilityInfo
from cpstrust.model.finding import MatchStatus
from cpstrust.packages.ecosystems import distro_conflicts
from cpstrust.packages.versions import sort_versions
from cpstrust.vulndb.bisection import Bisection
from cpstrust.vulndb.ranges import Candidate, CompiledPackage, compile_package, evaluate

# The last fields of a VulnerabilityMatch: vulnerability id, aliases, severity, fixed
# versions, summary, status.
MatchFields = tuple[str, tuple[str, ...], Severity, tuple[str, ...], str | None, MatchStatus]


# Hits and outcomes are named tuples, made only by ``new_hit`` and ``new_outcome`` (which
# derive their match fields): a cold scan makes ~6,000 hits and ~3,400 outcomes, and a
# frozen dataclass (one object.__setattr__ per field, a __post_init__) cost ~7,000
# instructions each, five times a named tuple's.
class Hit(NamedTuple):
    """One merged vulnerability affecting a version (or not decided, see ``MatchStatus``)."""

    vulnerability: VulnerabilityInfo
    severity: Severity
    fixed: tuple[str, ...]  # fixed versions, in the family's order
    status: MatchStatus
    # The last fields of every VulnerabilityMatch this hit gives, built once: a scan
    # makes tens of thousands of matches from a few thousand hits.
    match_fields: MatchFields


def new_hit(vulnerability: VulnerabilityInfo, severity: Severity, fixed: tuple[str, ...],
        status: MatchStatus = MatchStatus.AFFECTED) -> Hit:
    return Hit(vulnerability, severity, fixed, status,
               (vulnerability.id, vulnerability.aliases, severity, fixed,
                vulnerability.summary, status))


class Outcome(NamedTuple):
    """A version checked against every entry for its package."""

    hits: tuple[Hit, ...]  # affected, by vulnerability id
    # Vulnerabilities not found affecting the version but not decided either (status
    # NOT_COMPARED), by vulnerability id; none of them is among ``hits``.
    undecided: tuple[Hit, ...]
    version_unordered: bool  # some entry could only be checked against its versions list
    match_fields: tuple[MatchFields, ...]  # of each hit, built once


def new_outcome(hits: tuple[Hit, ...], undecided: tuple[Hit, ...],
               version_unordered: bool) -> Outcome:
    fields = tuple([h.match_fields for h in hits] + [h.match_fields for h in undecided])
    return Outcome(hits, undecided, version_unordered, fields)


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
                 "_dropped", "_entries", "_excluded", "_hits", "_outcomes", "_unread", "family",
                 "unordered_boundaries")

    def __init__(self, family: str, entries: Iterable[AffectedEntry],
                 distro: str | None = None, *, bisect_after: int | None = None) -> None:
        self.family = family
        self._compiled: list[CompiledPackage] = []
        self._hits: list[Hit | None] = []  # None: of a record, not read yet (_read_hit)
        self._unread: tuple[list[list[Any]], Mapping[str, VulnerabilityInfo]] = ([], {})
        self._entries: list[_EntryRecord] = []  # of an index built from entries
        unordered: dict[tuple[str, str], None] = {}
        for entry in entries:
            if distro and distro_conflicts(distro, entry.package.ecosystem):
                continue
            package = compile_package(family, entry.package)
            unordered.update(((entry.advisory_id, b), None) for b in package.unordered)
            self._compiled.append(package)
            self._hits.append(_entry_hit(entry.vulnerability, entry.package.severity,
                                         package.fixed))
            self._entries.append(_EntryRecord(entry.advisory_id, entry.package.ecosystem,
                                              package.fixed, entry.package.severity,
                                              package.unordered))
        # (advisory id, boundary) pairs no comparator could order: those ranges are dropped,
        # and their entries (``_dropped``) decide no version they do not find affected.
        self.unordered_boundaries = tuple(unordered)
        self._dropped = frozenset(j for j, p in enumerate(self._compiled) if p.unordered)
        self._excluded: frozenset[int] = frozenset()  # entries of other distros (records)
        self._asked = 0
        self._bisect_after = _worth_bisecting_after(self._compiled) if bisect_after is None \
            else bisect_after
        self._bisection: Bisection | None = None
        self._outcomes: dict[_Found, Outcome] = {}
        self._by_version: dict[str, Outcome] = {}

    def record(self) -> dict[str, Any]:
        """The index as plain text and numbers (JSON), bisection built: what ``from_record``
        reads back. The vulnerabilities are named by advisory id, for the reader to join
        as merged at its time. Build it without a distro: the reader filters by one."""
        read_back = self._unread[0]
        return {
            "format": RECORD_FORMAT,
            "entries": read_back or [
                [e.advisory_id, e.ecosystem, list(e.fixed),
                 None if e.severity is None else int(e.severity), list(e.unordered)]
                for e in self._entries],
            "bisection": self._bisection_built().record(),
        }

    @classmethod
    def from_record(cls, family: str, record: Mapping[str, Any],
                    vulnerabilities: Mapping[str, VulnerabilityInfo],
                    distro: str | None = None) -> PackageIndex:
        """An index read back from ``record``; ``vulnerabilities`` gives each advisory
        id's merged vulnerability (KeyError, when a version is checked, if one is
        missing). An entry becomes a hit when some version is found affected by it: a
        scan reads the records of ~1,700 packages and finds few of their entries."""
        if record.get("format") != RECORD_FORMAT:
            raise ValueError(f"not a package index record of format {RECORD_FORMAT}")
        index = cls(family, ())
        entries: list[list[Any]] = record["entries"]  # see record()
        index._hits = [None] * len(entries)
        index._unread = (entries, vulnerabilities)
        kept = range(len(entries)) if not distro else \
            [j for j, e in enumerate(entries) if not distro_conflicts(distro, e[1])]
        index._excluded = frozenset(range(len(entries))).difference(kept) if distro \
            else frozenset()
        index._dropped = frozenset(j for j in kept if entries[j][4])
        index.unordered_boundaries = tuple(dict.fromkeys(
            (entries[j][0], b) for j in sorted(index._dropped) for b in entries[j][4]))
        index._bisection = Bisection.from_record(family, record["bisection"])
        return index

    def _bisection_built(self) -> Bisection:
        if self._bisection is None:
            self._bisection = Bisection.build(self.family, self._compiled)
        return self._bisection

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
        if self._bisection is None:
            self._asked += 1
            if self._asked <= self._bisect_after:
                return self._entry_by_entry(candidate)
        found, unordered = self._bisection_built().find(candidate)
        if self._excluded:
            found = tuple(kept for way in found
                          if (kept := tuple(j for j in way if j not in self._excluded)))
            unordered -= self._excluded
        if not unordered and not self._dropped:  # the usual case: every entry decided
            return self._outcome_of((found, _NO_ENTRIES, False))
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
            maybe: tuple[Hit, ...] = ()
            if undecided:
                affected = {h.vulnerability.id for h in hits}
                maybe = tuple(h for h in self._merged_hits(undecided, MatchStatus.NOT_COMPARED)
                              if h.vulnerability.id not in affected)
            known = self._outcomes[found] = new_outcome(hits, maybe, version_unordered)
        return known

    def _read_hit(self, j: int) -> Hit:
        """Entry ``j`` of a record, read when first found."""
        entries, vulnerabilities = self._unread
        advisory_id, _ecosystem, fixed, severity, _unordered = entries[j]
        hit = self._hits[j] = _entry_hit(vulnerabilities[advisory_id],
                                         None if severity is None else Severity(severity),
                                         tuple(fixed))
        return hit

    def _merged_hits(self, entries: Iterable[int], status: MatchStatus) -> tuple[Hit, ...]:
        merged: dict[str, Hit] = {}
        for j in sorted(entries):
            hit = self._hits[j] or self._read_hit(j)
            key = hit.vulnerability.id
            first = merged.get(key)
            merged[key] = hit if first is None else _merged(self.family, first, hit)
        hits = (merged[i] for i in sorted(merged))
        if status is MatchStatus.AFFECTED:
            return tuple(hits)
        return tuple(new_hit(h.vulnerability, h.severity, h.fixed, status) for h in hits)


# How a version was found: the entries affecting it by each way of matching, the entries
# that could not decide it, and whether its own version could not be ordered somewhere.
_Found = tuple[tuple[tuple[int, ...], ...], frozenset[int], bool]
_NO_ENTRIES: frozenset[int] = frozenset()


def _worth_bisecting_after(compiled: Sequence[CompiledPackage]) -> int:
    # Listed versions do not count: both ways parse each of them once per process.
    ranges = sum(len(p.ranges) for p in compiled)
    boundaries = sum(len(r.events) + len(r.limits) for p in compiled for r in p.ranges)
    return max(4, boundaries // max(1, ranges))


RECORD_FORMAT = 2  # of PackageIndex.record (2: lists of entries shared, ADR 0028)


@dataclass(frozen=True, slots=True)
class _EntryRecord:
    """What an index keeps of each entry, besides its ranges."""

    advisory_id: str
    ecosystem: str  # as OSV writes it: its distribution filters the entry by distro
    fixed: tuple[str, ...]  # in the family's order
    severity: Severity | None  # the entry's own, where the record gives one
    unordered: tuple[str, ...]  # boundaries no comparator could order: ranges dropped


def _entry_hit(vulnerability: VulnerabilityInfo, own: Severity | None,
               fixed: tuple[str, ...]) -> Hit:
    severity = vulnerability.severity if own is None else max(vulnerability.severity, own)
    return new_hit(vulnerability, severity, fixed)


def _merged(family: str, first: Hit, second: Hit) -> Hit:
    """Two entries of one vulnerability: the higher severity, the fixed versions of both."""
    fixed = sort_versions(family, dict.fromkeys((*first.fixed, *second.fixed)))
    return new_hit(first.vulnerability, max(first.severity, second.severity), fixed)


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
