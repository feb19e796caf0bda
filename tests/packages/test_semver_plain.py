"""SemVer keys read by our own regular expressions (a plain ``MAJOR.MINOR.PATCH``, then
the whole SemVer 2.0 grammar) instead of ``semver.Version.parse`` give the key the
library gives, and refuse what it refuses, on every string, with leading zeros,
non-ASCII digits, spaces, pre-release and build parts, and Go's pseudo-versions."""

from __future__ import annotations

import semver
from hypothesis import given
from hypothesis import strategies as st

from cpstrust.packages.versions import SemverKey, _semver_key


def by_the_library(text: str) -> SemverKey | None:
    try:
        parsed = semver.Version.parse(text)
    except ValueError:
        return None
    pre = parsed.prerelease
    if pre is None:
        return (parsed.major, parsed.minor, parsed.patch, 1, ())
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (parsed.major, parsed.minor, parsed.patch, 0, ids)


def refusal_by_the_library(text: str) -> str | None:
    try:
        semver.Version.parse(text)
    except ValueError as exc:
        return str(exc)
    return None


def ours(text: str) -> SemverKey | None:
    try:
        return _semver_key(text)
    except ValueError:
        return None


NUMBER = st.one_of(st.integers(0, 10**20).map(str), st.sampled_from(["00", "01", "007", "٣",
                                                                      "1_0", "+1", " 1"]))


@given(st.tuples(NUMBER, NUMBER, NUMBER), st.sampled_from(["", "-rc.1", "+build", "\n",
                                                          ".0", "-0", " "]))
def test_releases_of_three_numbers_key_as_semver_keys_them(
        numbers: tuple[str, str, str], tail: str) -> None:
    text = ".".join(numbers) + tail
    assert ours(text) == by_the_library(text)


@given(st.text(alphabet="0123456789.-+a٣ \n", max_size=14))
def test_any_string_keys_or_fails_as_semver_decides(text: str) -> None:
    assert ours(text) == by_the_library(text)


IDENTIFIER = st.text(alphabet="0123456789azAZ-٣_", min_size=0, max_size=6)


@given(st.tuples(NUMBER, NUMBER, NUMBER),
       st.lists(IDENTIFIER, min_size=1, max_size=4), st.lists(IDENTIFIER, max_size=3))
def test_pre_releases_and_builds_key_as_semver_keys_them(
        numbers: tuple[str, str, str], pre: list[str], build: list[str]) -> None:
    text = ".".join(numbers) + "-" + ".".join(pre) + ("+" + ".".join(build) if build else "")
    assert ours(text) == by_the_library(text)


@given(st.integers(0, 2), st.integers(10**13, 10**14 - 1), st.text(
    alphabet="0123456789abcdef", min_size=12, max_size=12), st.sampled_from(["", "0.", "a."]))
def test_go_pseudo_versions_key_as_semver_keys_them(
        minor: int, stamp: int, revision: str, base: str) -> None:
    text = f"0.{minor}.0-{base}{stamp}-{revision}"
    assert ours(text) == by_the_library(text)


@given(st.text(alphabet="0123456789.-+aZ٣ \n", max_size=20))
def test_a_refusal_says_what_the_library_says(text: str) -> None:
    try:
        _semver_key(text)
    except ValueError as exc:
        assert str(exc) == refusal_by_the_library(text)
    else:
        assert refusal_by_the_library(text) is None
