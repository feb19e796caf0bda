"""Fixtures of the version-ordering tests: the shared SBOMs' versions and pair sampling."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from cpstrust.packages.purls import parse_purl


def _purls(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("purl"), str):
            yield node["purl"]
        for value in node.values():
            yield from _purls(value)
    elif isinstance(node, list):
        for value in node:
            yield from _purls(value)


@pytest.fixture(scope="session")
def sbom_versions(shared_data: Path) -> Callable[[str], list[str]]:
    """Versions of the components of one purl type in the shared CycloneDX examples."""
    found: dict[str, set[str]] = {}
    for path in sorted((shared_data / "sboms" / "cyclonedx-examples" / "SBOM").rglob("*.json")):
        for purl in _purls(json.loads(path.read_text(encoding="utf-8"))):
            parts = parse_purl(purl)
            if parts is not None and parts.version:
                found.setdefault(parts.type, set()).add(parts.version)
    return lambda purl_type: sorted(found.get(purl_type, ()))


def _order_pairs(ordered: Sequence[str], seed: int, count: int = 20_000) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = list(itertools.pairwise(ordered))
    pairs += [(rng.choice(ordered), rng.choice(ordered)) for _ in range(count)]
    return pairs


@pytest.fixture(scope="session")
def order_pairs() -> Callable[..., list[tuple[str, str]]]:
    """``(ordered, seed, count=20_000)``: every neighbouring pair of a sorted list (each
    boundary against the next) and ``count`` random pairs of its members."""
    return _order_pairs
