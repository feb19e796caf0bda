"""Ingest N SBOMs x M components into SQLite, then time `impact` over that store.

Reference measured in the same run: bare sqlite3 `executemany` of the same component
rows into a table with the same columns and indexes (the cost floor of writing them).

    .venv/bin/python bench/bench_ingest.py              # 1,000 x 1,000 (1M components)
    .venv/bin/python bench/bench_ingest.py --sboms 100  # quicker
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from cpstrust import operations
from cpstrust.formats.sbom import read_sbom
from cpstrust.model.graph import (
    Device,
    Organization,
    Product,
    Release,
    Site,
    SupplierRelation,
    SupplyChain,
)
from cpstrust.store import findings
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.impact import impact
from cpstrust.store.sboms import store_sbom
from cpstrust.store.tables import FindingRow, ReleaseRow
from realistic import cyclonedx, load_candidates, sample

ADVISORIES = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "advisories"


def supply_chain(n_sboms: int) -> SupplyChain:
    """50 suppliers in three tiers under one buyer, 100 products, 5 devices per release."""
    orgs = [Organization("Buyer")] + [Organization(f"Supplier {i}") for i in range(50)]
    relations = [
        SupplierRelation(
            f"Supplier {i}", "Buyer" if i < 10 else f"Supplier {i % 10}", 1 if i < 10 else 2
        )
        for i in range(50)
    ]
    products = [Product(f"product-{p}", f"Supplier {p % 50}") for p in range(100)]
    releases = [Release(f"product-{i % 100}", f"{i // 100}.0") for i in range(n_sboms)]
    sites = [Site(f"site-{s}", "Buyer", "factory", ("control", "dmz")) for s in range(20)]
    devices = [
        Device(f"dev-{i}-{d}", r.product, r.version, f"site-{(i + d) % 20}", "control")
        for i, r in enumerate(releases)
        for d in range(5)
    ]
    return SupplyChain(
        tuple(orgs),
        tuple(relations),
        tuple(products),
        tuple(releases),
        tuple(sites),
        tuple(devices),
    )


def floor_insert(rows: list[tuple[object, ...]], path: Path) -> float:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE component (id INTEGER PRIMARY KEY, release_id INT, sbom_id INT, "
        "ref TEXT, name TEXT, version TEXT, purl TEXT, ecosystem TEXT, package TEXT, "
        "type TEXT, parent_ref TEXT, hashes TEXT, licenses TEXT, supplier TEXT)"
    )
    db.execute("CREATE INDEX ix1 ON component (release_id)")  # the indexes our table has
    start = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO component (release_id, sbom_id, ref, name, version, purl, "
            "ecosystem, package, type) VALUES (?,?,?,?,?,?,?,?,?)",
            rows,
        )
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--components", type=int, default=1000)
    args = parser.parse_args()
    total = args.sboms * args.components
    candidates = load_candidates()
    documents = [
        cyclonedx(sample(candidates, args.components, seed=i), name="p", version="1")
        for i in range(args.sboms)
    ]
    chain = supply_chain(args.sboms)
    work = Path(tempfile.mkdtemp(prefix="cpstrust-bench-"))
    store = Store.open(f"sqlite:///{work / 'bench.db'}")

    start = time.perf_counter()
    operations.import_advisory_paths(
        store, [ADVISORIES / "pypa" / "vulns", ADVISORIES / "go-vulndb" / "osv"]
    )
    advisories_s = time.perf_counter() - start
    with store.transaction() as session:
        load_supply_chain(session, chain)

    parsed = [read_sbom(d, source=f"sbom-{i}") for i, d in enumerate(documents)]
    rows = [
        (i, i, c.ref, c.name, c.version, c.purl, "pypi", c.name.lower(), c.type)
        for i, s in enumerate(parsed)
        for c in s.components
    ]
    floor_s = floor_insert(rows, work / "floor.db")

    start = time.perf_counter()
    for i, (raw, release) in enumerate(zip(documents, chain.releases, strict=True)):
        sbom = read_sbom(raw, source=f"sbom-{i}")
        with store.transaction() as session:
            store_sbom(
                session,
                sbom,
                raw,
                source_name=f"sbom-{i}",
                product=release.product,
                version=release.version,
            )
    ingest_s = time.perf_counter() - start

    start = time.perf_counter()
    with store.transaction() as session:
        ids = list(session.scalars(select(ReleaseRow.id).order_by(ReleaseRow.id)))
    for chunk in range(0, len(ids), 50):
        with store.transaction() as session:
            rows = findings.components_of_releases(session, ids[chunk : chunk + 50])
            findings.evaluate(session, rows)
    evaluate_s = time.perf_counter() - start

    with store.transaction() as session:
        top = session.execute(
            select(FindingRow.vulnerability_id, func.count())
            .group_by(FindingRow.vulnerability_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        n_findings = session.scalar(select(func.count()).select_from(FindingRow))
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            result = impact(session, top[0])
            times.append(time.perf_counter() - t0)
    impact_ms = statistics.median(times) * 1000

    print(
        f"scale: {args.sboms} SBOMs x {args.components} components = {total:,} components; "
        f"{n_findings:,} findings; advisory import {advisories_s:.1f} s"
    )
    print(f"floor  bare sqlite3 executemany     {total / floor_s:12,.0f} components/s")
    print(
        f"ours   parse+validate+store         {total / ingest_s:12,.0f} components/s "
        f"({floor_s / ingest_s:.2f}x floor)"
    )
    print(
        f"ours   + match + findings           {total / (ingest_s + evaluate_s):12,.0f} "
        f"components/s (evaluation alone {total / evaluate_s:,.0f}/s)"
    )
    print(
        f"impact {top[0]} ({top[1]} findings, {len(result.devices)} devices, "
        f"{len(result.organizations)} organisations): median {impact_ms:.1f} ms over 20 runs"
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
