"""Scan a 10,000-component SBOM against the whole imported advisory database (warm).

Floor measured in the same run: parse the SBOM with orjson and do one dictionary lookup
per component (package name -> advisories). Target: under 0.5 s and within 3x the floor.

    .venv/bin/python bench/bench_scan.py [--components 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import orjson
from realistic import SHARED, cyclonedx, load_candidates, sample, timed

from cpstrust import operations
from cpstrust.store.db import Store


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cpstrust-scan-"))
    store = Store.open(f"sqlite:///{work / 'scan.db'}")
    start = time.perf_counter()
    operations.import_advisory_paths(store, [SHARED / "advisories" / "pypa" / "vulns",
                                             SHARED / "advisories" / "go-vulndb" / "osv"])
    import_s = time.perf_counter() - start
    candidates = load_candidates()
    sbom_path = work / "bom.json"
    sbom_path.write_bytes(cyclonedx(sample(candidates, args.components, seed=7),
                                    name="bench", version="1"))
    index = {(c.purl_type, c.name.lower()): c for c in candidates}

    def floor() -> None:
        doc = orjson.loads(sbom_path.read_bytes())
        for comp in doc["components"]:
            index.get(("pypi", comp["name"].lower()))

    def ours() -> None:
        operations.scan_sbom_file(store, sbom_path)

    ours()  # warm: database pages and caches loaded once
    floor_s, ours_s = timed(floor), timed(ours)
    _sbom, report = operations.scan_sbom_file(store, sbom_path)
    print(f"advisory database: PyPA + Go imported in {import_s:.1f} s")
    print(f"SBOM: {args.components:,} components drawn from the advisory data; "
          f"{len(report.matches):,} findings")
    print(f"floor  orjson parse + 1 dict lookup per component  {floor_s * 1000:8.1f} ms")
    print(f"ours   cpstrust scan (parse, validate, match)       {ours_s * 1000:8.1f} ms  "
          f"({ours_s / floor_s:.2f}x floor)")
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
