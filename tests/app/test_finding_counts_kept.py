"""The counts kept beside the findings (``store.finding_counts``, ADR 0024) equal the
findings counted from scratch after every kind of change that moves findings: SBOMs
stored and replaced (one and in a batch), advisories imported and withdrawn, re-scans,
VEX statements, licence policies, people's decisions."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Row, func, select, update
from sqlalchemy.orm import Session

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.findings import list_findings, set_finding_status
from cpstrust.app.licence_policy import clear_licence_policy, set_licence_policy
from cpstrust.app.sbom_batch import SbomToImport
from cpstrust.app.sboms import import_sbom, import_sboms
from cpstrust.app.scanning import StoredScope, scan_stored
from cpstrust.app.services import Services
from cpstrust.app.vex import import_vex
from cpstrust.model.finding import FindingStatus
from cpstrust.store import finding_counts
from cpstrust.store.tables import (
    FindingRow,
    ProductVulnerabilityCountRow,
    ReleaseFindingCountRow,
    ReleaseRow,
    ReleaseVulnerabilityCountRow,
)
from event_data import advisories, sbom

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "src" / "cpstrust" / "demo"
VEX = REPO / "tests" / "data" / "vex"
SBOMS = [DEMO / "sboms" / name for name in ("hc-gateway-3.2.0.cdx.json",
                                            "hc-gateway-3.4.0.cdx.json",
                                            "ss-sensorhub-1.8.0.spdx.json")]
POLICY = "version: 1\ndefault: allow\nmissing: review\n"

Counts = dict[str, set[tuple[object, ...]]]


def kept(services: Services) -> Counts:
    with services.store.transaction() as session:
        return {
            "release": {tuple(r) for r in session.execute(select(
                ReleaseFindingCountRow.release_id, ReleaseFindingCountRow.kind,
                ReleaseFindingCountRow.status, ReleaseFindingCountRow.severity,
                ReleaseFindingCountRow.findings))},
            "vulnerability": {tuple(r) for r in session.execute(select(
                ReleaseVulnerabilityCountRow.release_id,
                ReleaseVulnerabilityCountRow.vulnerability_id, ReleaseVulnerabilityCountRow.kind,
                ReleaseVulnerabilityCountRow.status, ReleaseVulnerabilityCountRow.findings,
                ReleaseVulnerabilityCountRow.severity))},
            "product": {tuple(r) for r in session.execute(select(
                ProductVulnerabilityCountRow.product_id, ProductVulnerabilityCountRow.status,
                ProductVulnerabilityCountRow.kind, ProductVulnerabilityCountRow.vulnerability_id,
                ProductVulnerabilityCountRow.releases, ProductVulnerabilityCountRow.findings,
                ProductVulnerabilityCountRow.severity))},
        }


def counted_from_scratch(services: Services) -> Counts:
    f = FindingRow
    with services.store.transaction() as session:
        return {
            "release": {tuple(r) for r in session.execute(
                select(f.release_id, f.kind, f.status, f.severity, func.count())
                .group_by(f.release_id, f.kind, f.status, f.severity))},
            "vulnerability": {tuple(r) for r in session.execute(
                select(f.release_id, f.vulnerability_id, f.kind, f.status, func.count(),
                       func.max(f.severity))
                .group_by(f.release_id, f.vulnerability_id, f.kind, f.status))},
            "product": {tuple(r) for r in session.execute(
                select(ReleaseRow.product_id, f.status, f.kind, f.vulnerability_id,
                       func.count(func.distinct(f.release_id)), func.count(),
                       func.max(f.severity))
                .join(ReleaseRow, ReleaseRow.id == f.release_id)
                .group_by(ReleaseRow.product_id, f.status, f.kind, f.vulnerability_id))},
        }


def changes(services: Services, tmp_path: Path) -> list[tuple[str, Callable[[], object]]]:
    rng = random.Random(15)

    def store_one() -> object:
        version = rng.choice(["1.0", "2.0"])
        return import_sbom(services, rng.choice(SBOMS), product=f"p{rng.randrange(3)}",
                           version=version, supplier="Acme")

    def store_batch() -> object:
        return import_sboms(services, [
            SbomToImport(rng.choice(SBOMS), f"p{rng.randrange(3)}", v, "Acme")
            for v in ("1.0", "3.0")], workers=1)

    def decide() -> object:
        found = list_findings(services)
        if not found:
            return None
        finding = rng.choice(found)
        return set_finding_status(services, finding.id, rng.choice(list(FindingStatus)),
                                  "decided in a test")

    policy = tmp_path / "licences.yaml"
    policy.write_text(POLICY)
    urllib3 = sbom(tmp_path / "urllib3.json", "pkg:pypi/urllib3@1.24.1", "pkg:pypi/mit-lib@1.0")
    return [
        ("advisories", lambda: import_advisory_paths(services, [DEMO / "advisories"])),
        ("sbom", store_one),
        ("urllib3 release", lambda: import_sbom(services, urllib3, product="Gateway",
                                                version="2.4.0", supplier="Acme")),
        ("batch", store_batch),
        ("decision", decide),
        ("licence policy", lambda: set_licence_policy(services, policy)),
        ("vex", lambda: import_vex(services, VEX / "gateway.openvex.json")),
        ("rescan", lambda: scan_stored(services, StoredScope())),
        ("withdrawal", lambda: import_advisory_paths(
            services, [advisories(tmp_path, withdrawn=True)])),
        ("cleared policy", lambda: clear_licence_policy(services)),
        ("decision", decide),
        ("sbom", store_one),
    ]


def test_kept_counts_equal_the_findings_counted_after_each_change(
        services: Services, tmp_path: Path) -> None:
    rng = random.Random(2026)
    steps = changes(services, tmp_path)
    order = steps[:3] + rng.sample(steps[3:], len(steps) - 3) + rng.choices(steps, k=6)
    statuses = set()
    for name, change in order:
        change()
        assert kept(services) == counted_from_scratch(services), f"after {name}"
        statuses |= {status for _, _, status, _, _ in kept(services)["release"]}
    assert kept(services)["product"]  # the sequence made findings to count
    assert len(statuses) > 1  # and moved some of them out of open


def test_recounts_of_one_product_at_once_keep_both_changes(
        services: Services, tmp_path: Path) -> None:
    """Two transactions decide two findings of one release at the same time: the one
    that recounts second must count the first's change too (on PostgreSQL it waits for
    the first's commit; on SQLite for the one writer)."""
    import_advisory_paths(services, [DEMO / "advisories"])
    gateway = sbom(tmp_path / "gateway.json", "pkg:pypi/urllib3@1.24.1",
                   "pkg:golang/golang.org/x/crypto@v0.0.0-20170101000000-000000000000")
    import_sbom(services, gateway, product="Gateway", version="2.4.0", supplier="Acme")
    with services.store.transaction() as session:
        rows = session.execute(select(FindingRow.id, FindingRow.release_id,
                                      FindingRow.vulnerability_id)
                               .order_by(FindingRow.id)).all()
    first, second = rows[0], next(r for r in rows[1:] if r.release_id == rows[0].release_id)

    def decide(session: Session, row: Row[tuple[int, int, str]]) -> None:
        session.execute(update(FindingRow).where(FindingRow.id == row.id)
                        .values(status=FindingStatus.ACCEPTED.value))
        finding_counts.recount(session, [row.release_id], [row.vulnerability_id])

    errors: list[BaseException] = []

    def other() -> None:
        try:
            with services.store.transaction() as session:
                decide(session, second)
        except BaseException as error:  # reported by the test below
            errors.append(error)

    with services.store.transaction() as session:
        decide(session, first)
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=1.0)  # without the lock it would count and commit now
    thread.join(timeout=30)
    assert not thread.is_alive() and not errors, errors
    assert kept(services) == counted_from_scratch(services)
    assert {s for _, _, s, _, _ in kept(services)["release"]} >= {"accepted"}
