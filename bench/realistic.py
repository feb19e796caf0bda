"""Realistic benchmark data: components drawn from the real advisory data in ../shared.

Packages and versions. Every package named by the shared PyPA and Go advisories is a
candidate, with every version the advisories name for it: listed ``versions`` and the
``introduced``, ``fixed`` and ``last_affected`` boundaries of non-GIT ranges (GIT
boundaries are commit hashes, which no SBOM gives as a version). A generated SBOM thus
holds both affected versions (listed, introduced, last_affected) and unaffected ones
(fixed, or another advisory's boundary outside this one's range), so a benchmark
exercises version matching, not just name lookup.

Sampling. A real SBOM lists each package once, so ``sample`` picks packages uniformly
(not (package, version) pairs, which would over-weight packages with long advisory
histories such as django), then one of the package's versions. The advisories name
1,723 packages (661 PyPI, 1,062 Go); a larger SBOM repeats them in further passes, each
pass taking every package once more (in a new order) with a version it has not had yet
where one is left and a repeated version otherwise, as an image that vendors several
copies of a library would. So 10,000 components are about 5.8 copies of every package;
half the packages have three candidate versions or fewer, so many (package, version)
pairs repeat (about 6,000 distinct in 10,000).

Components carry what real generators (syft, cdxgen, cyclonedx-gomod) write: bom-ref,
name, version, purl, licences, SHA-256 and SHA-1 hashes, a description, vcs and website
references, a supplier or an author and a few properties, plus a dependency graph:
about 1.2 KB a component, as in the example SBOMs in ../shared/data/sboms (0.9-2.4 KB).
``json.loads`` of 10,000 of them takes ~75 ms, as the issue measured for its SBOM.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PYPA = SHARED / "advisories" / "pypa" / "vulns"
GO = SHARED / "advisories" / "go-vulndb" / "osv"

_LICENSES = (
    "MIT",
    "Apache-2.0",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "ISC",
    "MPL-2.0",
    "LGPL-3.0-or-later",
    "GPL-3.0-only",
    "PSF-2.0",
    "Unlicense",
)
_WORDS = (
    "fast",
    "small",
    "pure",
    "portable",
    "extensible",
    "asynchronous",
    "typed",
    "client",
    "server",
    "library",
    "toolkit",
    "framework",
    "parser",
    "bindings",
    "utilities",
    "for",
    "HTTP",
    "YAML",
    "JSON",
    "templates",
    "crypto",
    "images",
    "databases",
    "logging",
    "testing",
    "the",
    "with",
    "and",
    "streams",
    "caching",
)


@dataclass(frozen=True, slots=True)
class Candidate:
    purl_type: str  # pypi | golang
    name: str
    version: str

    @property
    def package_purl(self) -> str:
        """The purl without a version: what a package-level index is keyed by."""
        return f"pkg:{self.purl_type}/{self.name}"

    @property
    def purl(self) -> str:
        # Go tags carry a "v"; OSV's Go versions do not.
        prefix = "v" if self.purl_type == "golang" else ""
        return f"{self.package_purl}@{prefix}{self.version}"


def _versions_of(affected: dict[str, Any]) -> set[str]:
    found = {str(v) for v in affected.get("versions") or ()}
    for rng in affected.get("ranges") or ():
        if rng.get("type") == "GIT":
            continue
        for event in rng.get("events", ()):
            found.update(str(v) for k, v in event.items() if k != "limit" and v != "0")
    return found


def load_candidates() -> list[Candidate]:
    """Every (package, version) named by the shared PyPI and Go advisories."""
    if not PYPA.is_dir() or not GO.is_dir():
        raise SystemExit(f"shared advisory data not found under {SHARED}")
    seen: set[Candidate] = set()
    for path in sorted(PYPA.rglob("*.yaml")):
        record = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        for affected in record.get("affected", []):
            name = affected["package"]["name"]
            seen.update(Candidate("pypi", name, v) for v in _versions_of(affected))
    for path in sorted(GO.glob("*.json")):
        record = orjson.loads(path.read_bytes())
        for affected in record.get("affected", []):
            name = affected["package"]["name"]
            if name in ("stdlib", "toolchain"):
                continue
            seen.update(Candidate("golang", name, v) for v in _versions_of(affected))
    return sorted(seen, key=lambda c: (c.purl_type, c.name, c.version))


def sample(candidates: Sequence[Candidate], size: int, seed: int) -> list[Candidate]:
    """``size`` components: packages uniformly, each pass over all packages once."""
    rng = random.Random(seed)
    by_package: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_package[(candidate.purl_type, candidate.name)].append(candidate)
    packages = sorted(by_package)
    unused: dict[tuple[str, str], list[Candidate]] = {}  # shuffled on first use
    chosen: list[Candidate] = []
    while len(chosen) < size:
        for package in rng.sample(packages, min(len(packages), size - len(chosen))):
            versions = by_package[package]
            if package not in unused:
                unused[package] = rng.sample(versions, len(versions))
            left = unused[package]
            chosen.append(left.pop() if left else rng.choice(versions))
    rng.shuffle(chosen)
    return chosen


def _hex(data: str, algorithm: str) -> str:
    return hashlib.new(algorithm, data.encode()).hexdigest()


def _component(c: Candidate, ref: str, rng: random.Random) -> dict[str, Any]:
    owner = c.name.split("/")[1] if c.purl_type == "golang" and "/" in c.name else c.name
    repo = (
        f"https://{c.name}" if c.purl_type == "golang" else f"https://github.com/{owner}/{c.name}"
    )
    words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 14)))
    component: dict[str, Any] = {
        "type": "library",
        "bom-ref": ref,
        "name": c.name,
        "version": c.version,
        "description": f"{c.name}: {words}.",
        "hashes": [
            {"alg": "SHA-256", "content": _hex(c.purl, "sha256")},
            {"alg": "SHA-1", "content": _hex(c.purl, "sha1")},
        ],
        "licenses": [{"license": {"id": rng.choice(_LICENSES)}}],
        "purl": c.purl,
        "externalReferences": [
            {"type": "vcs", "url": repo},
            {"type": "website", "url": f"{repo}#readme"},
        ],
        "properties": [
            {"name": "syft:package:foundBy", "value": f"{c.purl_type}-cataloger"},
            {"name": "syft:package:language", "value": "python" if c.purl_type == "pypi" else "go"},
            {"name": "syft:location:0:path", "value": f"/app/lib/{c.name}/{c.version}"},
        ],
    }
    if rng.random() < 0.5:
        component["supplier"] = {"name": owner, "url": [f"https://github.com/{owner}"]}
    else:
        component["author"] = f"{owner} maintainers"
    return component


def cyclonedx(candidates: Sequence[Candidate], *, name: str, version: str, seed: int = 0) -> bytes:
    """A CycloneDX 1.5 JSON SBOM with one component per candidate and a dependency DAG."""
    rng = random.Random(seed)
    refs = [f"{c.purl}?package-id={i:016x}" for i, c in enumerate(candidates)]
    components = [_component(c, ref, rng) for c, ref in zip(candidates, refs, strict=True)]
    # Each component depends on up to three later ones: a DAG, as lock files give.
    later = [
        rng.sample(range(i + 1, len(refs)), min(3, len(refs) - i - 1)) if rng.random() < 0.6 else []
        for i in range(len(refs))
    ]
    dependencies = [
        {"ref": ref, "dependsOn": [refs[j] for j in targets]}
        for ref, targets in zip(refs, later, strict=True)
    ]
    return orjson.dumps(
        {
            "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
            "bomFormat": "CycloneDX",
            "specVersion": "1.5",
            "version": 1,
            "serialNumber": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
            "metadata": {
                "timestamp": "2026-01-15T09:30:00Z",
                "tools": {
                    "components": [{"type": "application", "name": "syft", "version": "1.18.1"}]
                },
                "component": {
                    "type": "device",
                    "bom-ref": "root",
                    "name": name,
                    "version": version,
                },
            },
            "components": components,
            "dependencies": [{"ref": "root", "dependsOn": refs[:50]}, *dependencies],
        }
    )


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def print_table(title: str, rows: list[tuple[str, float, str]]) -> None:
    print(f"\n{title}")
    width = max(len(r[0]) for r in rows)
    for label, seconds, note in rows:
        print(f"  {label:<{width}}  {seconds * 1000:10.1f} ms  {note}")


if __name__ == "__main__":
    start = time.perf_counter()
    c = load_candidates()
    print(json.dumps({"candidates": len(c), "seconds": round(time.perf_counter() - start, 2)}))
