"""OSV range semantics and component matching, case by case."""

from __future__ import annotations

import pytest

from cpstrust.messages import Lang
from cpstrust.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    RangeType,
    Severity,
)
from cpstrust.model.finding import MatchStatus
from cpstrust.model.sbom import SbomComponent
from cpstrust.vulndb.matching import (
    MatchReport,
    SkipReason,
    fixed_versions,
    is_affected,
    match_components,
)
from cpstrust.vulndb.memory import InMemoryAdvisoryLookup


def events(*pairs: tuple[str, str], kind: RangeType = RangeType.ECOSYSTEM) -> AffectedRange:
    return AffectedRange(kind, tuple(RangeEvent(k, v) for k, v in pairs))


def package(ecosystem: str, name: str, *ranges: AffectedRange, versions: tuple[str, ...] = (),
            severity: Severity | None = None) -> AffectedPackage:
    return AffectedPackage(ecosystem, name, None, ranges, versions, severity)


def advisory(id_: str, *affected: AffectedPackage, aliases: tuple[str, ...] = (),
             severity: Severity = Severity.UNKNOWN, withdrawn: str | None = None,
             summary: str | None = None) -> Advisory:
    return Advisory(id=id_, aliases=aliases, modified="2024-01-01T00:00:00Z", published=None,
                    withdrawn=withdrawn, summary=summary, details=None, affected=affected,
                    cvss=(), severity=severity)


def component(purl: str | None, ref: str = "c1", version: str | None = None) -> SbomComponent:
    return SbomComponent(ref=ref, name="x", version=version, purl=purl)


INTRO_FIXED = package("PyPI", "x", events(("introduced", "1.0"), ("fixed", "2.0")))


@pytest.mark.parametrize(("version", "expected"), [
    ("0.9", False), ("1.0", True), ("1.5", True), ("2.0rc1", True), ("2.0", False), ("2.1", False),
])
def test_introduced_inclusive_fixed_exclusive(version: str, expected: bool) -> None:
    assert is_affected("pypi", version, INTRO_FIXED) is expected


@pytest.mark.parametrize(("version", "expected"), [("1.4", True), ("1.5", True), ("1.5.1", False)])
def test_last_affected_is_inclusive(version: str, expected: bool) -> None:
    entry = package("PyPI", "x", events(("introduced", "0"), ("last_affected", "1.5")))
    assert is_affected("pypi", version, entry) is expected


@pytest.mark.parametrize(("version", "expected"), [("1.9", True), ("2.0", False), ("3.0", False)])
def test_limit_bounds_the_range(version: str, expected: bool) -> None:
    entry = package("PyPI", "x", events(("introduced", "0"), ("limit", "2.0")))
    assert is_affected("pypi", version, entry) is expected


def test_limit_star_is_infinity() -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0"), ("limit", "*")))
    assert is_affected("pypi", "99.0", entry)


@pytest.mark.parametrize(("version", "expected"), [
    ("0.5", False), ("1.0.1", True), ("1.0.2", False), ("2.5", False), ("3.1", True),
    ("3.2.5", False),
])
def test_several_introduced_fixed_pairs_in_one_range(version: str, expected: bool) -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0.0"), ("fixed", "1.0.2"),
                                        ("introduced", "3.0.0"), ("fixed", "3.2.5")))
    assert is_affected("pypi", version, entry) is expected


def test_version_in_any_of_several_ranges_is_affected() -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0"), ("fixed", "1.1")),
                    events(("introduced", "2.0"), ("fixed", "2.1")))
    assert [is_affected("pypi", v, entry) for v in ("1.0", "1.5", "2.0", "2.2")] == [
        True, False, True, False]


def test_unsorted_events_are_sorted_before_evaluation() -> None:
    entry = package("PyPI", "x", events(("fixed", "3.2.5"), ("introduced", "3.0.0"),
                                        ("fixed", "1.0.2"), ("introduced", "1.0.0")))
    assert [is_affected("pypi", v, entry) for v in ("1.0.1", "2.0", "3.1")] == [True, False, True]


def test_introduced_zero_is_below_every_version_even_pre_releases() -> None:
    entry = package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.0")))
    assert is_affected("pypi", "0.dev0", entry)
    assert is_affected("pypi", "0.0.0a1", entry)


def test_versions_list_alone() -> None:
    entry = package("PyPI", "x", versions=("1.0", "1.2"))
    assert [is_affected("pypi", v, entry) for v in ("1.0", "1.1", "1.2")] == [True, False, True]


def test_versions_list_matches_equal_pep440_spellings() -> None:
    entry = package("PyPI", "x", versions=("1.0",))
    assert is_affected("pypi", "1.0.0", entry)


def test_pre_release_before_fixed_release_is_affected() -> None:
    entry = package("PyPI", "x", events(("introduced", "0"), ("fixed", "2.0.0")))
    assert is_affected("pypi", "2.0.0rc1", entry)
    assert not is_affected("pypi", "2.0.0", entry)


def test_local_versions_order_after_their_public_version() -> None:
    fixed_101 = package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.0.1")))
    fixed_100 = package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.0.0")))
    assert is_affected("pypi", "1.0.0+local", fixed_101)
    assert not is_affected("pypi", "1.0.0+local", fixed_100)


def test_equal_introduced_and_fixed_is_an_empty_range() -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0"), ("fixed", "1.0")))
    assert not is_affected("pypi", "1.0", entry)


def test_reintroduction_at_the_fixed_version_keeps_record_order() -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0"), ("fixed", "2.0"),
                                        ("introduced", "2.0"), ("fixed", "3.0")))
    assert is_affected("pypi", "2.0", entry)


def test_git_ranges_are_ignored_and_versions_list_covers_them() -> None:
    entry = package("PyPI", "x", events(("introduced", "abc123"), ("fixed", "def456"),
                                        kind=RangeType.GIT), versions=("1.0",))
    assert is_affected("pypi", "1.0", entry)
    assert not is_affected("pypi", "1.1", entry)


def test_semver_range_in_a_non_semver_ecosystem_uses_semver_order() -> None:
    entry = package("PyPI", "x", events(("introduced", "1.0.0-alpha"), ("fixed", "1.0.0"),
                                        kind=RangeType.SEMVER))
    assert is_affected("pypi", "1.0.0-beta", entry)  # not PEP 440, but valid SemVer


def test_go_pseudo_versions_and_leading_v() -> None:
    entry = package("Go", "example.com/m", events(
        ("introduced", "0.0.0-20200101000000-abcdef123456"), ("fixed", "1.2.0"),
        kind=RangeType.SEMVER))
    assert not is_affected("go", "v0.0.0-20190101000000-abcdef123456", entry)
    assert is_affected("go", "v0.0.0-20210101000000-abcdef123456", entry)
    assert is_affected("go", "v1.1.9", entry)
    assert not is_affected("go", "v1.2.0", entry)


def test_go_incompatible_versions_compare_by_their_semver_part() -> None:
    entry = package("Go", "github.com/docker/docker", events(
        ("introduced", "0"), ("fixed", "20.10.11+incompatible"), kind=RangeType.SEMVER))
    assert is_affected("go", "v20.10.0+incompatible", entry)
    assert not is_affected("go", "v20.10.11+incompatible", entry)


def test_fixed_versions_lists_fixed_events_once_in_order() -> None:
    entry = package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.2")),
                    events(("introduced", "2.0"), ("fixed", "2.3"), ("fixed", "1.2")),
                    events(("introduced", "a"), ("fixed", "b"), kind=RangeType.GIT))
    assert fixed_versions(entry) == ("1.2", "2.3")


# --- matching components against a lookup -------------------------------------------------


def _scan(advisories: list[Advisory],
          *components: SbomComponent) -> tuple[InMemoryAdvisoryLookup, MatchReport]:
    lookup = InMemoryAdvisoryLookup.from_advisories(advisories)
    return lookup, match_components(components, lookup)


def test_pep503_names_match_across_case_and_separators() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "Django", events(("introduced", "0"),
                                                                     ("fixed", "4.2")))),
                  advisory("PYSEC-2", package("PyPI", "zope.interface", versions=("5.0",)))]
    _, report = _scan(advisories, component("pkg:pypi/django@4.1", "a"),
                      component("pkg:pypi/zope-interface@5.0", "b"),
                      component("pkg:pypi/Zope_Interface@5.0", "c"))
    assert [(m.component_ref, m.vulnerability_id) for m in report.matches] == [
        ("a", "PYSEC-1"), ("b", "PYSEC-2"), ("c", "PYSEC-2")]


def test_scoped_npm_package_matches() -> None:
    advisories = [advisory("GHSA-1", package("npm", "@angular/core", events(
        ("introduced", "0"), ("fixed", "12.1.0"), kind=RangeType.SEMVER)))]
    _, report = _scan(advisories, component("pkg:npm/%40angular/core@12.0.0"))
    assert [m.vulnerability_id for m in report.matches] == ["GHSA-1"]
    assert report.matches[0].fixed_versions == ("12.1.0",)


def test_go_module_purl_matches_osv_module_path() -> None:
    advisories = [advisory("GO-1", package("Go", "github.com/docker/docker", events(
        ("introduced", "0"), ("fixed", "20.10.11+incompatible"), kind=RangeType.SEMVER)))]
    _, report = _scan(advisories,
                      component("pkg:golang/github.com/docker/docker@v20.10.0+incompatible"))
    assert [m.vulnerability_id for m in report.matches] == ["GO-1"]


def test_vulnerability_known_under_several_ids_is_one_match() -> None:
    advisories = [
        advisory("PYSEC-2021-1",
                 package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.5"))),
                 aliases=("CVE-2021-1",), severity=Severity.MEDIUM),
        advisory("GHSA-aaaa-bbbb-cccc", package("PyPI", "x", events(("introduced", "0"),
                                                                   ("fixed", "1.4.2"))),
                 aliases=("CVE-2021-1",), severity=Severity.HIGH, summary="from GHSA"),
    ]
    _, report = _scan(advisories, component("pkg:pypi/x@1.0"))
    assert len(report.matches) == 1
    match = report.matches[0]
    assert match.vulnerability_id == "CVE-2021-1"
    assert set(match.aliases) == {"PYSEC-2021-1", "GHSA-aaaa-bbbb-cccc"}
    assert match.severity is Severity.HIGH
    assert match.fixed_versions == ("1.4.2", "1.5")
    assert match.summary == "from GHSA"


def test_package_severity_raises_match_severity() -> None:
    advisories = [advisory("GHSA-1", package("PyPI", "x", versions=("1.0",),
                                             severity=Severity.CRITICAL), severity=Severity.LOW)]
    _, report = _scan(advisories, component("pkg:pypi/x@1.0"))
    assert report.matches[0].severity is Severity.CRITICAL


def test_withdrawn_advisory_is_excluded() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", versions=("1.0",)),
                           withdrawn="2024-02-01T00:00:00Z")]
    lookup, report = _scan(advisories, component("pkg:pypi/x@1.0"))
    assert report.matches == ()
    assert lookup.withdrawn == 1


def test_unknown_ecosystems_are_skipped_and_counted() -> None:
    advisories = [advisory("OSV-1", package("Hackage", "aeson", versions=("1.0",)),
                           package("PyPI", "x", versions=("1.0",)))]
    lookup, report = _scan(advisories, component("pkg:hackage/aeson@1.0", "a"),
                           component("pkg:pypi/x@1.0", "b"))
    assert dict(lookup.skipped_ecosystems) == {"Hackage": 1}
    assert [m.component_ref for m in report.matches] == ["b"]
    assert report.count(SkipReason.UNKNOWN_ECOSYSTEM) == 1


def test_components_that_cannot_be_matched_are_reported_with_a_reason() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0"),
                                                                 ("fixed", "2.0"))))]
    _, report = _scan(advisories, component(None, "a"), component("not-a-purl", "b"),
                      component("pkg:pypi/x", "c"), component("pkg:pypi/x@latest!", "d"))
    assert [(s.ref, s.reason) for s in report.skipped] == [
        ("a", SkipReason.NO_PURL), ("b", SkipReason.INVALID_PURL), ("c", SkipReason.NO_VERSION),
        ("d", SkipReason.UNPARSEABLE_VERSION)]
    assert report.components == 4
    assert report.skipped_count == 4
    assert [str(s.detail) for s in report.skipped] == [
        "component has no package URL", "not a valid package URL",
        "neither the purl nor the component has a version",
        "version 'latest!' cannot be ordered: matched on listed versions only, the ranges it "
        "could not be compared with are reported as not compared"]
    assert report.skipped[0].detail.text(Lang.JA) == "コンポーネントにパッケージ URL がありません"


def test_component_version_is_used_when_the_purl_has_none() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", versions=("1.0",)))]
    _, report = _scan(advisories, component("pkg:pypi/x", version="1.0"))
    assert [m.version for m in report.matches] == ["1.0"]


def test_components_sharing_a_versionless_purl_are_matched_at_their_own_versions() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", versions=("1.0",)))]
    _, report = _scan(advisories, component("pkg:pypi/x", "a", version="1.0"),
                      component("pkg:pypi/x", "b", version="2.0"),
                      component("pkg:pypi/x", "c", version="1.0"), component("pkg:pypi/x", "d"))
    assert [(m.component_ref, m.version) for m in report.matches] == [("a", "1.0"), ("c", "1.0")]
    assert [(s.ref, s.reason) for s in report.skipped] == [("d", SkipReason.NO_VERSION)]


def test_components_sharing_a_purl_each_get_the_findings_and_skips_of_it() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0"),
                                                                 ("fixed", "2.0"))))]
    _, report = _scan(advisories, component("pkg:pypi/x@1.0", "a"),
                      component("pkg:pypi/x@latest!", "b"), component("pkg:pypi/x@1.0", "c"),
                      component("pkg:pypi/x@latest!", "d"), component("not-a-purl", "e"),
                      component("not-a-purl", "f"))
    assert [(m.component_ref, m.status) for m in report.matches] == [
        ("a", MatchStatus.AFFECTED), ("b", MatchStatus.NOT_COMPARED),
        ("c", MatchStatus.AFFECTED), ("d", MatchStatus.NOT_COMPARED)]
    assert [(s.ref, s.reason) for s in report.skipped] == [
        ("b", SkipReason.UNPARSEABLE_VERSION), ("d", SkipReason.UNPARSEABLE_VERSION),
        ("e", SkipReason.INVALID_PURL), ("f", SkipReason.INVALID_PURL)]
    assert report.not_compared == 2


def test_unparseable_version_still_matches_listed_versions() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0")),
                                              versions=("0.3m1",)))]
    _, report = _scan(advisories, component("pkg:pypi/x@0.3m1"))
    assert [m.vulnerability_id for m in report.matches] == ["PYSEC-1"]


def test_unorderable_range_boundary_is_reported_and_range_skipped() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0"),
                                                                 ("fixed", "trunk"))))]
    _, report = _scan(advisories, component("pkg:pypi/x@1.0"))
    assert [(m.vulnerability_id, m.status) for m in report.matches] == [
        ("PYSEC-1", MatchStatus.NOT_COMPARED)]  # not known to be safe: never dropped
    assert report.unordered_boundaries == (("PYSEC-1", "trunk"),)
    assert report.skipped == ()  # the component's own version is fine


def test_ubuntu_advisory_does_not_apply_to_a_debian_package() -> None:
    advisories = [
        advisory("UBUNTU-1", package("Ubuntu:22.04:LTS", "openssl", events(
            ("introduced", "0"), ("fixed", "3.0.2-0ubuntu1.10")))),
        advisory("DEBIAN-1", package("Debian:12", "openssl", events(
            ("introduced", "0"), ("fixed", "3.0.11-1~deb12u2")))),
    ]
    _, report = _scan(advisories, component("pkg:deb/debian/openssl@3.0.9-1?distro=debian-12"))
    assert [m.vulnerability_id for m in report.matches] == ["DEBIAN-1"]


def test_real_go_advisory_matches_gin_before_its_fix(go_advisories: list[Advisory]) -> None:
    lookup = InMemoryAdvisoryLookup.from_advisories(go_advisories)
    report = match_components(
        [component("pkg:golang/github.com/gin-gonic/gin@v1.5.0", "old"),
         component("pkg:golang/github.com/gin-gonic/gin@v1.6.0", "new")], lookup)
    old = {m.vulnerability_id for m in report.matches if m.component_ref == "old"}
    new = {m.vulnerability_id for m in report.matches if m.component_ref == "new"}
    assert "CVE-2020-36567" in old  # GO-2020-0001, canonical id is its CVE alias
    assert "CVE-2020-36567" not in new


def test_repeated_component_gets_findings_and_skips_of_its_own() -> None:
    advisories = [advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0")),
                                              versions=("0.3m1",)))]
    _, report = _scan(advisories, component("pkg:pypi/x@0.3m1", "a"),
                      component("pkg:pypi/x@0.4m1", "b"), component("pkg:pypi/x@0.3m1", "c"),
                      component("pkg:pypi/x@0.4m1", "d"))
    assert [(m.component_ref, m.vulnerability_id, m.status) for m in report.matches] == [
        ("a", "PYSEC-1", MatchStatus.AFFECTED), ("b", "PYSEC-1", MatchStatus.NOT_COMPARED),
        ("c", "PYSEC-1", MatchStatus.AFFECTED), ("d", "PYSEC-1", MatchStatus.NOT_COMPARED)]
    assert [(s.ref, s.reason) for s in report.skipped] == [
        ("b", SkipReason.UNPARSEABLE_VERSION), ("d", SkipReason.UNPARSEABLE_VERSION)]


def test_same_package_from_two_distributions_in_one_scan_is_matched_per_distribution() -> None:
    advisories = [
        advisory("UBUNTU-1", package("Ubuntu:22.04:LTS", "openssl", events(
            ("introduced", "0"), ("fixed", "3.0.2-0ubuntu1.10")))),
        advisory("DEBIAN-1", package("Debian:12", "openssl", events(
            ("introduced", "0"), ("fixed", "3.0.11-1~deb12u2")))),
    ]
    _, report = _scan(advisories,
                      component("pkg:deb/debian/openssl@3.0.2-0ubuntu1.1", "debian"),
                      component("pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.1", "ubuntu"))
    assert [(m.component_ref, m.vulnerability_id) for m in report.matches] == [
        ("debian", "DEBIAN-1"), ("ubuntu", "UBUNTU-1")]


def test_three_advisories_of_one_vulnerability_merge_fixed_versions_and_severity() -> None:
    advisories = [
        advisory("PYSEC-1", package("PyPI", "x", events(("introduced", "0"), ("fixed", "2.1"))),
                 aliases=("CVE-1",), severity=Severity.LOW),
        advisory("GHSA-1", package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.9"),
                                                       ("introduced", "2.0"), ("fixed", "2.1")),
                                   severity=Severity.CRITICAL), aliases=("CVE-1",)),
        advisory("OSV-1", package("PyPI", "x", events(("introduced", "0"), ("fixed", "1.9.0"))),
                 aliases=("CVE-1",), severity=Severity.MEDIUM),
    ]
    _, report = _scan(advisories, component("pkg:pypi/x@1.5"))
    assert [(m.vulnerability_id, m.severity, m.fixed_versions) for m in report.matches] == [
        ("CVE-1", Severity.CRITICAL, ("1.9", "1.9.0", "2.1"))]


@pytest.mark.parametrize(("version", "affected"), [("4.15.9-r0", True), ("4.15.12-r1", False)])
def test_alpine_package_before_its_fixed_revision_is_affected_and_at_it_is_not(
    version: str, affected: bool,
) -> None:
    # The issue: 4.15.9-r0 must order below the fix 4.15.12-r1 (numerically, not as text).
    advisories = [advisory("ALPINE-1", package("Alpine:v3.18", "musl", events(
        ("introduced", "0"), ("fixed", "4.15.12-r1"))))]
    _, report = _scan(advisories, component(f"pkg:apk/alpine/musl@{version}?distro=alpine-3.18"))
    assert [(m.vulnerability_id, m.status) for m in report.matches] == (
        [("ALPINE-1", MatchStatus.AFFECTED)] if affected else [])
    assert report.skipped == ()
    assert report.unordered_boundaries == ()
