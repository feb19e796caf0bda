"""One vulnerability, many advisories: merging records that alias each other.

PYSEC-2021-1, GHSA-xxxx and CVE-2021-1234 usually describe one vulnerability. Ids are
joined when any advisory lists another as an alias (union-find, so the relation is
transitive). A few records alias several CVEs at once (one fix for several reports);
their CVEs then become one vulnerability too. That is what the record asserts ("known
under these ids"), and reporting one finding per fix is what a user acts on, so we
follow it rather than second-guess the data. ``related`` ids are not merged: the OSV
schema says they are different vulnerabilities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from cpstrust.model.advisory import Severity, VulnerabilityInfo


class Aliased(Protocol):
    """What merging needs of an advisory: an ``Advisory``, or the ``VulnerabilityInfo``
    of one as the store keeps it."""

    @property
    def id(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary(self) -> str | None: ...


def id_preference(vulnerability_id: str) -> tuple[int, str]:
    """Sort key choosing the canonical id: CVE first, then GHSA, then others; then by text."""
    if vulnerability_id.startswith("CVE-"):
        return (0, vulnerability_id)
    if vulnerability_id.startswith("GHSA-"):
        return (1, vulnerability_id)
    return (2, vulnerability_id)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:  # path compression keeps later finds O(1)
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[b] = a


def merge_aliases(advisories: Iterable[Aliased]) -> dict[str, VulnerabilityInfo]:
    """Every id (advisory ids and their aliases) -> its merged vulnerability.

    Canonical id: ``id_preference``. Severity: the highest of the group's advisories.
    Summary: from the first advisory that has one, advisories taken in ``id_preference``
    order of their own ids (so the result does not depend on input order).
    """
    records = list(advisories)
    groups = _UnionFind()
    for advisory in records:
        groups.find(advisory.id)
        for alias in advisory.aliases:
            groups.union(advisory.id, alias)
    members: dict[str, list[str]] = defaultdict(list)
    for item in list(groups.parent):
        members[groups.find(item)].append(item)
    by_group: dict[str, list[Aliased]] = defaultdict(list)
    for advisory in records:
        by_group[groups.find(advisory.id)].append(advisory)
    merged: dict[str, VulnerabilityInfo] = {}
    for root, ids in members.items():
        info = _info(ids, by_group[root])
        for item in ids:
            merged[item] = info
    return merged


def _info(ids: list[str], advisories: list[Aliased]) -> VulnerabilityInfo:
    canonical = min(ids, key=id_preference)
    ordered = sorted(advisories, key=lambda a: id_preference(a.id))
    summary = next((a.summary for a in ordered if a.summary), None)
    return VulnerabilityInfo(
        id=canonical,
        aliases=tuple(sorted(i for i in set(ids) if i != canonical)),
        severity=max(a.severity for a in advisories),
        summary=summary,
    )
