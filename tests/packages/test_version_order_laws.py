"""Every ordering's keys form one total order: property tests of its laws, for every
scheme the version module knows (a scheme added without a strategy here fails)."""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpstrust.packages.versions import _PARSERS, HASHABLE_SCHEMES, try_key

_SEMVER = (r"(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)\.(0|[1-9][0-9]?)"
           r"(-(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})(\.(0|[1-9][0-9]?|[a-z-][a-z0-9-]{0,3})){0,2})?"
           r"(\+[a-z0-9]{1,3})?")
# Version-like strings of each scheme, tricky parts included; the few a scheme refuses
# are filtered out.
SHAPES = {
    "pypi": r"([0-9]!)?[0-9]{1,2}(\.[0-9]{1,2}){0,3}((a|b|rc)[0-9]{1,2})?(\.post[0-9])?"
            r"(\.dev[0-9])?(\+[a-z0-9]{1,3})?",
    "go": rf"v?{_SEMVER}",
    "npm": rf"v?{_SEMVER}",
    "cargo": _SEMVER,
    "semver": _SEMVER,
    "deb": r"([0-9]:)?[0-9][0-9a-z.+~]{0,6}(-[0-9a-z.+~]{1,4})?",
    "rpm": r"([0-9]{1,2}:)?[0-9a-zA-Z.~^_+]{1,8}(-[0-9a-zA-Z.~^_+]{0,5})?",
    "apk": r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]?){0,2}"
           r"(~[0-9a-f]{1,3})?(-r[0-9]{1,2})?",
    "maven": r"[0-9]{1,2}([.-]?([0-9]{1,2}|alpha|beta|rc|sp|ga|final|snapshot|a|b|m|foo)){0,4}",
    "gem": r"[0-9]{1,2}(\.([0-9]{1,2}|[a-z]{1,3}[0-9]?)){0,4}",
    "nuget": r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-[a-z0-9]{1,3}(\.[a-z0-9]{1,3}){0,2})?",
    "composer": r"v?[0-9]{1,2}(\.[0-9]{1,2}){0,3}(-?(alpha|beta|RC|rc|a|b|p|pl|patch|dev)[0-9]?)?",
}


def _versions(scheme: str) -> st.SearchStrategy[str]:
    return st.from_regex(SHAPES[scheme], fullmatch=True).filter(
        lambda v: try_key(scheme, v) is not None)


def test_every_scheme_has_a_version_shape() -> None:
    assert set(SHAPES) == set(_PARSERS)


@pytest.mark.parametrize("scheme", sorted(SHAPES))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_keys_of_every_scheme_obey_the_total_order_laws(scheme: str, data: st.DataObject) -> None:
    versions = data.draw(st.lists(_versions(scheme), min_size=2, max_size=7), label="versions")
    keys = [try_key(scheme, v) for v in versions]
    for a, b in itertools.product(keys, repeat=2):
        less, equal, greater = a < b, a == b, a > b  # type: ignore[operator]
        assert less + equal + greater == 1  # exactly one: antisymmetric and total
        assert (a <= b) == (less or equal)  # type: ignore[operator]
        assert (a >= b) == (greater or equal)  # type: ignore[operator]
        assert greater == (b < a)  # type: ignore[operator]
        if equal and scheme in HASHABLE_SCHEMES:
            assert hash(a) == hash(b)
    for a, b, c in itertools.product(keys, repeat=3):
        if a < b and b < c:  # type: ignore[operator]
            assert a < c  # type: ignore[operator]
        if a == b and b == c:
            assert a == c
        if a <= b and b <= c:  # type: ignore[operator]
            assert a <= c  # type: ignore[operator]


@pytest.mark.parametrize("scheme", sorted(SHAPES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_sorted_keys_of_every_scheme_bisect_consistently(scheme: str, data: st.DataObject) -> None:
    versions = data.draw(st.lists(_versions(scheme), min_size=1, max_size=12), label="versions")
    ordered = sorted(try_key(scheme, v) for v in versions)  # type: ignore[type-var]
    assert all(a <= b for a, b in itertools.pairwise(ordered))
    for key in ordered:
        low, high = bisect_left(ordered, key), bisect_right(ordered, key)
        assert all(k < key for k in ordered[:low])
        assert all(k == key for k in ordered[low:high])
        assert all(k > key for k in ordered[high:])
