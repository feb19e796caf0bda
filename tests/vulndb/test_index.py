"""The bisection index answers as OSV's range-by-range evaluation does."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import orjson
import pytest

from cpstrust.model.advisory import (
    Advisory,
    AffectedEntry,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    RangeType,
    Severity,
    VulnerabilityInfo,
)
from cpstrust.model.finding import MatchStatus
from cpstrust.packages.ecosystems import GO, PYPI
from cpstrust.vulndb.index import VERSIONS_KEPT, PackageAdvisories, PackageIndex
from cpstrust.vulndb.memory import InMemoryAdvisoryLookup
from cpstrust.vulndb.ranges import Candidate, compile_package, evaluate

Found = tuple[list[tuple[str, Severity, tuple[str, ...]]], list[str], bool]


def _by_ranges(advisories: PackageAdvisories, family: str, version: str) -> Found:
    """The reference: every entry evaluated range by range, hits merged per vulnerability;
    the vulnerabilities not decided, and whether the version itself could not be ordered."""
    candidate = Candidate(family, version)
    hits: dict[str, tuple[Severity, list[str]]] = {}
    undecided: set[str] = set()
    unordered = False
    for entry in advisories.entries:
        compiled = compile_package(family, entry.package)
        verdict = evaluate(compiled, candidate)
        unordered |= verdict.version_unordered
        if verdict.undecided:
            undecided.add(entry.vulnerability.id)
        if verdict.affected:
            severity = max(entry.vulnerability.severity, entry.package.severity or Severity.UNKNOWN)
            known = hits.get(entry.vulnerability.id)
            if known is None:
                hits[entry.vulnerability.id] = (severity, list(compiled.fixed))
            else:
                fixed = known[1] + [f for f in compiled.fixed if f not in known[1]]
                hits[entry.vulnerability.id] = (max(known[0], severity), fixed)
    return ([(i, s, tuple(sorted(f))) for i, (s, f) in sorted(hits.items())],
            sorted(undecided - set(hits)), unordered)


def _by_index(index: PackageIndex, version: str) -> Found:
    outcome = index.outcome(version)
    hits = [(h.vulnerability.id, h.severity, tuple(sorted(h.fixed))) for h in outcome.hits]
    assert all(h.status is MatchStatus.AFFECTED for h in outcome.hits)
    assert all(h.status is MatchStatus.NOT_COMPARED for h in outcome.undecided)
    return hits, [h.vulnerability.id for h in outcome.undecided], outcome.version_unordered


def _versions_named(advisories: PackageAdvisories) -> Iterator[str]:
    """Every version the entries name, and versions just beside and between them."""
    for entry in advisories.entries:
        yield from entry.package.versions
        for affected_range in entry.package.ranges:
            for event in affected_range.events:
                yield event.version
                yield f"{event.version}.1"  # just above (or, for PyPI, equal-ish)
                yield f"{event.version}rc1"  # a pre-release near it (PyPI)
                yield f"{event.version}-rc.1"  # a pre-release near it (SemVer)
                yield f"v{event.version}"
    yield from ("0", "0.0.0", "999.0", "not a version")


def _ranges_only(advisories: PackageAdvisories) -> PackageAdvisories:
    # PyPA records also list their affected versions, which would hide range mistakes.
    return PackageAdvisories(replace(e, package=replace(e.package, versions=()))
                             for e in advisories.entries)


@pytest.mark.parametrize("family", [PYPI, GO])
@pytest.mark.parametrize("lists", ["with versions lists", "ranges only"])
def test_index_agrees_with_range_by_range_evaluation_on_all_shared_advisories(
    pypa_advisories: list[Advisory], go_advisories: list[Advisory], family: str, lists: str
) -> None:
    lookup = InMemoryAdvisoryLookup.from_advisories(pypa_advisories + go_advisories)
    packages = {key: found if lists == "with versions lists" else _ranges_only(found)
                for key, found in lookup.affected_for(lookup.keys()).items()
                if key[0] == family}
    checked = disagreements = 0
    examples = []
    for (_, name), advisories in packages.items():
        index = PackageIndex(family, advisories.entries, bisect_after=0)  # always bisects
        for version in dict.fromkeys(_versions_named(advisories)):
            checked += 1
            expected = _by_ranges(advisories, family, version)
            if _by_index(index, version) != expected:
                disagreements += 1
                examples.append((name, version))
    assert checked > 20_000
    assert (disagreements, examples[:5]) == (0, [])


def _entry(vulnerability: str, *events: tuple[str, str], versions: tuple[str, ...] = (),
           limits: tuple[str, ...] = ()) -> AffectedEntry:
    range_events = tuple(RangeEvent(kind, version) for kind, version in events)
    range_events += tuple(RangeEvent("limit", v) for v in limits)
    package = AffectedPackage(
        ecosystem="PyPI", name="demo", purl=None,
        ranges=(AffectedRange(RangeType.ECOSYSTEM, range_events),) if range_events else (),
        versions=versions,
    )
    info = VulnerabilityInfo(vulnerability, (), Severity.HIGH, None)
    return AffectedEntry(info, vulnerability, package)


def _affected_ids(advisories: PackageAdvisories, version: str) -> list[str]:
    index = PackageIndex(PYPI, advisories.entries, bisect_after=0)
    return [h.vulnerability.id for h in index.outcome(version).hits]


def test_last_affected_limit_and_equal_spellings_of_one_boundary() -> None:
    advisories = PackageAdvisories([
        _entry("A", ("introduced", "1.0"), ("last_affected", "1.2")),
        _entry("B", ("introduced", "1.0.0"), ("fixed", "2.0")),  # 1.0.0 is 1.0 in PEP 440
        _entry("C", ("introduced", "0"), limits=("1.1",)),
        _entry("D", versions=("3.0",)),
    ])
    assert _affected_ids(advisories, "0.9") == ["C"]
    assert _affected_ids(advisories, "1.0") == ["A", "B", "C"]
    assert _affected_ids(advisories, "1.2") == ["A", "B"]
    assert _affected_ids(advisories, "1.2.post1") == ["B"]
    assert _affected_ids(advisories, "2.0") == []
    assert _affected_ids(advisories, "3.0.0") == ["D"]  # listed 3.0, by key
    outcome = PackageIndex(PYPI, advisories.entries, bisect_after=0).outcome("not-a-version")
    assert (outcome.hits, outcome.version_unordered) == ((), True)
    # D lists its versions: a version without a key is none of them but by its spelling.
    assert [h.vulnerability.id for h in outcome.undecided] == ["A", "B", "C"]


@pytest.mark.parametrize("bisect_after", [0, 1000])
def test_a_range_with_an_unorderable_boundary_decides_nothing_it_does_not_find(
    bisect_after: int,
) -> None:
    advisories = PackageAdvisories([
        _entry("A", ("introduced", "0"), ("fixed", "trunk")),  # "trunk" is no PEP 440 version
        _entry("A", ("introduced", "5.0"), ("fixed", "5.1")),  # the same vulnerability, decidable
        _entry("B", ("introduced", "1.0"), ("fixed", "2.0")),
    ])
    index = PackageIndex(PYPI, advisories.entries, bisect_after=bisect_after)
    assert index.unordered_boundaries == (("A", "trunk"),)
    low, inside, fixed = index.outcome("0.5"), index.outcome("5.0.1"), index.outcome("1.5")
    assert ([h.vulnerability.id for h in low.hits], [h.vulnerability.id for h in low.undecided]
            ) == ([], ["A"])
    assert ([h.vulnerability.id for h in inside.hits], inside.undecided) == (["A"], ())
    assert ([h.vulnerability.id for h in fixed.hits], [h.vulnerability.id for h in fixed.undecided]
            ) == (["B"], ["A"])
    assert not low.version_unordered  # the version is fine; the advisory is not


def test_entries_of_one_vulnerability_merge_into_one_hit() -> None:
    advisories = PackageAdvisories([
        _entry("A", ("introduced", "1.0"), ("fixed", "1.5")),
        _entry("A", ("introduced", "1.4"), ("fixed", "1.6")),
    ])
    outcome = PackageIndex(PYPI, advisories.entries, bisect_after=0).outcome("1.4.2")
    assert [(h.vulnerability.id, h.fixed) for h in outcome.hits] == [("A", ("1.5", "1.6"))]


def test_outcomes_kept_per_version_are_bounded_and_answers_stay_right() -> None:
    advisories = PackageAdvisories([_entry("A", ("introduced", "1.0"), ("fixed", "2.0"))])
    index = advisories.index(PYPI)
    versions = [f"1.{i}" for i in range(VERSIONS_KEPT + 50)] + ["0.1", "2.0"]
    first = [bool(index.outcome(v).hits) for v in versions]
    again = [bool(index.outcome(v).hits) for v in versions]
    assert first == again == [True] * (VERSIONS_KEPT + 50) + [False, False]
    assert len(index._by_version) == VERSIONS_KEPT


def test_a_package_asked_often_enough_switches_to_bisection_with_the_same_answers() -> None:
    advisories = PackageAdvisories([
        _entry("A", ("introduced", "1.0"), ("last_affected", "1.2")),
        _entry("B", ("introduced", "0"), ("fixed", "2.0"), versions=("2.1",)),
    ])
    index = advisories.index(PYPI)
    versions = ["0.5", "1.0", "1.2", "1.3", "2.0", "2.1", "2.1.0", "bad"]
    first = [index.outcome(v) for v in versions]  # four entry by entry, then bisection
    again = [index.outcome(v) for v in versions]
    assert first == again
    assert [[h.vulnerability.id for h in o.hits] for o in first] == [
        ["B"], ["A", "B"], ["A", "B"], ["B"], [], ["B"], ["B"], []]


def _read_back(index: PackageIndex, advisories: PackageAdvisories,
               distro: str | None = None) -> PackageIndex:
    record = orjson.loads(orjson.dumps(index.record()))  # through JSON, as the store keeps it
    vulnerabilities = {e.advisory_id: e.vulnerability for e in advisories.entries}
    return PackageIndex.from_record(index.family, record, vulnerabilities, distro)


@pytest.mark.parametrize("family", [PYPI, GO])
def test_an_index_read_back_from_its_record_answers_as_the_index_built(
    pypa_advisories: list[Advisory], go_advisories: list[Advisory], family: str
) -> None:
    lookup = InMemoryAdvisoryLookup.from_advisories(pypa_advisories + go_advisories)
    checked = 0
    disagreements = []
    for (_, name), advisories in lookup.affected_for(lookup.keys()).items():
        if _ != family:
            continue
        built = PackageIndex(family, advisories.entries, bisect_after=0)
        read_back = _read_back(built, advisories)
        assert read_back.unordered_boundaries == built.unordered_boundaries
        for version in dict.fromkeys(_versions_named(advisories)):
            checked += 1
            if _by_index(read_back, version) != _by_index(built, version):
                disagreements.append((name, version))
    assert checked > 20_000
    assert disagreements[:5] == []


def test_a_record_read_for_a_distro_leaves_the_other_distros_out() -> None:
    def entry(vulnerability: str, ecosystem: str, fixed: str) -> AffectedEntry:
        package = AffectedPackage(ecosystem, "openssl", None, (AffectedRange(
            RangeType.ECOSYSTEM, (RangeEvent("introduced", "0"), RangeEvent("fixed", fixed))),),
            ())
        return AffectedEntry(VulnerabilityInfo(vulnerability, (), Severity.HIGH, None),
                             vulnerability, package)

    advisories = PackageAdvisories([
        entry("UBUNTU-1", "Ubuntu:22.04:LTS", "3.0.2-0ubuntu1.10"),
        entry("DEBIAN-1", "Debian:12", "3.0.11-1~deb12u2"),
        entry("DEBIAN-2", "Debian:12", "3.0.11-1~deb12u2bad!"),  # an unorderable fix
    ])
    for distro in ("debian", "ubuntu", None):
        built = PackageIndex("deb", advisories.entries, distro, bisect_after=0)
        read_back = _read_back(PackageIndex("deb", advisories.entries, bisect_after=0),
                               advisories, distro)
        assert read_back.unordered_boundaries == built.unordered_boundaries
        for version in ("3.0.9-1", "3.0.11-1~deb12u2", "3.0.2-0ubuntu1.9", "9.0"):
            assert _by_index(read_back, version) == _by_index(built, version), (distro, version)
