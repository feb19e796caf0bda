"""npm ordering against node-semver itself (Debian's node-semver 7.3.5): validity as
``semver.valid`` decides it and order as ``semver.compare`` gives it, on the npm
components of the shared SBOMs, on generated versions of the shapes npm packages publish
and on generated mixes of tricky pre-release identifiers."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from cpstrust.packages.versions import VersionParseError, try_key, version_key

NODE_PATH = Path("/usr/share/nodejs")  # where Debian's node-semver installs
# Reads JSON [a, b] lines; prints "compare valid(a) valid(b)", compare being X unless both
# are valid.
SEMVER_COMPARE = """
const semver = require('semver');
const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean);
const out = lines.map((line) => {
  const [a, b] = JSON.parse(line);
  const va = semver.valid(a) !== null, vb = semver.valid(b) !== null;
  return `${va && vb ? semver.compare(a, b) : 'X'} ${va} ${vb}`;
});
process.stdout.write(out.join('\\n') + '\\n');
"""
MAX_SAFE_INTEGER = 2**53 - 1

Answer = tuple[str, bool, bool]
Compare = Callable[[list[tuple[str, str]]], list[Answer]]


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


@pytest.fixture(scope="module")
def semver_compare() -> Compare:
    """node-semver on many pairs in one process; a missing node-semver is a failure."""
    node = shutil.which("node")
    if node is None or not (NODE_PATH / "semver" / "package.json").is_file():
        pytest.fail("the npm differential test needs Debian's nodejs and node-semver "
                    "(apt-get install nodejs node-semver)")

    def compare(pairs: list[tuple[str, str]]) -> list[Answer]:
        lines = "".join(json.dumps(pair) + "\n" for pair in pairs)
        done = subprocess.run([node, "-e", SEMVER_COMPARE], input=lines, capture_output=True,
                              text=True, check=True, timeout=300,
                              env={**os.environ, "NODE_PATH": str(NODE_PATH)})
        answers = [line.split() for line in done.stdout.splitlines()]
        assert len(answers) == len(pairs)
        return [(order, a == "true", b == "true") for order, a, b in answers]
    return compare


def _beyond_safe_integers(version: str) -> bool:
    """A numeric pre-release identifier node-semver holds inexactly (above 2**53 - 1)."""
    prerelease = version.partition("+")[0].partition("-")[2]
    return any(part.isdigit() and int(part) > MAX_SAFE_INTEGER for part in prerelease.split("."))


# Parts of the versions npm packages publish, recombined: pre-release tags with numbers
# ("rc.1", "beta3", "next.12", React's "canary-1a2b3c4d-20240115"), build metadata, a
# leading "v", and now and then numbers at and just past 2**53 - 1.
CORE_NUMBERS = ["0", "1", "2", "3", "9", "10", "11", "16", "20", "123", "2024"]
HUGE_NUMBERS = [str(MAX_SAFE_INTEGER - 1), str(MAX_SAFE_INTEGER), str(MAX_SAFE_INTEGER + 1)]
TAGS = ["alpha", "beta", "rc", "next", "canary", "pre", "dev"]
BUILDS = ["build.1", "build.11", "20130313144700", "sha.5114f85", "exp.sha.5114f85", "001"]


def _number(rng: random.Random) -> str:
    return rng.choice(HUGE_NUMBERS if rng.random() < 0.03 else CORE_NUMBERS)


def _prerelease(rng: random.Random) -> str:
    tag = rng.choice(TAGS)
    commit = rng.choice(["1a2b3c4d", "deadbeef", "0ab12cd3"])
    day = rng.choice(["20230101", "20240115"])
    shapes = [
        tag, f"{tag}.{_number(rng)}", f"{tag}{rng.choice(CORE_NUMBERS[1:])}",
        f"{tag}.{_number(rng)}.{_number(rng)}", _number(rng),
        f"{tag}-{commit}-{day}",
    ]
    return rng.choice(shapes)


def _published_version(rng: random.Random) -> str:
    version = ("v" if rng.random() < 0.1 else "") + ".".join(_number(rng) for _ in range(3))
    if rng.random() < 0.5:
        version += "-" + _prerelease(rng)
    if rng.random() < 0.15:
        version += "+" + rng.choice(BUILDS)
    return version


def _sbom_and_published_versions(sbom_versions: Callable[[str], list[str]]) -> list[str]:
    rng = random.Random(30)
    return sorted({*sbom_versions("npm"), *(_published_version(rng) for _ in range(5000))})


def test_npm_accepts_exactly_what_node_semver_validates(
    sbom_versions: Callable[[str], list[str]], semver_compare: Compare,
) -> None:
    tricky = ["v1.2.3", "=1.2.3", " 1.2.3", "1.2.3 ", "V1.2.3", "vv1.2.3", "1.2", "01.2.3",
              "1.2.3-01", "1.2.3-0a", "1.2.3-", "1.2.3-+", "1.2.3-a..1", "1.2.3+", "1.2.3\n",
              "１.2.3", "1.2.3-α", "1.2.3--", "1.2.3-00", str(MAX_SAFE_INTEGER) + ".0.0",
              str(MAX_SAFE_INTEGER + 1) + ".0.0", "1.0.0-" + str(MAX_SAFE_INTEGER),
              "1.0.0-" + str(MAX_SAFE_INTEGER + 2), "1.0.0-x." + str(2**64 + 1)]
    versions = [*_sbom_and_published_versions(sbom_versions), *tricky]
    answers = semver_compare([(v, v) for v in versions])
    # Valid to node-semver but refused here: pre-release numbers it holds inexactly.
    disagreements = [v for v, (_, valid, _) in zip(versions, answers, strict=True)
                     if (try_key("npm", v) is not None) != (valid and not _beyond_safe_integers(v))]
    assert len(versions) > 4000
    assert sum(not valid for _, valid, _ in answers) > 50  # the huge numbers make some invalid
    assert disagreements == []


def test_npm_order_agrees_with_node_semver_on_sbom_and_published_versions(
    sbom_versions: Callable[[str], list[str]],
    order_pairs: Callable[..., list[tuple[str, str]]],
    semver_compare: Compare,
) -> None:
    versions = [v for v in _sbom_and_published_versions(sbom_versions) if try_key("npm", v)]
    assert len(versions) > 4000
    pairs = order_pairs(sorted(versions, key=lambda v: version_key("npm", v)), seed=31)
    answers = semver_compare(pairs)
    assert {order for order, _, _ in answers} == {"-1", "0", "1"}
    disagreements = [(a, b, order) for (a, b), (order, _, _) in zip(pairs, answers, strict=True)
                     if str(_sign(version_key("npm", a), version_key("npm", b))) != order]
    assert disagreements == []


NUMBERS = ["0", "1", "2", "10", "11", str(MAX_SAFE_INTEGER)]
IDENTIFIERS = [*NUMBERS, "alpha", "beta", "rc", "a1", "1a", "-", "x-y"]


def _generated_version(rng: random.Random) -> str:
    version = rng.choice(["", "v"]) + ".".join(rng.choice(NUMBERS) for _ in range(3))
    if rng.random() < 0.6:
        version += "-" + ".".join(rng.choice(IDENTIFIERS) for _ in range(rng.randint(1, 3)))
    if rng.random() < 0.2:
        version += "+build." + rng.choice(NUMBERS)
    return version


def test_npm_order_agrees_with_node_semver_on_generated_versions(
    semver_compare: Compare,
) -> None:
    rng = random.Random(32)
    pairs = [(_generated_version(rng), _generated_version(rng)) for _ in range(20_000)]
    answers = semver_compare(pairs)
    assert all(valid_a and valid_b for _, valid_a, valid_b in answers)
    disagreements = [(a, b, order) for (a, b), (order, _, _) in zip(pairs, answers, strict=True)
                     if str(_sign(version_key("npm", a), version_key("npm", b))) != order]
    assert disagreements == []


def test_node_semver_has_no_order_for_prerelease_numbers_beyond_2_to_the_53(
    semver_compare: Compare,
) -> None:
    x, y, z = "1.0.0-9007199254740993.b", "1.0.0-9007199254740992.a", "1.0.0-9007199254740993.a"
    answers = semver_compare([(x, y), (y, z), (x, z)])
    assert [order for order, _, _ in answers] == ["0", "0", "1"]  # x == y == z, yet x > z
    for version in (x, y, "1.0.0-18446744073709551617", "18446744073709551617.0.0"):
        with pytest.raises(VersionParseError):
            version_key("npm", version)
    assert version_key("npm", f"1.0.0-{MAX_SAFE_INTEGER - 1}") < version_key(
        "npm", f"1.0.0-{MAX_SAFE_INTEGER}")


def test_npm_accepts_a_leading_v_and_refuses_loose_spellings() -> None:
    assert version_key("npm", "v1.2.3") == version_key("npm", "1.2.3")
    for loose in ("=1.2.3", " 1.2.3", "v 1.2.3", "1.2.3-beta.01"):
        assert try_key("npm", loose) is None


@pytest.mark.parametrize(("lower", "higher"), [
    ("1.2.3-beta.2", "1.2.3-beta.11"), ("1.2.3-beta.11", "1.2.3-beta.b"),
    ("1.2.3-alpha", "1.2.3-alpha.1"), ("1.2.3-rc.1", "1.2.3"), ("1.2.3", "1.2.4-0"),
])
def test_npm_precedence(lower: str, higher: str) -> None:
    assert version_key("npm", lower) < version_key("npm", higher)


def test_npm_build_metadata_is_ignored_and_equal_keys_hash_alike() -> None:
    assert version_key("npm", "1.2.3+a") == version_key("npm", "1.2.3+b")
    assert hash(version_key("npm", "1.2.3+a")) == hash(version_key("npm", "v1.2.3"))
