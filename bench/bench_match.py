"""Matching cost: N components against the shared PyPA and Go advisories.

Prints the time to parse the advisories, to build the in-memory index, and to match
N synthetic components (real package names, versions taken from range boundaries so
that ranges are exercised), against the floor of resolving their purls alone.
Usage: python bench/bench_match.py [N]   (default 10,000)
"""

from __future__ import annotations

import gc
import random
import sys
import time
from pathlib import Path

from cpstrust.feeds.osv_files import iter_advisories
from cpstrust.model.advisory import Advisory
from cpstrust.model.sbom import SbomComponent
from cpstrust.packages import purls, versions
from cpstrust.vulndb import ranges
from cpstrust.vulndb.matching import match_components
from cpstrust.vulndb.memory import InMemoryAdvisoryLookup

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "advisories"


def _components(advisories: list[Advisory], count: int, share: float) -> list[SbomComponent]:
    """``share`` of the components name a package with advisories (uniformly over
    packages, at a version taken from its boundaries or versions); the rest have none,
    as most of a real SBOM."""
    rng = random.Random(7)
    versions_of: dict[tuple[str, str], set[str]] = {}
    for advisory in advisories:
        for package in advisory.affected:
            seen = versions_of.setdefault((package.ecosystem, package.name), set())
            seen.update(e.version for r in package.ranges for e in r.events if e.version != "0")
            seen.update(package.versions)
    packages = sorted(versions_of)
    purls: list[tuple[str, str]] = []
    for _ in range(int(count * share)):
        ecosystem, name = rng.choice(packages)
        version = rng.choice(sorted(versions_of[(ecosystem, name)]) or ["1.0.0"])
        if ecosystem == "Go":
            purls.append((f"pkg:golang/{name}@v{version}", name))
        else:
            purls.append((f"pkg:pypi/{name}@{version}", name))
    filler = range(count - len(purls))
    purls += [(f"pkg:npm/unrelated-{i}@1.0.{i}", f"unrelated-{i}") for i in filler]
    return [
        SbomComponent(ref=f"c{i}", name=name, version=None, purl=purl)
        for i, (purl, name) in enumerate(purls)
    ]


def _clear_caches() -> None:
    purls.parse_purl.cache_clear()
    purls.resolve_purl.cache_clear()
    versions._cached_key.cache_clear()
    ranges.compile_package.cache_clear()


def main() -> None:
    gc.disable()  # as the cpstrust command does: its entry point decides
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sources = [DATA / "pypa" / "vulns", DATA / "go-vulndb" / "osv"]
    start = time.perf_counter()
    advisories = list(iter_advisories(sources))
    parsed = time.perf_counter()
    lookup = InMemoryAdvisoryLookup.from_advisories(advisories)
    indexed = time.perf_counter()
    print(f"parse {len(advisories)} advisories: {parsed - start:.2f} s; "
          f"index: {(indexed - parsed) * 1000:.0f} ms")
    for share in (0.5, 0.1):
        components = _components(advisories, count, share)
        _clear_caches()
        floor_start = time.perf_counter()
        for component in components:
            purls.resolve_purl(component.purl or "")
        floor = time.perf_counter() - floor_start
        for label in ("cold caches", "warm caches"):
            if label == "cold caches":  # also a fresh lookup: packages keep their indexes
                _clear_caches()
                lookup = InMemoryAdvisoryLookup.from_advisories(advisories)
            t0 = time.perf_counter()
            report = match_components(components, lookup)
            elapsed = time.perf_counter() - t0
            print(f"{count} components, {share:.0%} with advisories, {label}: "
                  f"{elapsed * 1000:.1f} ms ({elapsed / floor:.1f}x the purl-parsing floor "
                  f"of {floor * 1000:.1f} ms); {len(report.matches)} matches")


if __name__ == "__main__":
    main()
