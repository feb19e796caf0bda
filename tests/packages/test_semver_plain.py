"""The plain-release shortcut of SemVer keys (``MAJOR.MINOR.PATCH`` read by a regular
expression instead of ``semver.Version.parse``) gives the key the library gives, and
refuses what it refuses, on every string, with leading zeros, non-ASCII digits, spaces,
pre-release and build parts."""

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
