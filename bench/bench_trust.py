"""Trust policy evaluation at scale: organisations, products with one release each,
devices with one attestation each, written in bulk, then `trust evaluate` timed three
ways: a full evaluation, an incremental one after a small change (one organisation's
new evidence, one device's new attestation, one finding decided), and an incremental
one with nothing changed.

Every organisation holds one signed ★ envelope (a fifth are assessor-signed ★4
attestations, the rest ★3 declarations), verified again at each full evaluation with
the one verifier (its signature, verified as `evidence import` does when the data is
written, is not checked again under the same trust store version: ADR 0026); every
release a signed release naming its SBOM; one release in 20 an open critical finding.
Reference measured in the same run: a bare read (the database driver, no objects) of
the rows the evaluation reads.

    .venv/bin/python bench/bench_trust.py                      # 10k orgs, 100k, 1M
    .venv/bin/python bench/bench_trust.py --devices 100000     # quicker
    .venv/bin/python bench/bench_trust.py --url postgresql://... # on PostgreSQL
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from cpstrust.app.services import Services
from cpstrust.app.trustpolicy import evaluate_policy
from cpstrust.cli.trust_policy import evaluation_json
from cpstrust.crypto import keyid_of, public_pem
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.orgevidence import PREDICATE_TYPES
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.messages import Lang
from cpstrust.model.evidence import ReleaseProvenance, ResourceDescriptor, Subject
from cpstrust.model.orgevidence import StarAttestation, StarDeclaration, Validity
from cpstrust.model.trust import (
    Algorithm,
    Backend,
    KeyRecord,
    Refused,
    Role,
    TrustedKey,
    TrustStore,
)
from cpstrust.settings import Settings
from cpstrust.store import bulk
from cpstrust.store.db import Store
from cpstrust.store.tables import (
    ComponentRow,
    DeviceAttestationRow,
    DeviceRow,
    EvidenceRow,
    FindingRow,
    OrganizationRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
    SiteRow,
    SupplierRelationRow,
    ZoneRow,
)
from cpstrust.store.trust import save_trust_store
from cpstrust.store.verified_signatures import keep_verified
from cpstrust.trust.interface import Signer
from cpstrust.trust.orgevidence import sign_evidence, verify_evidence
from cpstrust.trust.release import sign_release
from cpstrust.trust.verify import VerifiedSignatures

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
POLICY = """\
trust-policy: 1
name: bench
organisations:
  suppliers: inherit
  rules:
    - {tier: 1, star: 4, max-age: 12 months}
    - {tier: any, star: 3, max-age: 12 months}
products:
  signed-sbom: required
devices:
  critical-systems: [site-0, site-1, site-2/zone-0]
  rules:
    - systems: critical
      attestation: {verdict: GENUINE, max-age: 24 hours}
      vulnerabilities: {severity: critical, max-open: 30 days}
    - systems: other
      attestation: {verdict: GENUINE, max-age: 7 days}
"""
SITES, ZONES = 1000, 4
T = TypeVar("T")


class MemorySigner(Signer):
    """An Ed25519 key held in memory: the bench signs thousands of envelopes."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        public = self.key.public_key()
        self._record = KeyRecord("bench", Backend.FILE, Algorithm.ED25519, keyid_of(public),
                                 public_pem(public), NOW)

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)


def trusted(signer: MemorySigner, role: Role) -> TrustedKey:
    return TrustedKey(signer.record.keyid, Algorithm.ED25519, signer.record.public_key_pem,
                      frozenset({role}))


def write_graph(store: Store, orgs: int, products: int, devices: int) -> None:
    with store.transaction() as session:
        def put(entity: Any, columns: Sequence[str], rows: Any) -> None:
            bulk.insert_rows(session, entity, columns, [v for row in rows for v in row])

        put(OrganizationRow, ("id", "name"), ((i + 1, f"org-{i}") for i in range(orgs)))
        # org 0 is the buyer; 1..99 tier 1; the rest tier 2 under one of them
        put(SupplierRelationRow, ("supplier_id", "customer_id", "tier"),
            ((i + 1, 1 if i < 100 else 2 + i % 99, 1 if i < 100 else 2)
             for i in range(1, orgs)))
        put(ProductRow, ("id", "name", "supplier_id", "kind"),
            ((p + 1, f"product-{p}", 2 + p % (orgs - 1), "device") for p in range(products)))
        put(ReleaseRow, ("id", "product_id", "version"),
            ((p + 1, p + 1, "1.0") for p in range(products)))
        put(SiteRow, ("id", "name", "operator_id", "kind"),
            ((s + 1, f"site-{s}", 1, "factory") for s in range(SITES)))
        put(ZoneRow, ("id", "site_id", "name"),
            ((s * ZONES + z + 1, s + 1, f"zone-{z}") for s in range(SITES) for z in range(ZONES)))
        put(DeviceRow, ("id", "name", "release_id", "site_id", "zone_id"),
            ((d + 1, f"dev-{d}", d % products + 1, d % SITES + 1,
              (d % SITES) * ZONES + d // SITES % ZONES + 1) for d in range(devices)))


def write_evidence(store: Store, orgs: int, products: int, devices: int,
                   keep: bool = True) -> None:
    org_key, assessor, releaser = MemorySigner(), MemorySigner(), MemorySigner()
    trust_store = TrustStore(1, NOW, (
        trusted(org_key, Role.ORGANISATION), trusted(assessor, Role.ASSESSOR),
        trusted(releaser, Role.RELEASE_SIGNER)))
    # what `evidence import` keeps: the signatures it verified, not checked again while
    # the trust store is the same version (ADR 0026)
    verified = VerifiedSignatures()
    with store.transaction() as session:
        save_trust_store(session, trust_store)
        received = bulk.as_bound(session, EvidenceRow, "received_at", NOW)
        values: list[Any] = []
        for i in range(1, orgs):
            validity = Validity(NOW - timedelta(days=30 + i % 400), NOW + timedelta(days=200))
            if i % 5 == 0 or i < 100:
                evidence: Any = StarAttestation(f"org-{i}", validity, 4, "Assessor",
                                                validity.issued_at)
                signer = assessor
            else:
                evidence, signer = StarDeclaration(f"org-{i}", validity, 3), org_key
            signed = sign_evidence(evidence, [signer])
            if isinstance(verify_evidence(signed, trust_store, at=NOW, verified=verified),
                          Refused):
                raise AssertionError(f"the bench's evidence of org-{i} does not verify")
            envelope = write_envelope(signed)
            values += (PREDICATE_TYPES[evidence.kind], f'["{signer.record.keyid}"]',
                       hashlib.sha256(envelope).hexdigest(), envelope, received,
                       evidence.kind.value, f"org-{i}", f"org-{i}",
                       bulk.as_bound(session, EvidenceRow, "issued_at", validity.issued_at),
                       bulk.as_bound(session, EvidenceRow, "expires_at", validity.expires_at))
        bulk.insert_rows(session, EvidenceRow, (
            "predicate_type", "signer_keyids", "sha256", "envelope", "received_at", "kind",
            "organisation", "subject", "issued_at", "expires_at"), values)
        if keep:
            keep_verified(session, trust_store.version, verified.found)
        _release_evidence(session, releaser, products, received)
        _findings(session, products)
        appraised = [bulk.as_bound(session, DeviceAttestationRow, "appraised_at",
                                   NOW - timedelta(hours=h)) for h in range(48)]
        bulk.insert_rows(session, DeviceAttestationRow,
                         ("device_id", "verdict", "reasons", "appraised_at"),
                         [v for d in range(devices) for v in (
                             d + 1, "MODIFIED" if d % 97 == 0 else "GENUINE", "[]",
                             appraised[d % 48])])


def _release_evidence(session: Any, releaser: MemorySigner, products: int,
                      received: Any) -> None:
    """One real signed release, its bytes kept for every release (what is read of them
    at evaluation is the row: signers and the SBOM digest recorded at import)."""
    sbom = b'{"bomFormat": "CycloneDX"}'
    digest = hashlib.sha256(sbom).hexdigest()
    envelope = write_envelope(sign_release(
        [Subject("fw.bin", {"sha256": "0" * 64})],
        ReleaseProvenance("product", "1.0", "bench", NOW,
                          ResourceDescriptor("bom.json", {"sha256": digest}, None)),
        [releaser]))
    keyids = f'["{releaser.record.keyid}"]'
    bulk.insert_rows(session, EvidenceRow, (
        "predicate_type", "release_id", "signer_keyids", "sha256", "envelope", "received_at",
        "document_sha256"), [v for r in range(products) for v in (
            PROVENANCE_V1, r + 1, keyids, hashlib.sha256(envelope).hexdigest(), envelope,
            received, digest)])
    bulk.insert_rows(session, SbomDocumentRow, (
        "id", "release_id", "format", "spec_version", "sha256", "size", "content",
        "content_encoding", "source_name", "received_at", "component_count",
        "without_purl_count"), [v for r in range(products) for v in (
            r + 1, r + 1, "cyclonedx-json", "1.6", digest, len(sbom), sbom, "identity",
            "bom.json", received, 1, 0)])


def _findings(session: Any, products: int) -> None:
    first_seen = [bulk.as_bound(session, FindingRow, "first_seen", NOW - timedelta(days=d))
                  for d in (5, 45)]
    flagged = range(0, products, 20)
    bulk.insert_rows(session, ComponentRow, ("id", "release_id", "sbom_id", "ref", "name",
                                             "type"),
                     [v for r in flagged for v in (r + 1, r + 1, r + 1, "c", "lib", "library")])
    bulk.insert_rows(session, FindingRow, (
        "kind", "release_id", "component_id", "vulnerability_id", "severity", "status",
        "fixed_versions", "first_seen", "last_seen", "version_compared", "decided_by"),
        [v for r in flagged for v in (
            "vulnerability", r + 1, r + 1, f"CVE-2026-{r}", 5, "open", "[]",
            first_seen[r // 20 % 2], first_seen[0], True, "engine")])


def bare_read(store: Store) -> float:
    """The rows the evaluation reads, through the driver alone."""
    queries = (
        "SELECT id, name FROM organization", "SELECT supplier_id, customer_id, tier FROM "
        "supplier_relation", "SELECT id, organisation, envelope FROM evidence WHERE kind IS "
        "NOT NULL", "SELECT id, name, supplier_id FROM product",
        "SELECT id, product_id, version FROM release",
        "SELECT id, release_id, signer_keyids, document_sha256 FROM evidence "
        "WHERE release_id IS NOT NULL", "SELECT release_id, sha256 FROM sbom_document",
        "SELECT id, release_id, vulnerability_id, severity, first_seen FROM finding",
        "SELECT id, name, release_id, site_id, zone_id FROM device",
        "SELECT id, device_id, verdict, appraised_at FROM device_attestation",
    )
    with store.transaction() as session:
        cursor = session.connection().connection.driver_connection.cursor()
        start = time.perf_counter()
        for query in queries:
            cursor.execute(query)
            cursor.fetchall()
        return time.perf_counter() - start


def small_change(store: Store) -> None:
    """One organisation's new ★ evidence row (a copy of another's), one device's new
    attestation, one finding accepted."""
    with store.transaction() as session:
        session.execute(text(
            "INSERT INTO evidence (predicate_type, signer_keyids, sha256, envelope, "
            "received_at, kind, organisation, subject, issued_at, expires_at) "
            "SELECT predicate_type, signer_keyids, sha256, envelope, received_at, kind, "
            "organisation, subject, issued_at, expires_at FROM evidence WHERE "
            "organisation = 'org-1234'"))
        session.execute(text("INSERT INTO device_attestation (device_id, verdict, reasons, "
                             "appraised_at) VALUES (4242, 'MODIFIED', '[]', :at)"),
                        {"at": bulk.as_bound(session, DeviceAttestationRow, "appraised_at",
                                             NOW)})
        session.execute(text("UPDATE finding SET status = 'accepted' WHERE id = 3"))


def timed(run: Callable[[], T]) -> tuple[T, float, float]:
    """What ``run`` returns, its wall time and its CPU time (the machine is shared: CPU
    time shows the work whatever the load)."""
    wall, cpu = time.perf_counter(), time.process_time()
    found = run()
    return found, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    gc.disable()  # as the cpstrust command does
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--url", default=None, help="a database URL; a new SQLite file "
                        "by default (the database must be empty)")
    parser.add_argument("--signatures-unchecked", action="store_true",
                        help="keep none of the signatures verified while writing: the full "
                        "evaluation then checks every one, as the first evaluation after a "
                        "trust store change does (ADR 0026)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cpstrust-bench-trust-"))
    url = args.url or f"sqlite:///{work / 'trust.db'}"
    store = Store.open(url)
    services = Services(Settings(home=work, database_url=url), store=store)
    policy = work / "policy.yaml"
    policy.write_text(POLICY)
    start = time.perf_counter()
    write_graph(store, args.orgs, args.products, args.devices)
    write_evidence(store, args.orgs, args.products, args.devices,
                   keep=not args.signatures_unchecked)
    print(f"data: {args.orgs:,} organisations, {args.products:,} products and releases, "
          f"{args.devices:,} devices on {store.engine.dialect.name}, written in "
          f"{time.perf_counter() - start:.1f} s")
    if store.engine.dialect.name == "postgresql":
        # What autovacuum does a minute after a bulk load: without statistics the first
        # evaluation's plans are guesses.
        with store.transaction() as session:
            session.execute(text("ANALYZE"))
    floor = bare_read(store)
    for name, prepare, full in (("full", None, True), ("incremental, small change",
                                                       small_change, False),
                                ("incremental, nothing changed", None, False)):
        if prepare is not None:
            prepare(store)
        result, wall, cpu = timed(lambda full=full: evaluate_policy(  # type: ignore[misc]
            services, policy, NOW + timedelta(minutes=1), full=full, listed=False))
        print(f"{name}: {wall:.2f} s ({cpu:.2f} s CPU), {result.computed:,} verdicts "
              f"computed ({floor and wall / floor:.1f}x the bare read); load "
              f"{os.getloadavg()[0]:.1f}")
        print("  " + orjson.dumps({k.value: {v.value: n for v, n in c.items()}
                                   for k, c in result.counts.items()}).decode())
    listed, wall, cpu = timed(lambda: evaluate_policy(
        services, policy, NOW + timedelta(minutes=2), listed=True))
    print(f"nothing changed, every verdict listed with its reasons: {wall:.2f} s "
          f"({cpu:.2f} s CPU), {len(listed.verdicts):,} verdicts")
    document, wall, cpu = timed(lambda: orjson.dumps(evaluation_json(listed, Lang.EN),
                                                     option=orjson.OPT_INDENT_2))
    print(f"--format json of them: {wall:.2f} s ({cpu:.2f} s CPU), "
          f"{len(document) / 1e6:.0f} MB")
    print(f"bare read of the same rows: {floor:.2f} s")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
