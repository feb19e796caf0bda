"""PyPI ordering against packaging.version on every boundary of the PyPA database."""

from __future__ import annotations

import itertools
import random

import pytest
from packaging.version import InvalidVersion, Version

from cpstrust.model.advisory import Advisory, AffectedPackage, AffectedRange, RangeEvent, RangeType
from cpstrust.packages.versions import VersionParseError, version_key
from cpstrust.vulndb.matching import is_affected


def _boundaries(advisories: list[Advisory]) -> set[str]:
    found: set[str] = set()
    for advisory in advisories:
        for package in advisory.affected:
            found.update(package.versions)
            for affected_range in package.ranges:
                if affected_range.type is not RangeType.GIT:
                    found.update(e.version for e in affected_range.events if e.version != "0")
    return found


def _split(versions: set[str]) -> tuple[list[str], list[str]]:
    good, bad = [], []
    for text in sorted(versions):
        try:
            Version(text)
            good.append(text)
        except InvalidVersion:
            bad.append(text)
    return good, bad


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


def test_pypi_order_agrees_with_packaging_on_every_pypa_boundary(
    pypa_advisories: list[Advisory],
) -> None:
    good, _ = _split(_boundaries(pypa_advisories))
    assert len(good) > 5000, "the PyPA data should give thousands of distinct boundaries"
    ordered = sorted(good, key=Version)
    pairs = list(itertools.pairwise(ordered))
    rng = random.Random(440)
    pairs += [(rng.choice(good), rng.choice(good)) for _ in range(20_000)]
    disagreements = [
        (a, b) for a, b in pairs
        if _sign(version_key("pypi", a), version_key("pypi", b)) != _sign(Version(a), Version(b))
    ]
    assert disagreements == []


def test_versions_packaging_cannot_parse_take_the_error_path(
    pypa_advisories: list[Advisory],
) -> None:
    _, bad = _split(_boundaries(pypa_advisories))
    print(f"{len(bad)} PyPA versions are not PEP 440, e.g. {bad[:5]}")
    assert 0 < len(bad) < 200  # 77 in the 2024-10-10 snapshot: "0.3m1", "2.0.0-final", ...
    for text in bad:
        with pytest.raises(VersionParseError):
            version_key("pypi", text)


def test_non_pep440_version_still_matches_an_explicit_versions_list() -> None:
    package = AffectedPackage(
        "PyPI", "jw.util", None,
        (AffectedRange(RangeType.ECOSYSTEM, (RangeEvent("introduced", "0"),
                                             RangeEvent("fixed", "2.0"))),),
        ("0.3m1", "1.0"),
    )
    assert is_affected("pypi", "0.3m1", package)
    assert not is_affected("pypi", "0.3m2", package)


@pytest.mark.parametrize(("lower", "higher"), [
    ("2.0.0rc1", "2.0.0"),
    ("2.0.0.dev1", "2.0.0a1"),
    ("2.0.0", "2.0.0.post1"),
    ("2.0.0", "2.0.0+local"),
    ("9.9", "1!1.0"),
    ("1.0", "1.0.1"),
])
def test_pep440_precedence(lower: str, higher: str) -> None:
    assert version_key("pypi", lower) < version_key("pypi", higher)
