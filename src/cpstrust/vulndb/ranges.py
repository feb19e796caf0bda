"""OSV affected ranges, compiled once and evaluated many times.

Evaluation follows the OSV schema's ``IsVulnerable`` pseudocode (docs/schema.md,
"Evaluation"): a version is affected when it is in ``versions`` or inside any range;
within a range, events are sorted by version ("0" lowest; a stable sort, so equal
versions keep the record's order), ``introduced`` switches on at ``v >= introduced``,
``fixed`` switches off at ``v >= fixed``, ``last_affected`` switches off at
``v > last_affected``, and ``limit`` events bound the range from above (``v < limit``
for any limit; "*" is infinity; none means no bound). GIT ranges need the repository's
commit graph and are skipped: their records enumerate ``versions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cpstrust.model.advisory import AffectedPackage, AffectedRange, RangeType
from cpstrust.packages.ecosystems import GO
from cpstrust.packages.versions import (
    HASHABLE_SCHEMES,
    SEMVER,
    SEMVER_FAMILIES,
    VersionKey,
    VersionParseError,
    normalize_version,
    scheme_key,
    sort_versions,
    try_key,
)

# Event kinds in a compiled range.
INTRODUCED, FIXED, LAST_AFFECTED = 0, 1, 2
_EVENT_CODES = {"introduced": INTRODUCED, "fixed": FIXED, "last_affected": LAST_AFFECTED}


@dataclass(frozen=True, slots=True)
class CompiledRange:
    """A range's events as (kind code, key) sorted by key; None is the introduced "0"."""

    scheme: str
    events: tuple[tuple[int, VersionKey | None], ...]
    limits: tuple[VersionKey | None, ...]  # None is "*"; empty: no limit event
    spelled: tuple[tuple[VersionKey, str], ...]  # every boundary's key and its spelling


class ListedVersions:
    """An entry's explicit ``versions``: matched by spelling, else by key (PyPI "1.0" is
    "1.0.0"). Keys are computed on first need: ranges decide most cases, and the PyPA
    lists run to hundreds of versions."""

    __slots__ = ("_keys", "family", "texts")

    def __init__(self, family: str, versions: Iterable[str]) -> None:
        self.family = family
        if family == GO:  # the only family whose spellings need normalising
            versions = (normalize_version(family, v) for v in versions)
        self.texts = frozenset(versions)
        self._keys: frozenset[object] | None = None

    def key_set(self) -> frozenset[object]:
        """Keys of the listed versions that parse, for schemes whose keys hash."""
        if self._keys is None:
            parsed = (try_key(self.family, v) for v in self.texts)
            hashable = self.family in HASHABLE_SCHEMES
            self._keys = frozenset(k for k in parsed if k is not None) if hashable else frozenset()
        return self._keys


@dataclass(frozen=True, slots=True)
class CompiledPackage:
    """An ``AffectedPackage`` ready for evaluation in one family."""

    family: str
    ranges: tuple[CompiledRange, ...]
    listed: ListedVersions
    unordered: tuple[str, ...]  # boundaries no comparator could order: their range is dropped
    fixed: tuple[str, ...]  # ``fixed_versions``, in the family's order


@dataclass(frozen=True, slots=True)
class Verdict:
    """Outcome of one evaluation.

    ``undecided``: not found affected, but some range could not be evaluated, because the
    version cannot be ordered in its scheme (``version_unordered``) or because one of the
    range's own boundaries cannot (the range was dropped at compile time). Such a version
    is not known to be safe and is reported as not compared, never as not affected.
    """

    affected: bool
    undecided: bool
    version_unordered: bool


_AFFECTED = Verdict(affected=True, undecided=False, version_unordered=False)
_NOT_AFFECTED = Verdict(affected=False, undecided=False, version_unordered=False)
_VERSION_UNORDERED = Verdict(affected=False, undecided=True, version_unordered=True)
_RANGE_DROPPED = Verdict(affected=False, undecided=True, version_unordered=False)


class Candidate:
    """A version being checked, with its keys per ordering computed once."""

    __slots__ = ("_keys", "family", "normalized", "text")

    def __init__(self, family: str, text: str) -> None:
        self.family = family
        self.text = text
        self.normalized = normalize_version(family, text)
        self._keys: dict[str, VersionKey | None] = {}

    def key(self, scheme: str) -> VersionKey | None:
        """Key in ``scheme``; None when that ordering cannot parse the version."""
        try:
            return self._keys[scheme]
        except KeyError:
            key = self._keys[scheme] = try_key(scheme, self.text)
            return key


def range_scheme(family: str, range_type: RangeType) -> str:
    """The ordering an OSV range uses: SEMVER ranges use SemVer unless the family does."""
    if range_type is RangeType.SEMVER and family not in SEMVER_FAMILIES:
        return SEMVER
    return family


def _order(event: tuple[int, VersionKey | None]) -> tuple[int, VersionKey | None]:
    return (0, None) if event[1] is None else (1, event[1])


def compile_range(family: str, affected_range: AffectedRange) -> CompiledRange:
    """Parse a range's boundaries; raises VersionParseError if one cannot be ordered."""
    scheme = range_scheme(family, affected_range.type)
    events: list[tuple[int, VersionKey | None]] = []
    limits: list[VersionKey | None] = []
    spelled: list[tuple[VersionKey, str]] = []
    for event in affected_range.events:
        unbounded = event.version == "0" if event.kind == "introduced" else (
            event.kind == "limit" and "*" in event.version)
        if unbounded:  # introduced "0", limit "*"
            key = None
        else:
            key = scheme_key(scheme, event.version)
            spelled.append((key, event.version))
        if event.kind == "limit":
            limits.append(key)
        else:
            events.append((_EVENT_CODES[event.kind], key))
    events.sort(key=_order)
    return CompiledRange(scheme, tuple(events), tuple(limits), tuple(spelled))


@lru_cache(maxsize=1 << 15)
def compile_package(family: str, package: AffectedPackage) -> CompiledPackage:
    """Compile every non-GIT range and the versions list of ``package`` for ``family``.

    Cached by value, so that repeated scans (and the store's fresh copies of the same
    entries) compile each package once.
    """
    ranges: list[CompiledRange] = []
    unordered: list[str] = []
    for affected_range in package.ranges:
        if affected_range.type is RangeType.GIT:
            continue
        try:
            ranges.append(compile_range(family, affected_range))
        except VersionParseError:
            unordered.extend(_unordered_boundaries(family, affected_range))
    return CompiledPackage(
        family, tuple(ranges), ListedVersions(family, package.versions), tuple(unordered),
        sort_versions(family, fixed_versions(package)),
    )


def _unordered_boundaries(family: str, affected_range: AffectedRange) -> list[str]:
    scheme = range_scheme(family, affected_range.type)
    bad = []
    for event in affected_range.events:
        if event.version == "0" or "*" in event.version:
            continue
        try:
            scheme_key(scheme, event.version)
        except VersionParseError:
            bad.append(event.version)
    return bad


def _in_range(compiled: CompiledRange, key: VersionKey) -> bool:
    if compiled.limits and not any(limit is None or key < limit for limit in compiled.limits):
        return False
    vulnerable = False
    for kind, boundary in compiled.events:
        if kind == INTRODUCED:
            if boundary is None or key >= boundary:
                vulnerable = True
        elif boundary is not None and (key >= boundary if kind == FIXED else key > boundary):
            vulnerable = False
    return vulnerable


def evaluate(compiled: CompiledPackage, candidate: Candidate) -> Verdict:
    """Is the candidate affected, not affected, or undecided (see ``Verdict``)? A version
    that cannot be ordered is still matched against the versions list."""
    listed = compiled.listed
    if candidate.normalized in listed.texts:
        return _AFFECTED
    unordered = False
    for compiled_range in compiled.ranges:
        key = candidate.key(compiled_range.scheme)
        if key is None:
            unordered = True
        elif _in_range(compiled_range, key):
            return _AFFECTED
    if listed.texts and compiled.family in HASHABLE_SCHEMES:
        # A version without a key equals no listed version that has one: its spelling,
        # checked above, is all there is to compare.
        key = candidate.key(compiled.family)
        if key is not None and key in listed.key_set():
            return _AFFECTED
    if unordered:
        return _VERSION_UNORDERED
    return _RANGE_DROPPED if compiled.unordered else _NOT_AFFECTED


def is_affected(family: str, version: str, package: AffectedPackage) -> bool:
    """OSV evaluation of one version against one ``affected[]`` entry in ``family``."""
    return evaluate(compile_package(family, package), Candidate(family, version)).affected


def fixed_versions(package: AffectedPackage) -> tuple[str, ...]:
    """Every ``fixed`` version of the package's non-GIT ranges, in record order, once."""
    found = (
        event.version
        for affected_range in package.ranges
        if affected_range.type is not RangeType.GIT
        for event in affected_range.events
        if event.kind == "fixed"
    )
    return tuple(dict.fromkeys(found))
