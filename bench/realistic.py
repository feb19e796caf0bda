"""Realistic benchmark data: components drawn from the real advisory data in ../shared.

Versions come from each advisory's own boundaries and version lists, so a generated
SBOM holds both affected versions (listed, introduced, last_affected) and unaffected
ones (fixed), and the benchmark exercises version matching, not just name lookup.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson
import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PYPA = SHARED / "advisories" / "pypa" / "vulns"
GO = SHARED / "advisories" / "go-vulndb" / "osv"


@dataclass(frozen=True, slots=True)
class Candidate:
    purl_type: str  # pypi | golang
    name: str
    version: str

    @property
    def purl(self) -> str:
        if self.purl_type == "golang":
            return f"pkg:golang/{self.name}@v{self.version}"
        return f"pkg:pypi/{self.name}@{self.version}"


def _versions_of(affected: dict[str, object]) -> set[str]:
    found = {str(v) for v in affected.get("versions", []) or []}  # type: ignore[union-attr]
    for rng in affected.get("ranges", []) or []:  # type: ignore[union-attr]
        for event in rng.get("events", []):  # type: ignore[union-attr]
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


def cyclonedx(candidates: Sequence[Candidate], *, name: str, version: str) -> bytes:
    """A CycloneDX 1.5 JSON SBOM with one component per candidate."""
    components = [{"type": "library", "bom-ref": f"c{i}", "name": c.name, "version": c.version,
                   "purl": c.purl} for i, c in enumerate(candidates)]
    return orjson.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "metadata": {"component": {"type": "device", "bom-ref": "root", "name": name,
                                   "version": version}},
        "components": components,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components[:50]]}],
    })


def sample(candidates: Sequence[Candidate], size: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    return rng.sample(list(candidates), size) if size <= len(candidates) else [
        rng.choice(candidates) for _ in range(size)]


def timed(fn: object, repeat: int = 5) -> float:
    """Best wall time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
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
