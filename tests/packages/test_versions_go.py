"""Go ordering on every Go vulndb boundary: against Go's own module ordering
(``golang.org/x/mod/semver``, built from ``gosemver/main.go`` with the Debian toolchain
the test setup installs), and against a SemVer 2.0 reference written below straight from
the specification (section 11), sharing no code with cpstrust or ``semver``.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpstrust.model.advisory import Advisory, RangeType
from cpstrust.packages.versions import VersionParseError, version_key

_SPEC = re.compile(  # the regular expression suggested at semver.org
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)


def reference_compare(a: str, b: str) -> int:
    """SemVer 2.0 precedence: -1, 0 or 1. Build metadata is ignored."""
    ma, mb = _SPEC.fullmatch(a), _SPEC.fullmatch(b)
    assert ma and mb, (a, b)
    core_a, core_b = [int(x) for x in ma.groups()[:3]], [int(x) for x in mb.groups()[:3]]
    if core_a != core_b:
        return -1 if core_a < core_b else 1
    pre_a, pre_b = ma.group(4), mb.group(4)
    if pre_a is None or pre_b is None:  # a release outranks its pre-releases
        return (pre_a is None) - (pre_b is None)
    for x, y in itertools.zip_longest(pre_a.split("."), pre_b.split(".")):
        if x is None or y is None:  # the longer list wins when all before are equal
            return -1 if x is None else 1
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            return -1 if int(x) < int(y) else 1
        if x.isdigit() != y.isdigit():  # numeric identifiers sort first
            return -1 if x.isdigit() else 1
        return -1 if x < y else 1
    return 0


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)  # type: ignore[operator]


def _go_boundaries(advisories: list[Advisory]) -> list[str]:
    found = {
        e.version
        for a in advisories for p in a.affected for r in p.ranges
        if r.type is not RangeType.GIT
        for e in r.events if e.version != "0"
    }
    return sorted(found)


def test_go_order_agrees_with_semver_spec_on_every_go_boundary(
    go_advisories: list[Advisory],
) -> None:
    boundaries = _go_boundaries(go_advisories)
    assert len(boundaries) > 2000  # 2,485 distinct in the shared snapshot
    ordered = sorted(boundaries, key=functools.cmp_to_key(reference_compare))
    pairs = list(itertools.pairwise(ordered))
    rng = random.Random(2)
    pairs += [(rng.choice(boundaries), rng.choice(boundaries)) for _ in range(20_000)]
    disagreements = [
        (a, b) for a, b in pairs
        if _sign(version_key("go", a), version_key("go", b)) != reference_compare(a, b)
    ]
    assert disagreements == []


GO_PROGRAM = Path(__file__).with_name("gosemver") / "main.go"
# Debian's golang-golang-x-mod-dev: golang.org/x/mod in GOPATH layout.
GOPATH = Path("/usr/share/gocode")


@pytest.fixture(scope="module")
def go_semver(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Go's x/mod/semver ordering as a program; missing Go is a failure, not a skip."""
    go = shutil.which("go")
    if go is None or not (GOPATH / "src/golang.org/x/mod/semver").is_dir():
        pytest.fail("the Go differential test needs golang-go and golang-golang-x-mod-dev: "
                    "run scripts/setup-env.sh test")
    work = tmp_path_factory.mktemp("gosemver")
    shutil.copy(GO_PROGRAM, work / "main.go")
    env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(GOPATH),
           "GOCACHE": str(work / "cache"), "GOFLAGS": ""}
    subprocess.run([go, "build", "-o", "gosemver", "main.go"], cwd=work, env=env,
                   check=True, capture_output=True, timeout=300)
    return work / "gosemver"


def _go_compare(program: Path, pairs: list[tuple[str, str]]) -> Iterator[tuple[int, bool]]:
    """Go's Compare of each pair, and whether Go takes both as versions."""
    lines = "".join(f"{a}\t{b}\n" for a, b in pairs)
    done = subprocess.run([program], input=lines, capture_output=True, text=True, check=True,
                          timeout=120)
    for line in done.stdout.splitlines():
        order, valid_a, valid_b = line.split()
        yield int(order), valid_a == valid_b == "true"


def test_go_order_agrees_with_go_modules_on_every_go_boundary(
    go_advisories: list[Advisory], go_semver: Path
) -> None:
    boundaries = [f"v{b}" for b in _go_boundaries(go_advisories)]
    pairs = list(itertools.pairwise(sorted(boundaries, key=functools.cmp_to_key(
        lambda a, b: reference_compare(a[1:], b[1:])))))
    rng = random.Random(3)
    pairs += [(rng.choice(boundaries), rng.choice(boundaries)) for _ in range(20_000)]
    answers = list(_go_compare(go_semver, pairs))
    assert len(answers) == len(pairs)
    assert all(valid for _, valid in answers)  # OSV's Go boundaries are all Go versions
    disagreements = [
        (a, b, go_order) for (a, b), (go_order, _) in zip(pairs, answers, strict=True)
        if _sign(version_key("go", a), version_key("go", b)) != go_order
    ]
    assert disagreements == []


def test_go_shorthands_and_build_metadata_order_as_go_modules_do(go_semver: Path) -> None:
    pairs = [("v1", "v1.0.0"), ("v1.2", "v1.2.0"), ("v1.2", "v1.2.1"),
             ("v20.10.0+incompatible", "v20.10.0"), ("v1.0.0-rc.1", "v1.0.0-rc.1+build"),
             ("v0.0.0-20200101000000-abcdef123456", "v0.0.1"),
             ("v1.2.4-0.20200101000000-abcdef123456", "v1.2.3"), ("v1.0.0-alpha", "v1.0.0-1")]
    answers = list(_go_compare(go_semver, pairs))
    assert all(valid for _, valid in answers)
    assert [_sign(version_key("go", a), version_key("go", b)) for a, b in pairs] == [
        order for order, _ in answers]


def test_go_tags_with_leading_v_order_like_osv_versions(go_advisories: list[Advisory]) -> None:
    for version in _go_boundaries(go_advisories)[:500]:
        assert version_key("go", f"v{version}") == version_key("go", version)


@pytest.mark.parametrize(("lower", "higher"), [
    ("v0.0.0-20200101000000-abcdef123456", "v0.0.1"),  # pseudo-versions are pre-releases
    ("v0.0.0-20190101000000-abcdef123456", "v0.0.0-20200101000000-000000000000"),
    ("v1.2.3", "v1.2.4-0.20200101000000-abcdef123456"),  # pseudo after a tag: > v1.2.3
    ("v1.2.4-0.20200101000000-abcdef123456", "v1.2.4"),
    ("v1.21.0-rc.1", "v1.21.0"),
    ("go1.21rc1", "go1.21.0"),
    ("go1.20.14", "go1.21rc1"),
    ("v1.2", "v1.2.1"),
])
def test_go_precedence(lower: str, higher: str) -> None:
    assert version_key("go", lower) < version_key("go", higher)


def test_incompatible_is_build_metadata_and_ignored_for_ordering() -> None:
    assert version_key("go", "v20.10.0+incompatible") == version_key("go", "20.10.0")
    assert version_key("go", "v20.10.0+incompatible") < version_key("go", "v20.10.1+incompatible")


def test_go_release_names_map_to_semver() -> None:
    assert version_key("go", "go1.21rc1") == version_key("go", "1.21.0-rc.1")
    assert version_key("go", "go1.21") == version_key("go", "1.21.0")


@pytest.mark.parametrize("text", ["", "latest", "v1.2.3.4", "01.2.3", "1.2.3-", "v"])
def test_invalid_go_versions_raise(text: str) -> None:
    with pytest.raises(VersionParseError):
        version_key("go", text)
