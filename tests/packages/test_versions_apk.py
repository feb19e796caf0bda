"""Alpine ordering against a reference comparator written below straight from the rules
of apk-tools' src/version.c (token by token, as ``apk_version_compare`` walks two
versions; validity as ``apk_version_validate`` decides it), sharing no code with
cpstrust's key. No Debian package provides apk-tools, so this reference is the check:
cpstrust's key must agree with it on generated Alpine versions (digits, leading zeros,
letters, every suffix with and without numbers, ``~hash``, ``-rN``), on mutations of
them for validity, and on our own hand-written cases, the issue's included."""

from __future__ import annotations

import operator
import random
import re
from collections.abc import Callable, Iterator

import pytest

from cpstrust.packages.versions import VersionParseError, try_key, version_key

# apk-tools' token kinds, in its order: where two versions' kinds differ, the later kind
# is the older version, unless one of them is a pre-release suffix.
INITIAL, DIGIT, LETTER, SUFFIX, SUFFIX_NO, HASH, REVISION, END, INVALID = range(9)
SUFFIXES = ("alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p")
NONE_SUFFIX = SUFFIXES.index("")
_DIGITS, _LETTER, _NAME, _HEX = map(re.compile, ("[0-9]+", "[a-z]", "[a-z]+", "[0-9a-f]+"))

Token = tuple[int, str]


def _next(version: str, at: int, kind: int) -> tuple[int, re.Match[str] | None]:
    """The kind and text of the token at ``at``, after a token of ``kind`` (token_next)."""
    char = version[at]
    if "a" <= char <= "z" and kind <= DIGIT:
        return LETTER, _LETTER.match(version, at)
    if char == "." and kind <= DIGIT:
        return DIGIT, _DIGITS.match(version, at + 1)
    if char in "0123456789" and kind == SUFFIX:
        return SUFFIX_NO, _DIGITS.match(version, at)
    if char == "_" and kind <= SUFFIX_NO:
        name = _NAME.match(version, at + 1)
        return SUFFIX, name if name and name.group() in SUFFIXES else None
    if char == "~" and kind < HASH:
        return HASH, _HEX.match(version, at + 1)
    if version.startswith("-r", at) and kind < REVISION:
        return REVISION, _DIGITS.match(version, at + 2)
    return INVALID, None


def _lex(version: str) -> Iterator[Token]:
    """apk's tokens of a version, ending in END or INVALID."""
    first = _DIGITS.match(version)
    if first is None:
        yield INVALID, ""
        return
    kind, at = INITIAL, first.end()
    yield kind, first.group()
    while at < len(version):
        kind, run = _next(version, at, kind)
        if run is None:
            yield INVALID, ""
            return
        at = run.end()
        yield kind, run.group()
    yield END, ""


def _token_order(kind: int, a: str, b: str) -> int:
    if kind == DIGIT and "0" in (a[0], b[0]):  # a leading zero: compared as strings
        return (a > b) - (a < b)
    if kind in (INITIAL, DIGIT, SUFFIX_NO, REVISION):
        return (int(a) > int(b)) - (int(a) < int(b))
    if kind == SUFFIX:
        return (SUFFIXES.index(a) > SUFFIXES.index(b)) - (SUFFIXES.index(a) < SUFFIXES.index(b))
    return (a > b) - (a < b)  # the letter, the commit hash


def reference_compare(a: str, b: str) -> int:
    """apk_version_compare on two valid versions: -1, 0 or 1."""
    for (kind_a, text_a), (kind_b, text_b) in zip(_lex(a), _lex(b), strict=False):
        if kind_a != kind_b:
            if kind_a == SUFFIX and SUFFIXES.index(text_a) < NONE_SUFFIX:
                return -1
            if kind_b == SUFFIX and SUFFIXES.index(text_b) < NONE_SUFFIX:
                return 1
            return -1 if kind_a > kind_b else 1
        if kind_a == END:
            return 0
        if order := _token_order(kind_a, text_a, text_b):
            return order
    raise AssertionError("the token streams end in END")


def reference_valid(version: str) -> bool:
    """apk_version_validate: the tokens reach END."""
    return list(_lex(version))[-1][0] == END


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


OPERATORS: dict[str, Callable[[object, object], bool]] = {
    "<": operator.lt, ">": operator.gt, "=": operator.eq, "<=": operator.le, ">=": operator.ge,
}


# Parts of Alpine versions, recombined: numbers (with leading zeros, which apk compares
# as strings after the first component), a letter, every suffix with and without a
# number, a "~" commit hash and an "-rN" revision.
NUMBERS = ["0", "1", "2", "3", "9", "10", "12", "20240115"]
LEADING_ZEROS = ["0", "00", "01", "05", "050", "007"]
SUFFIX_NUMBERS = ["", "", "0", "1", "2", "10", "01"]
HASHES = ["1a2b", "1a2c", "ff", "0abc1234", "deadbeef"]


def _alpine_version(rng: random.Random) -> str:
    version = rng.choice(NUMBERS[:6])
    for _ in range(rng.randint(0, 3)):
        version += "." + rng.choice(LEADING_ZEROS if rng.random() < 0.2 else NUMBERS)
    if rng.random() < 0.15:
        version += rng.choice("abcz")
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
        version += "_" + rng.choice([s for s in SUFFIXES if s]) + rng.choice(SUFFIX_NUMBERS)
    if rng.random() < 0.1:
        version += "~" + rng.choice(HASHES)
    if rng.random() < 0.7:
        version += "-r" + rng.choice(["0", "1", "2", "9", "10", "01"])
    return version


def _mutated(rng: random.Random, version: str) -> str:
    """The version with one character inserted, deleted or replaced."""
    at = rng.randint(0, len(version))
    char = rng.choice("0123456789.abpqrzA_-~ ")
    return rng.choice([version[:at] + char + version[at:], version[:at] + version[at + 1:],
                       version[:at] + char + version[at + 1:]])


def test_apk_accepts_exactly_the_versions_apk_tools_rules_accept() -> None:
    rng = random.Random(20)
    texts = {_mutated(rng, _alpine_version(rng)) for _ in range(10_000)}
    checked = [(text, try_key("apk", text) is not None, reference_valid(text)) for text in texts]
    assert 2000 < sum(valid for _, _, valid in checked) < len(checked) - 2000
    assert [c for c in checked if c[1] != c[2]] == []


def test_apk_order_agrees_with_reference_on_generated_versions(
    order_pairs: Callable[..., list[tuple[str, str]]],
) -> None:
    rng = random.Random(21)
    versions = {_alpine_version(rng) for _ in range(8000)}
    assert len(versions) > 5000
    ordered = sorted(versions, key=lambda v: version_key("apk", v))
    pairs = order_pairs(ordered, seed=21)
    answers = [reference_compare(a, b) for a, b in pairs]
    assert set(answers) == {-1, 0, 1}
    disagreements = [(a, b, answer) for (a, b), answer in zip(pairs, answers, strict=True)
                     if _sign(version_key("apk", a), version_key("apk", b)) != answer]
    assert disagreements == []


# Our own cases of apk-tools' rules, as "a op b": the reference must say so, and
# cpstrust's key must answer every operator on the pair as the reference's answer implies.
HAND_WRITTEN = [
    "4.15.9-r0 < 4.15.12-r1",  # the musl boundary
    "2.7.9 < 2.7.10", "2.7 < 2.7.0", "2.7.0 < 2.7.0-r0", "2.7-r9 < 2.7-r10", "2.7-r01 = 2.7-r1",
    "02.7 = 2.7", "2.07 < 2.7", "2.07 < 2.070", "2.070 < 2.7", "2.7.0 < 2.7.00",
    "2.7 < 2.7a", "2.7a < 2.7b", "2.7z < 2.7.1", "2.7_p3 < 2.7a",
    "2.7_alpha < 2.7_alpha1", "2.7_alpha9 < 2.7_beta", "2.7_beta2 < 2.7_pre1",
    "2.7_pre1 < 2.7_rc1", "2.7_rc3 < 2.7", "2.7_rc3-r5 < 2.7-r0",
    "2.7 < 2.7_cvs", "2.7_cvs < 2.7_svn", "2.7_svn < 2.7_git", "2.7_git < 2.7_hg",
    "2.7_hg < 2.7_p", "2.7_p < 2.7_p0", "2.7_p9 < 2.7_p10", "2.7_p01 = 2.7_p1",
    "2.7_rc1_p2 < 2.7_rc1_p3", "2.7_rc1_alpha < 2.7_rc1", "2.7_git20240115 > 2.7_git9",
    "2.7 < 2.7~0a", "2.7~0a < 2.7~1", "2.7~ff < 2.7~ff-r0", "2.7-r3 < 2.7~0",
    "2.7_p1~ab-r2 = 2.7_p1~ab-r2",
]
ANSWERS = {"<": {-1}, "<=": {-1, 0}, "=": {0}, ">=": {0, 1}, ">": {1}}


@pytest.mark.parametrize("case", HAND_WRITTEN)
def test_apk_orders_our_hand_written_cases_as_apk_tools_rules_say(case: str) -> None:
    a, op, b = case.split()
    reference = reference_compare(a, b)
    assert reference in ANSWERS[op]
    key_a, key_b = version_key("apk", a), version_key("apk", b)
    for name, holds in OPERATORS.items():
        assert holds(key_a, key_b) == (reference in ANSWERS[name]), name


def test_alpine_fix_boundary_orders_the_same_under_every_operator() -> None:
    # The issue: univers answered < True but <= False for this pair.
    vulnerable, fixed = version_key("apk", "4.15.9-r0"), version_key("apk", "4.15.12-r1")
    assert vulnerable < fixed
    assert vulnerable <= fixed
    assert not vulnerable >= fixed
    assert not vulnerable > fixed
    assert vulnerable != fixed
    assert fixed > vulnerable
    assert fixed >= vulnerable


@pytest.mark.parametrize(("lower", "higher"), [
    ("1.0_rc1", "1.0"), ("1.0", "1.0_p1"), ("1.0", "1.0-r1"), ("1.0", "1.0~a1"),
    ("1.0-r1", "1.0~a1"), ("1.0a", "1.0.1"), ("1.0_p1", "1.0a"), ("1.05", "1.1"),
    ("1.05", "1.050"), ("1.0_alpha_pre2", "1.0_alpha"), ("1.0-r9", "1.0-r10"),
])
def test_apk_precedence(lower: str, higher: str) -> None:
    assert version_key("apk", lower) < version_key("apk", higher)


def test_apk_equal_versions_have_equal_keys_and_hashes() -> None:
    assert version_key("apk", "01.2") == version_key("apk", "1.2")  # the first number is numeric
    assert hash(version_key("apk", "01.2")) == hash(version_key("apk", "1.2"))
    assert version_key("apk", "1.0_p01") == version_key("apk", "1.0_p1")


@pytest.mark.parametrize("text", [
    "", "a1", "1.0bc", "1.0a1", "1.0-r", "1.0-r1-r2", "1.0_foo", "1.0_", "1.0~", "1.0~xyz",
    "1.0-rc1", "1.0.", "1..0", "1.0 ", "1.18446744073709551616",  # apk's numbers wrap at 2**64
])
def test_apk_refuses_invalid_versions(text: str) -> None:
    with pytest.raises(VersionParseError):
        version_key("apk", text)
