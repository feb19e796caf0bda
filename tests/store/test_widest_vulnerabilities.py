"""The most widespread vulnerabilities of a set of products (``finding_counts.
widest_vulnerabilities``), summed first for the candidates in the most releases of a
product and for all only when those cannot be the answer, equal the ranking of every
vulnerability summed, over random counts: flat ones (most vulnerabilities in as many
releases, where the candidates do not suffice) and steep ones (a few in every release)."""

from __future__ import annotations

import random

from sqlalchemy import event, insert, select

from cpstrust.store import finding_counts
from cpstrust.store.db import Store
from cpstrust.store.tables import OrganizationRow, ProductRow, ProductVulnerabilityCountRow

PRODUCTS = 6
VULNERABILITIES = 40


def _fill(store: Store, rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for product in range(1, PRODUCTS + 1):
        releases = rng.choice([1, 3, 10])
        steep = rng.random() < 0.5
        for v in rng.sample(range(VULNERABILITIES), rng.randrange(0, VULNERABILITIES)):
            in_releases = (releases if steep and rng.random() < 0.1 else
                           rng.randint(1, releases if not steep else max(1, releases // 2)))
            for status, kind in (("open", "vulnerability"), ("accepted", "vulnerability"),
                                 ("open", "licence")):
                if rng.random() < 0.8:
                    rows.append({"product_id": product, "status": status, "kind": kind,
                                 "vulnerability_id": f"V-{v:03}", "releases": in_releases,
                                 "findings": in_releases * rng.randint(1, 3),
                                 "severity": rng.randrange(5)})
    with store.transaction() as session:
        session.execute(insert(OrganizationRow), [{"id": 1, "name": "Acme"}])
        session.execute(insert(ProductRow), [{"id": p, "name": f"p{p}", "supplier_id": 1}
                                             for p in range(1, PRODUCTS + 1)])
        if rows:
            session.execute(insert(ProductVulnerabilityCountRow), rows)
    return rows


def _ranked(rows: list[dict[str, object]], products: set[int], status: str, kind: str,
            limit: int) -> list[tuple[str, int, int, int]]:
    summed: dict[str, list[int]] = {}
    for row in rows:
        if row["product_id"] in products and (row["status"], row["kind"]) == (status, kind):
            total = summed.setdefault(str(row["vulnerability_id"]), [0, 0, 0])
            total[0] = max(total[0], int(str(row["severity"])))
            total[1] += int(str(row["releases"]))
            total[2] += int(str(row["findings"]))
    ranked = sorted(summed.items(), key=lambda item: (-item[1][1], -item[1][2], item[0]))
    return [(vid, sev, rel, n) for vid, (sev, rel, n) in ranked[:limit]]


def test_widest_vulnerabilities_equal_all_summed_and_ranked(store: Store) -> None:
    rng = random.Random(32)
    rows = _fill(store, rng)
    statements: list[object] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args))
    read_with = set()
    with store.transaction() as session:
        for _ in range(60):
            products = set(rng.sample(range(1, PRODUCTS + 2), rng.randint(1, PRODUCTS)))
            status, kind = rng.choice([("open", "vulnerability"), ("accepted", "vulnerability"),
                                       ("open", "licence"), ("fixed", "vulnerability")])
            limit = rng.choice([1, 3, 10, 50])
            ids = select(ProductRow.id).where(ProductRow.id.in_(products))
            statements.clear()
            found = finding_counts.widest_vulnerabilities(session, ids, status=status,
                                                          kind=kind, limit=limit)
            assert found == _ranked(rows, products, status, kind, limit), (products, status,
                                                                           kind, limit)
            read_with.add(len(statements))
    assert read_with == {1, 2}  # the candidates sufficed, and did not, each some time
