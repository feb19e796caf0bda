"""RPM ordering against rpm's own ``rpm.labelCompare`` (Debian's python3-rpm, rpm 4.18),
on generated EVRs of the shapes Red Hat, AlmaLinux, Fedora and SUSE publish, on EVRs of
every character class rpm treats apart, and on the issue's cases."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable

import pytest

from cpstrust.packages.versions import VersionParseError, version_key

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's Python, where python3-rpm installs
# Reads JSON [a, b] lines, prints labelCompare's answer for each, or E if rpm refuses one.
LABEL_COMPARE = """
import json, sys, rpm
for line in sys.stdin:
    a, b = json.loads(line)
    try:
        print(rpm.labelCompare(a, b))
    except (ValueError, TypeError, UnicodeError):
        print("E")
"""

Compare = Callable[[list[tuple[str, str]]], list[str]]


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


@pytest.fixture(scope="module")
def label_compare() -> Compare:
    """rpm.labelCompare on many pairs in one process; a missing rpm is a failure."""
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import rpm"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.fail("the RPM differential test needs Debian's rpm and python3-rpm "
                    "(apt-get install rpm python3-rpm)")

    def compare(pairs: list[tuple[str, str]]) -> list[str]:
        lines = "".join(json.dumps(pair) + "\n" for pair in pairs)
        done = subprocess.run([SYSTEM_PYTHON, "-c", LABEL_COMPARE], input=lines,
                              capture_output=True, text=True, check=True, timeout=300)
        answers = done.stdout.splitlines()
        assert len(answers) == len(pairs)
        return answers
    return compare


def _disagreements(pairs: list[tuple[str, str]], answers: list[str]) -> list[tuple[str, ...]]:
    return [(a, b, answer) for (a, b), answer in zip(pairs, answers, strict=True)
            if str(_sign(version_key("rpm", a), version_key("rpm", b))) != answer]


# Parts of the EVRs distributions publish, recombined: a seeded mix of Red Hat and
# AlmaLinux ("1.el8", "2.el9_4.1", module streams, ".alma" rebuilds), Fedora ("0.rc1.fc39")
# and SUSE ("150400.4.3.1", "lp154.2.1") releases over upstream versions with leading
# zeros, letters, "~" pre-releases and "^" snapshots.
EPOCHS = ["", "", "", "", "0:", "1:", "2:", "3:"]
NUMBERS = ["0", "1", "2", "3", "4", "9", "10", "12", "18", "57", "02", "06", "2023", "20240115"]
UPSTREAM_TAILS = ["a", "b", "k", "zh", "p1", "~rc1", "~rc2", "~beta2", "~pre1", "~~",
                  "^20230101git1a2b3c4", "^20240115gitdeadbee", "^1.git5f3e", ".git1a2b3c4"]
MODULE_STREAMS = ["el8.6.0", "el8.10.0", "el9.4.0", "el9.5.0"]
MODULE_BUILDS = ["150+5f0dbea0", "3070+1510fbd1", "23026+aaa2e3cb", "22954+e2d70a1c"]


def _upstream(rng: random.Random) -> str:
    version = ".".join(rng.choice(NUMBERS) for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.3:
        version += rng.choice(UPSTREAM_TAILS)
    return version


def _release(rng: random.Random) -> str:
    build = rng.choice(["0", "1", "2", "3", "10", "12", "0.1", "4.3"])
    tail = rng.choice(["", "", ".1", ".2", ".10"])
    el = rng.choice(["7", "8", "9", "10"])
    update = rng.choice(["_4", "_9", "_10"])
    fedora = rng.choice(["fc39", "fc40"])
    snapshot = rng.choice(["rc1", "rc2", "beta2", "20230101git1a2b3c4"])
    shapes = [
        f"{build}.el{el}{tail}",
        f"{build}.el{el}{update}{tail}",
        f"{build}.el{el}{update}.alma.{rng.choice(['1', '2'])}",
        f"{build}.module+{rng.choice(MODULE_STREAMS)}+{rng.choice(MODULE_BUILDS)}{tail}",
        f"{build}.module_{rng.choice(MODULE_STREAMS)}+{rng.choice(MODULE_BUILDS)}",
        f"{rng.choice(['150400', '150500', '150600'])}.{build}.{rng.choice(['1', '3'])}{tail}",
        f"{rng.choice(['lp154', 'lp155', 'bp155'])}.{build}{tail}",
        f"0.{snapshot}.{fedora}",
        f"{build}.{fedora}{tail}",
    ]
    return rng.choice(shapes)


def _distribution_evr(rng: random.Random) -> str:
    evr = rng.choice(EPOCHS) + _upstream(rng)
    return evr if rng.random() < 0.08 else f"{evr}-{_release(rng)}"


def test_rpm_order_agrees_with_rpm_on_generated_distribution_evrs(
    order_pairs: Callable[..., list[tuple[str, str]]], label_compare: Compare,
) -> None:
    rng = random.Random(11)
    evrs = {_distribution_evr(rng) for _ in range(8000)}
    assert len(evrs) > 6000
    assert sum("module" in evr for evr in evrs) > 1000
    pairs = order_pairs(sorted(evrs, key=lambda v: version_key("rpm", v)), seed=11)
    answers = label_compare(pairs)
    assert set(answers) == {"-1", "0", "1"}  # equal spellings ("0:1-1" = "1-1") occur too
    assert _disagreements(pairs, answers) == []


def _generated_evr(rng: random.Random) -> str:
    # Every character class rpm treats differently: digits, letters, "~", "^", epoch and
    # release separators, other separators, and a non-ASCII letter (a separator to rpm).
    return "".join(rng.choice("0123456789aZz.~^:-_+é") for _ in range(rng.randint(1, 9)))


def test_rpm_order_agrees_with_rpm_on_generated_evrs(label_compare: Compare) -> None:
    rng = random.Random(12)
    pairs = [(_generated_evr(rng), _generated_evr(rng)) for _ in range(20_000)]
    assert _disagreements(pairs, label_compare(pairs)) == []


# The issue's module release strings, epochs that are not digits and a trailing "-".
ISSUE_CASES = [
    ("0:9.4.0-1.module+el9.4.0+23026+aaa2e3cb.2", "0:9.4.0-1.module+el9.5.0+22954+e2d70a1c.1"),
    ("1.module+el9.4.0+23026+aaa2e3cb.2.noarch.rpm-nginx:1",
     "4.module+el9.5.0+22954+e2d70a1c.1.noarch.rpm-nginx:1"),
    ("a:1.0", "b:1.0"), ("(none):1.0-1", "1.0-1"), (":1.0", "0:1.0"), ("1.0", "1.0-"),
    ("1.0-", "1.0-0"), ("1.0~rc1", "1.0"), ("1.0", "1.0^git1"), ("1.0^git1", "1.0.1"),
    ("1:1.0", "2.0"), ("2:1.0-1.el8", "10:0.1-1.el8"), ("1.0-1.el8_9", "1.0-1.el8_10"),
]


def test_rpm_orders_the_reported_evrs_as_rpm_does(label_compare: Compare) -> None:
    pairs = [*ISSUE_CASES, *((b, a) for a, b in ISSUE_CASES)]
    assert _disagreements(pairs, label_compare(pairs)) == []


@pytest.mark.parametrize(("lower", "higher"), [
    ("0:9.4.0-1.module+el9.4.0+23026+aaa2e3cb.2", "0:9.4.0-1.module+el9.5.0+22954+e2d70a1c.1"),
    ("1.0", "1.0-"),  # a missing release is older than an empty one
    ("1.0-~", "1.0-"),
    ("1.0~rc1", "1.0"),
    ("1.0", "1.0^git1"),
    ("1.0^git1", "1.0a"),
    ("1.0a", "1.0.1"),
    ("a:1.0", "0.1"),  # "a" is not an epoch: rpm reads version "a:1.0", letters before digits
    ("9:1.0", "10:0.1"),
])
def test_rpm_precedence(lower: str, higher: str) -> None:
    assert version_key("rpm", lower) < version_key("rpm", higher)


@pytest.mark.parametrize(("one", "other"), [
    ("1.0", "1_0"), ("1.0", "1.0."), ("1.01", "1.1"), (":1.0", "0:1.0"), ("1.0", "0:1.0"),
    ("1.1.α", "1.1.β"),  # non-ASCII letters only separate
])
def test_rpm_equal_versions_have_equal_keys_and_hashes(one: str, other: str) -> None:
    assert version_key("rpm", one) == version_key("rpm", other)
    assert hash(version_key("rpm", one)) == hash(version_key("rpm", other))


def test_rpm_refuses_only_what_rpm_cannot_read_whole(label_compare: Compare) -> None:
    # rpm refuses an empty EVR and one with no UTF-8 form, and reads a NUL as the end.
    assert label_compare([("", "1"), ("\ud800", "1"), ("1\x00zzz", "1")]) == ["E", "E", "0"]
    for text in ("", "\ud800", "1\x00zzz"):
        with pytest.raises(VersionParseError):
            version_key("rpm", text)
