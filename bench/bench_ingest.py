"""Ingest N SBOMs x M components into SQLite as `chain load` does, then time `impact`.

The measured path is the batch use case users run (`app.sboms.import_sboms`, which
`cpstrust chain load` uses): worker processes read, validate and prepare the SBOM files
while the main process writes them, all in one transaction. Measured twice on copies of
one store holding the advisories and the graph: without, then with matching and findings.

Reference measured in the same run: bare sqlite3 `executemany` of the same component
rows (every column) into a table with the same columns and indexes: the cost floor of
writing them. Our figure also compresses and writes each document (1.2 MB; ~0.19 MB
stored) and writes its dependency edges.

    .venv/bin/python bench/bench_ingest.py              # 1,000 x 1,000 (1M components)
    .venv/bin/python bench/bench_ingest.py --sboms 100  # quicker
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.sbom_batch import SbomToImport, default_workers
from cpstrust.app.sboms import import_sboms
from cpstrust.app.services import Services
from cpstrust.model.graph import (
    Device,
    Organization,
    Product,
    Release,
    Site,
    SupplierRelation,
    SupplyChain,
)
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.impact import impact
from cpstrust.store.sboms import COMPONENT_COLUMNS
from cpstrust.store.tables import FindingRow
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
    """Bare sqlite3: the same component rows, all columns, into a table shaped like ours."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE component (id INTEGER PRIMARY KEY, release_id INT, sbom_id INT, "
        "ref TEXT, name TEXT, version TEXT, purl TEXT, type TEXT, parent_ref TEXT, "
        "ecosystem TEXT, package TEXT, hashes TEXT, licenses TEXT, supplier TEXT)"
    )
    db.execute("CREATE INDEX ix1 ON component (release_id)")  # the indexes our table has
    start = time.perf_counter()
    with db:
        db.executemany(
            f"INSERT INTO component ({', '.join(_FLOOR_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_FLOOR_COLUMNS))})",
            rows,
        )
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


_FLOOR_COLUMNS = ("release_id", "sbom_id", *COMPONENT_COLUMNS)


def write_sboms(work: Path, n_sboms: int, n_components: int) -> list[Path]:
    candidates = load_candidates()
    (work / "sboms").mkdir()
    paths = []
    for i in range(n_sboms):
        path = work / "sboms" / f"sbom-{i}.cdx.json"
        path.write_bytes(cyclonedx(sample(candidates, n_components, seed=i), name="p", version="1"))
        paths.append(path)
    return paths


def timed_import(
    url: str, items: list[SbomToImport], *, evaluate: bool, workers: int | None
) -> tuple[float, float]:
    """Seconds for the batch up to the store's closing, as a `chain load` runs, and for
    its commit and close alone (SQLite's WAL checkpoint runs there: every page written
    goes through the log and then into the database file)."""
    store = Store.open(url)
    committing: list[float] = []
    event.listen(store.engine, "commit", lambda _conn: committing.append(time.perf_counter()))
    start = time.perf_counter()
    import_sboms(_services(store), items, evaluate=evaluate, workers=workers)
    store.close()
    end = time.perf_counter()
    return end - start, end - committing[-1]


def _services(store: Store) -> Services:
    home = Path(tempfile.mkdtemp(prefix="cpstrust-bench-home-"))
    return Services(Settings(home=home, database_url=str(store.engine.url)), store=store)


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    gc.disable()  # as the cpstrust command does: its entry point decides
    parser = argparse.ArgumentParser()
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    args = parser.parse_args()
    total = args.sboms * args.components
    work = Path(tempfile.mkdtemp(prefix="cpstrust-bench-"))
    paths = write_sboms(work, args.sboms, args.components)
    chain = supply_chain(args.sboms)
    items = [
        SbomToImport(path, r.product, r.version)
        for path, r in zip(paths, chain.releases, strict=True)
    ]

    # One store with the advisories and the graph, copied for each measured ingest.
    template = work / "template.db"
    store = Store.open(f"sqlite:///{template}")
    start = time.perf_counter()
    import_advisory_paths(
        _services(store), [ADVISORIES / "pypa" / "vulns", ADVISORIES / "go-vulndb" / "osv"]
    )
    advisories_s = time.perf_counter() - start
    with store.transaction() as session:
        load_supply_chain(session, chain)
    store.close()
    with sqlite3.connect(template) as db:  # everything in the file before copying it
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for name in ("store.db", "full.db"):
        shutil.copyfile(template, work / name)

    print(f"before: {load()}", flush=True)
    ingest_s, ingest_commit_s = timed_import(
        f"sqlite:///{work / 'store.db'}", items, evaluate=False, workers=args.workers
    )
    print(f"stored: {load()}", flush=True)
    stored_mb = (work / "store.db").stat().st_size / 1e6
    full_s, _ = timed_import(
        f"sqlite:///{work / 'full.db'}", items, evaluate=True, workers=args.workers
    )
    print(f"with findings: {load()}", flush=True)

    with sqlite3.connect(work / "store.db") as db:
        rows = db.execute(f"SELECT {', '.join(_FLOOR_COLUMNS)} FROM component").fetchall()
    floor_s = floor_insert(rows, work / "floor.db")
    del rows

    store = Store.open(f"sqlite:///{work / 'full.db'}")
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
    store.close()
    impact_ms = statistics.median(times) * 1000

    size = sum(p.stat().st_size for p in paths)
    print(
        f"scale: {args.sboms} SBOMs x {args.components} components = {total:,} components "
        f"({size / 1e6:,.0f} MB); {n_findings:,} findings; advisory import {advisories_s:.1f} s; "
        f"{args.workers or default_workers()} workers"
    )
    print(f"floor  bare sqlite3 executemany     {total / floor_s:12,.0f} components/s")
    print(
        f"ours   parse+validate+store         {total / ingest_s:12,.0f} components/s "
        f"({floor_s / ingest_s:.2f}x floor; {ingest_s:.1f} s, of which commit and close "
        f"{ingest_commit_s:.1f} s; store {stored_mb:,.0f} MB)"
    )
    print(
        f"ours   + match + findings           {total / full_s:12,.0f} components/s ({full_s:.1f} s)"
    )
    print(
        f"impact {top[0]} ({top[1]} findings, {len(result.devices)} devices, "
        f"{len(result.organizations)} organisations): median {impact_ms:.1f} ms over 20 runs"
    )
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
