"""Maven ordering against Maven's own ``ComparableVersion`` (Debian's maven 3.8.7, run as
``java -cp maven-artifact-3.x.jar ...ComparableVersion v1 v2 ...``): the Maven components
of the shared SBOMs, generated versions of the shapes Maven artifacts publish, generated
item mixes, and our own cases of Maven's documented rules (qualifier order, equivalent
spellings), each checked against the jar as well as against our key."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from cpstrust.packages.versions import VersionParseError, try_key, version_key

MAVEN_ARTIFACT = Path("/usr/share/maven/lib/maven-artifact-3.x.jar")
COMPARABLE_VERSION = "org.apache.maven.artifact.versioning.ComparableVersion"
ANSWERS = {"<": -1, "==": 0, ">": 1}

Compare = Callable[[list[tuple[str, str]]], list[int]]


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


def _run_comparable_version(java: str, pairs: list[tuple[str, str]]) -> list[int]:
    # main() prints "   a OP b" for each pair of consecutive arguments: a, b, a', b', ...
    args = [version for pair in pairs for version in pair]
    done = subprocess.run([java, "-cp", str(MAVEN_ARTIFACT), COMPARABLE_VERSION, *args],
                          capture_output=True, text=True, check=True, timeout=300)
    comparisons = [line for line in done.stdout.splitlines() if line.startswith("   ")]
    assert len(comparisons) == len(args) - 1
    return [ANSWERS[comparisons[2 * i][4 + len(a):].split(" ", 1)[0]]
            for i, (a, _) in enumerate(pairs)]


@pytest.fixture(scope="module")
def comparable_version() -> Compare:
    """Maven's ComparableVersion on many pairs; a missing Maven is a failure."""
    java = shutil.which("java")
    if java is None or not MAVEN_ARTIFACT.is_file():
        pytest.fail("the Maven differential test needs Debian's maven and a Java runtime "
                    "(apt-get install maven default-jre-headless)")

    def compare(pairs: list[tuple[str, str]]) -> list[int]:
        assert all(a.isascii() and b.isascii() for a, b in pairs)
        chunks = (pairs[i:i + 4000] for i in range(0, len(pairs), 4000))  # bounded arguments
        return [answer for chunk in chunks for answer in _run_comparable_version(java, chunk)]
    return compare


def _disagreements(pairs: list[tuple[str, str]], answers: list[int]) -> list[tuple[object, ...]]:
    return [(a, b, answer) for (a, b), answer in zip(pairs, answers, strict=True)
            if _sign(version_key("maven", a), version_key("maven", b)) != answer]


# Our own cases of the rules Maven documents for ComparableVersion (its javadoc and the
# POM reference's "Version Order Specification"): the jar must give these answers, and
# so must our key.
DOCUMENTED_RULES = [
    # qualifier order: alpha < beta < milestone < rc = cr < snapshot < release < sp < others
    ("2.3-alpha", "<", "2.3-beta"), ("2.3-beta", "<", "2.3-milestone"),
    ("2.3-milestone", "<", "2.3-rc"), ("2.3-rc", "<", "2.3-snapshot"),
    ("2.3-snapshot", "<", "2.3"), ("2.3", "<", "2.3-sp"), ("2.3-sp", "<", "2.3-jre"),
    ("2.3-android", "<", "2.3-jre"),  # unknown qualifiers: alphabetically
    ("2.3-rc", "=", "2.3-cr"), ("4.1-CR2", "=", "4.1-rc-2"),
    # "" = ga = final = release, in any case
    ("2.3-ga", "=", "2.3"), ("2.3-final", "=", "2.3"), ("2.3.RELEASE", "=", "2.3.Final"),
    ("5.0.GA", "=", "5.0.release"), ("7-FINAL", "=", "7.final"),
    # trailing zeros and separators: 1 = 1.0 = 1-0 = 1.0.0
    ("1", "=", "1.0"), ("1.0", "=", "1-0"), ("1-0", "=", "1.0.0"), ("3.0.0.0", "=", "3"),
    ("007.2", "=", "7.2"),
    # letters next to digits: "a", "b", "m" followed by a digit are alpha, beta, milestone
    ("6.1a2", "=", "6.1-alpha-2"), ("6.1b3", "=", "6.1-beta-3"), ("6.1M4", "=", "6.1-milestone-4"),
    ("6.1-b", ">", "6.1"),  # "b" alone is an unknown qualifier
    ("6.1.rc7", "=", "6.1-rc-7"),
    # numbers by value; "." above "-"; a qualifier's number orders it within the qualifier
    ("8.9", "<", "8.10"), ("8.0.9", "<", "8.1"), ("8-1", "<", "8.1"), ("8", "<", "8-1"),
    ("8-beta-2", "<", "8-beta-10"), ("8-beta-10", "<", "8-rc-1"), ("8-rc-1", "<", "8"),
    ("8.SNAPSHOT", "<", "8"), ("8-rc-1-SNAPSHOT", "<", "8-rc-1"), ("8-sp-1", "<", "8-sp-2"),
    ("8.foo", "=", "8-foo"), ("8-foo", "<", "8-1"), ("8.2.Final-redhat-1", ">", "8.2"),
]


def test_maven_documented_rules_hold_in_maven_and_in_our_key(
    comparable_version: Compare,
) -> None:
    pairs = [(a, b) for a, _, b in DOCUMENTED_RULES]
    expected = [{"<": -1, "=": 0, ">": 1}[op] for _, op, _ in DOCUMENTED_RULES]
    assert comparable_version(pairs) == expected
    assert _disagreements(pairs, expected) == []


# Parts of the versions Maven artifacts publish, recombined: numbers (leading zeros, years),
# "." and "-" separators, every qualifier Maven knows under each of its
# spellings and in mixed case, and unknown ones (Guava's "-jre", Jetty's ".v20230217",
# Red Hat's ".Final-redhat-00001").
PRE_RELEASES = ["alpha", "a", "beta", "b", "milestone", "m", "rc", "cr"]
RELEASES = ["ga", "final", "release"]
UNKNOWN = ["jre", "android", "incubating", "jdk8", "native"]
NUMBERS = ["0", "1", "2", "3", "9", "10", "12", "04", "2023"]
REFUSED_FORMS = r"0(\.0)*[-.][a-z].*|.*[-.](ga|final|release)-(redhat-0+-)?snapshot"


def _spelling(rng: random.Random, qualifier: str) -> str:
    return rng.choice([qualifier, qualifier.upper(), qualifier.capitalize()])


def _qualifier_tail(rng: random.Random) -> str:
    pre, release = _spelling(rng, rng.choice(PRE_RELEASES)), _spelling(rng, rng.choice(RELEASES))
    number = rng.choice(["1", "2", "3", "10", "01"])
    shapes = [
        "", "", f"-{pre}{number}", f"-{pre}-{number}", f".{pre}{number}", f"-{pre}",
        f"-{_spelling(rng, 'snapshot')}", f".{release}", f"-{release}",
        f".{release}-redhat-0000{number[-1]}", f"-{_spelling(rng, rng.choice(UNKNOWN))}",
        f".v{rng.choice(['20230217', '20240115'])}", f"-{_spelling(rng, 'sp')}{number}",
        f"-{number}",
    ]
    return rng.choice(shapes)


def _published_version(rng: random.Random) -> str:
    version = ".".join(rng.choice(NUMBERS) for _ in range(rng.randint(1, 4)))
    version += _qualifier_tail(rng)
    if rng.random() < 0.1:
        version += rng.choice(["-SNAPSHOT", "-1"])
    return version


def test_maven_order_agrees_with_maven_on_sbom_and_published_versions(
    sbom_versions: Callable[[str], list[str]],
    order_pairs: Callable[..., list[tuple[str, str]]],
    comparable_version: Compare,
) -> None:
    rng = random.Random(40)
    found = sorted({*sbom_versions("maven"), *(_published_version(rng) for _ in range(6000))})
    versions = [v for v in found if try_key("maven", v) is not None]
    assert len(versions) > 4000
    # The only refusals are forms Maven orders in a cycle (see the test below): pre-releases
    # of version 0 ("0-rc1", "0.0.M3") and snapshots of a release ("2.1-GA-SNAPSHOT",
    # which Maven puts below 2.1 and above 2.1-sp, itself above 2.1).
    refused = set(found) - set(versions)
    assert all(re.fullmatch(REFUSED_FORMS, v, re.IGNORECASE) for v in refused)
    assert len(refused) < len(found) // 50
    pairs = order_pairs(sorted(versions, key=lambda v: version_key("maven", v)), seed=41)
    answers = comparable_version(pairs)
    assert set(answers) == {-1, 0, 1}
    assert _disagreements(pairs, answers) == []


ITEMS = ["0", "1", "2", "10", "007", "1234567890123", "alpha", "beta", "a", "b", "m", "rc",
         "cr", "snapshot", "ga", "final", "release", "sp", "foo", "x", ""]


def _generated_version(rng: random.Random) -> str:
    parts = [rng.choice(ITEMS[:6])]
    for _ in range(rng.randint(0, 4)):
        parts += [rng.choice([".", "-", ""]), rng.choice(ITEMS)]
    return "".join(parts)


def test_maven_order_agrees_with_maven_on_generated_versions(
    comparable_version: Compare,
) -> None:
    rng = random.Random(42)
    generated = {_generated_version(rng) for _ in range(6000)}
    versions = sorted(v for v in generated if try_key("maven", v) is not None)
    assert len(versions) > len(generated) // 2
    pairs = [(rng.choice(versions), rng.choice(versions)) for _ in range(20_000)]
    assert _disagreements(pairs, comparable_version(pairs)) == []


@pytest.mark.parametrize(("cycle", "refused"), [
    (("3.10.0.rc.1", "3.10-1", "3.10"), "3.10.0.rc.1"),
    (("1.sp.1", "1-alpha", "1"), "1.sp.1"),
    (("1-0.alpha", "1-sp", "1"), "1-0.alpha"),
    (("0.0.0-SNAPSHOT", "v1.2", "0"), "0.0.0-SNAPSHOT"),
    (("2.1-GA-SNAPSHOT", "2.1-sp", "2.1"), "2.1-GA-SNAPSHOT"),
])
def test_maven_refuses_versions_that_comparable_version_orders_in_a_cycle(
    cycle: tuple[str, str, str], refused: str, comparable_version: Compare,
) -> None:
    a, b, c = cycle
    answers = comparable_version([(a, b), (b, c), (c, a)])
    assert len(set(answers)) == 1 and answers[0] != 0  # a > b > c > a, or a < b < c < a
    with pytest.raises(VersionParseError):
        version_key("maven", refused)
    assert try_key("maven", b) is not None and try_key("maven", c) is not None


@pytest.mark.parametrize(("lower", "higher"), [
    ("1.0-alpha-1", "1.0"), ("1.0-SNAPSHOT", "1.0"), ("1.0", "1.0-sp"), ("1.0-sp", "1.0-foo"),
    ("1.0", "1.0-1"), ("2.0-1", "2.0.1"), ("1.0.0.RC1", "1.0.0"), ("3.10.rc.1", "3.10"),
    ("v1.2", "0.1"),  # a leading qualifier ("v") sorts below any number
])
def test_maven_precedence(lower: str, higher: str) -> None:
    assert version_key("maven", lower) < version_key("maven", higher)


@pytest.mark.parametrize(("one", "other"), [
    ("1", "1.0.0"), ("1.0-GA", "1"), ("1.FINAL", "1"), ("1cr", "1-rc"), ("1a1", "1-alpha-1"),
    ("01", "1"), ("2.0.abc", "2-abc"),
])
def test_maven_equal_versions_have_equal_keys_and_hashes(one: str, other: str) -> None:
    assert version_key("maven", one) == version_key("maven", other)
    assert hash(version_key("maven", one)) == hash(version_key("maven", other))


def test_maven_refuses_non_ascii_versions() -> None:
    with pytest.raises(VersionParseError):
        version_key("maven", "1.0-β")
