"""One ordering's boundaries cutting the versions into regions, and which entries affect
each region: what lets a version be checked against a whole package by one bisection.

The boundaries of all of a package's ranges in one ordering, sorted and distinct, cut
the versions into regions: below the first boundary, equal to it, between it and the
next, ... Region 2i+1 is "equal to bounds[i]"; region 2i lies below it. A range's answer
only changes at its own boundaries, so every version of a region is affected by the same
entries; consecutive regions often share them, so they are kept as runs.

Regions are kept with each boundary's spelling, so that a compiled package can be stored
as plain text and numbers and read back (``Regions.record`` / ``regions_from_record``);
read back, a boundary is parsed only when a bisection looks at it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, NamedTuple

from cpstrust.packages.versions import VersionKey, known_key_parser
from cpstrust.vulndb.ranges import INTRODUCED, LAST_AFFECTED, CompiledRange


class SortedBounds:
    """Sorted, distinct version keys: as built, or as a record spells them, each parsed
    (and cached) only when a bisection looks at it."""

    __slots__ = ("_items", "_parse")

    def __init__(self, items: Sequence[Any], parse: Callable[[str], VersionKey] | None = None,
                 ) -> None:
        self._items = items  # keys, or (with ``parse``) their spellings
        self._parse = parse

    @classmethod
    def spelled(cls, scheme: str, spellings: Sequence[str]) -> SortedBounds:
        return cls(spellings, known_key_parser(scheme))

    def find(self, key: VersionKey) -> tuple[int, bool]:
        """Where ``key`` goes (as ``bisect_left``), and whether it equals the bound there."""
        items = self._items
        i = bisect_left(items, key, key=self._parse)
        if i == len(items):
            return i, False
        bound = items[i] if self._parse is None else self._parse(items[i])
        return i, not key < bound

    def __len__(self) -> int:
        return len(self._items)


class Regions(NamedTuple):
    """One ordering's boundaries and, per run of regions, the entries affecting it. A
    named tuple: a cold scan reads ~2,000 back, where a frozen dataclass's __init__ cost
    five times as much."""

    bounds: SortedBounds
    spellings: Sequence[str]  # the spelling each bound was parsed from
    run_starts: Sequence[int]  # the first region of each run, ascending, from 0
    run_hits: Sequence[Sequence[int]]  # run -> indexes of the entries it affects
    entries: Collection[int]  # entries with at least one range in this ordering, distinct

    def hits(self, key: VersionKey) -> tuple[int, ...]:
        """The entries affecting versions with ``key``."""
        i, equal = self.bounds.find(key)
        region = 2 * i + 1 if equal else 2 * i
        return tuple(self.run_hits[bisect_right(self.run_starts, region) - 1])

    def record(self, group: Callable[[Sequence[int]], int]) -> dict[str, Any]:
        """Plain text and numbers; each run's entries named by ``group`` (their place in
        the record's shared lists, see ``bisection.Bisection.record``)."""
        return {"bounds": list(self.spellings), "starts": list(self.run_starts),
                "hits": [group(h) for h in self.run_hits], "entries": sorted(self.entries)}


def regions_from_record(scheme: str, record: dict[str, Any],
                        groups: Sequence[Sequence[int]]) -> Regions:
    """Regions read back as the record holds them (lists; each run's entries from the
    record's ``groups``): a scan reads the records of ~1,700 packages and looks at one
    or two runs of each."""
    spellings = record["bounds"]
    return Regions(SortedBounds.spelled(scheme, spellings), spellings, record["starts"],
                   list(map(groups.__getitem__, record["hits"])), record["entries"])


def build_regions(ranges: Sequence[tuple[int, CompiledRange]]) -> Regions:
    """Sweep the regions once: the entries affected change only where an interval of
    some range starts or ends."""
    bounds, spellings = _distinct_sorted(s for _, r in ranges for s in r.spelled)
    count = 2 * len(bounds) + 1
    changes: dict[int, list[tuple[int, int]]] = {}  # region -> (entry, +1 in / -1 out)
    for j, compiled_range in ranges:
        for low, high in _affected_intervals(compiled_range, bounds):
            changes.setdefault(low, []).append((j, 1))
            changes.setdefault(high, []).append((j, -1))
    starts: list[int] = [0]
    hits: list[tuple[int, ...]] = [()]
    inside: dict[int, int] = {}  # entry -> number of its intervals covering the region
    for at in sorted(changes):
        for j, step in changes[at]:
            inside[j] = inside.get(j, 0) + step
        if at < count:
            affected = tuple(sorted(j for j, n in inside.items() if n))
            if affected != hits[-1]:
                if starts[-1] == at:  # several changes at one region: the last one holds
                    hits[-1] = affected
                else:
                    starts.append(at)
                    hits.append(affected)
    return Regions(SortedBounds(tuple(bounds)), tuple(spellings), tuple(starts), tuple(hits),
                   frozenset(j for j, _ in ranges))


def _distinct_sorted(spelled: Iterable[tuple[VersionKey, str]],
                     ) -> tuple[list[VersionKey], list[str]]:
    """Sorted keys, one per equal value (PyPI 1.0 and 1.0.0 are one boundary), each with
    the first spelling met of its value."""
    keys: list[VersionKey] = []
    spellings: list[str] = []
    for key, spelling in sorted(spelled, key=lambda pair: pair[0]):
        if not keys or keys[-1] < key:
            keys.append(key)
            spellings.append(spelling)
    return keys, spellings


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
