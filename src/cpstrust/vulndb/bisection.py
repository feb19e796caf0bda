"""A package's entries compiled for bisection: the regions of every ordering its ranges
use, and its listed versions by spelling and by key.

Built from compiled entries (``Bisection.build``), or read back from the plain record a
store keeps of it (``Bisection.record`` / ``Bisection.from_record``): a boundary or a
listed version is then parsed only when a bisection looks at it, so a process that
checks a few versions of a package parses a few of its versions, not all of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from cpstrust.packages.versions import HASHABLE_SCHEMES, VersionKey, try_key
from cpstrust.vulndb.ranges import Candidate, CompiledPackage, CompiledRange
from cpstrust.vulndb.regions import Regions, SortedBounds, build_regions, regions_from_record

Ways = tuple[tuple[int, ...], ...]  # the entries found affected, by each way of matching


class ListedByKey(NamedTuple):
    """Listed versions sorted by key, one per distinct key, with the entries listing it
    (a named tuple, as ``Regions`` is)."""

    keys: SortedBounds
    spellings: Sequence[str]
    entries: Sequence[Sequence[int]]

    def get(self, key: VersionKey) -> tuple[int, ...]:
        i, equal = self.keys.find(key)
        return tuple(self.entries[i]) if equal else ()


class Bisection:
    """The regions of every ordering the package's ranges use, and its listed versions."""

    __slots__ = ("_by_key", "_by_text", "_groups", "_orderings", "family")

    def __init__(self, family: str, by_text: Mapping[str, int],
                 groups: Sequence[Sequence[int]], by_key: ListedByKey | None,
                 orderings: dict[str, Regions]) -> None:
        self.family = family
        # Listed spelling -> its entries, as an index into ``groups``: the many versions
        # an advisory lists share one list of entries.
        self._by_text = by_text
        self._groups = groups
        self._by_key = by_key  # None: the family's keys do not hash, or nothing is listed
        self._orderings = orderings

    @classmethod
    def build(cls, family: str, compiled: Sequence[CompiledPackage]) -> Bisection:
        listed = _listed_by_text(compiled)
        by_key = _listed_by_key(family, listed) if listed and family in HASHABLE_SCHEMES \
            else None
        groups: dict[tuple[int, ...], int] = {}
        by_text = {text: groups.setdefault(entries, len(groups))
                   for text, entries in listed.items()}
        return cls(family, by_text, list(groups), by_key, _orderings(compiled))

    def find(self, candidate: Candidate) -> tuple[Ways, set[int]]:
        """The entries affecting the candidate, by each way of matching; and the entries
        that have a range the candidate could not be ordered in."""
        found: list[tuple[int, ...]] = []
        unordered: set[int] = set()
        spelled = self._by_text.get(candidate.normalized)
        if spelled is not None:
            found.append(tuple(self._groups[spelled]))
        for scheme, regions in self._orderings.items():
            key = candidate.key(scheme)
            if key is None:
                unordered.update(regions.entries)
            elif in_region := regions.hits(key):
                found.append(in_region)
        if self._by_key is not None:  # a version without a key equals no listed version
            key = candidate.key(self.family)
            if key is not None and (listed := self._by_key.get(key)):
                found.append(listed)
        return tuple(found), unordered

    def record(self) -> dict[str, Any]:
        """Plain text and numbers (JSON), for ``from_record``. Every list of entries (of
        a listed spelling, of a run of regions) is written once, in ``groups``, and named
        by its place there: the versions an advisory lists share one, and a record read
        back makes a third fewer objects (a cold scan reads ~1,700 records)."""
        groups: dict[tuple[int, ...], int] = {}

        def group(entries: Sequence[int]) -> int:
            return groups.setdefault(tuple(entries), len(groups))

        by_key = self._by_key
        text = {t: group(self._groups[g]) for t, g in self._by_text.items()}
        listed = None if by_key is None else {
            "spellings": list(by_key.spellings), "groups": [group(e) for e in by_key.entries]}
        orderings = {scheme: r.record(group) for scheme, r in self._orderings.items()}
        return {"text": text, "listed": listed, "orderings": orderings,
                "groups": [list(g) for g in groups]}

    @classmethod
    def from_record(cls, family: str, record: dict[str, Any]) -> Bisection:
        """A bisection read back as the record holds it (lists): a scan reads the records
        of ~1,700 packages and looks at one or two versions of each."""
        groups: list[list[int]] = record["groups"]
        listed = record["listed"]
        by_key = None if listed is None else ListedByKey(
            SortedBounds.spelled(family, listed["spellings"]), listed["spellings"],
            list(map(groups.__getitem__, listed["groups"])))
        return cls(family, record["text"], groups, by_key,
                   {scheme: regions_from_record(scheme, r, groups)
                    for scheme, r in record["orderings"].items()})


def _listed_by_text(compiled: Sequence[CompiledPackage]) -> dict[str, tuple[int, ...]]:
    by_text: dict[str, list[int]] = {}
    for j, package in enumerate(compiled):
        for text in package.listed.texts:
            by_text.setdefault(text, []).append(j)
    return {text: tuple(found) for text, found in by_text.items()}


def _listed_by_key(family: str, by_text: dict[str, tuple[int, ...]]) -> ListedByKey:
    """Each distinct spelling parsed once for the package (its advisories list the same
    versions over and over), grouped by key, sorted."""
    parsed = sorted(((key, text) for text in by_text if (key := try_key(family, text))
                     is not None), key=lambda pair: pair[0])
    keys: list[VersionKey] = []
    spellings: list[str] = []
    entries: list[set[int]] = []
    for key, text in parsed:
        if not keys or keys[-1] < key:
            keys.append(key)
            spellings.append(text)
            entries.append(set())
        entries[-1].update(by_text[text])
    return ListedByKey(SortedBounds(tuple(keys)), tuple(spellings),
                       tuple(tuple(sorted(e)) for e in entries))


def _orderings(compiled: Sequence[CompiledPackage]) -> dict[str, Regions]:
    """Per ordering used by some range: the regions and the entries each one affects."""
    ranges: dict[str, list[tuple[int, CompiledRange]]] = {}
    for j, package in enumerate(compiled):
        for compiled_range in package.ranges:
            ranges.setdefault(compiled_range.scheme, []).append((j, compiled_range))
    return {scheme: build_regions(found) for scheme, found in ranges.items()}
