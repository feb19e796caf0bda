"""Debian ordering against ``dpkg --compare-versions`` on tricky generated versions."""

from __future__ import annotations

import itertools
import random
import shutil
import subprocess

import pytest

from cpstrust.packages.versions import VersionParseError, version_key

DPKG = shutil.which("dpkg") or "/usr/bin/dpkg"

EPOCHS = ["", "0:", "1:", "2:", "10:"]
UPSTREAMS = [
    "1", "1.0", "1.00", "1.0.0", "1.0~rc1", "1.0~rc2", "1.0~~", "1.0~", "1.0+dfsg",
    "1.0+dfsg1", "1.0a", "1.0.a", "1.0b", "1.0+b1", "1.0.1~", "1.2.3-rc4", "9", "10",
    "0.9.8zh", "2:3", "1.0-1", "3.0.2~git20200101", "1.0+~1", "1A", "1a", "1.0.",
]
REVISIONS = ["", "-0", "-1", "-1~bpo1", "-1+b1", "-1ubuntu0.1", "-a", "-1.2~rc", "-10", "-2",
             "-1+deb12u1", "-1~", "-0.1"]


def _dpkg(a: str, op: str, b: str) -> tuple[bool, str]:
    run = subprocess.run([DPKG, "--compare-versions", a, op, b], capture_output=True,
                         text=True, check=False)
    return run.returncode == 0, run.stderr


def _dpkg_valid(version: str) -> bool:
    """dpkg accepts it without an error or a 'bad syntax' warning."""
    _, stderr = _dpkg(version, "eq", version)
    return stderr == ""


def _dpkg_sign(a: str, b: str) -> int:
    if _dpkg(a, "lt", b)[0]:
        return -1
    return 0 if _dpkg(a, "eq", b)[0] else 1


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


@pytest.fixture(scope="module")
def versions() -> list[str]:
    rng = random.Random(12)
    made = {e + u + r for e, u, r in itertools.product(EPOCHS, UPSTREAMS, REVISIONS)}
    return sorted(rng.sample(sorted(made), 260))


def test_debian_accepts_exactly_what_dpkg_accepts(versions: list[str]) -> None:
    extra = ["1.0-", "a1.0", ":1.0", "1:", "1.0_1", "1.0-a_b", "~1", "1.0-1:2",
             "99999999999:1", "1:2:3", "1.2-3-4"]
    disagreements = []
    for text in [*versions, *extra]:
        ours = True
        try:
            version_key("deb", text)
        except VersionParseError:
            ours = False
        if ours != _dpkg_valid(text):
            disagreements.append(text)
    assert disagreements == []


def test_debian_order_agrees_with_dpkg(versions: list[str]) -> None:
    valid = [v for v in versions if _dpkg_valid(v)]
    ordered = sorted(valid, key=lambda v: version_key("deb", v))
    pairs = list(itertools.pairwise(ordered))
    rng = random.Random(5)
    pairs += [(rng.choice(valid), rng.choice(valid)) for _ in range(150)]
    disagreements = [
        (a, b) for a, b in pairs
        if _sign(version_key("deb", a), version_key("deb", b)) != _dpkg_sign(a, b)
    ]
    assert len(pairs) > 300
    assert disagreements == []
