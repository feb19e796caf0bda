"""An incremental trust evaluation gives the verdicts (with their reasons and until
when they hold) and the counts a full one gives, on random stores: random supply
relations, ★ evidence (met, below, stale, expired, wrong signer role), signed releases
with and without their SBOM, open findings and attestations; then random changes (new
evidence, attestations and signed releases, a finding decided) and time passing."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.app.trustpolicy import TrustEvaluation, evaluate_policy
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.messages import Message, Place
from cpstrust.model.evidence import ReleaseProvenance, ResourceDescriptor, Subject
from cpstrust.model.orgevidence import (
    OrganisationEvidence,
    StarAttestation,
    StarDeclaration,
    Validity,
)
from cpstrust.model.trust import Algorithm, Role, TrustedKey, TrustStore
from cpstrust.model.trustpolicy import SubjectKind
from cpstrust.store import trustverdicts
from cpstrust.store.orgevidence import save_evidence
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
    VerifiedSignatureRow,
    ZoneRow,
)
from cpstrust.store.trust import current_trust_store, save_trust_store
from cpstrust.trust.interface import Signer
from cpstrust.trust.memorykeys import MemorySigner
from cpstrust.trust.orgevidence import sign_evidence
from cpstrust.trust.release import sign_release

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ORGS, PRODUCTS, SITES, DEVICES = 24, 30, 4, 160
POLICY = """\
trust-policy: 1
name: random
organisations:
  suppliers: inherit
  rules:
    - {tier: 1, star: 4, max-age: 12 months}
    - {tier: any, star: 3, max-age: 6 months}
products:
  signed-sbom: required
devices:
  critical-systems: [site-0, site-1/zone-1]
  rules:
    - systems: critical
      attestation: {verdict: GENUINE, max-age: 24 hours}
      vulnerabilities: {severity: high, max-open: 30 days}
    - systems: other
      attestation: {verdict: GENUINE, max-age: 7 days}
"""


class RandomStore:
    """The keys and the random choices of one store, for its changes later."""

    def __init__(self, services: Services, seed: int) -> None:
        self.services, self.rng = services, random.Random(seed)
        self.org_key, self.assessor, self.releaser = (MemorySigner(name, NOW) for name in (
            "organisation", "assessor", "releaser"))
        self.sbom = b'{"bomFormat": "CycloneDX"}'
        self.releases = 0

    def build(self) -> None:
        rng = self.rng
        with self.services.store.transaction() as session:
            save_trust_store(session, TrustStore(1, NOW, tuple(
                TrustedKey(s.record.keyid, Algorithm.ED25519, s.record.public_key_pem,
                           frozenset({role})) for s, role in (
                    (self.org_key, Role.ORGANISATION), (self.assessor, Role.ASSESSOR),
                    (self.releaser, Role.RELEASE_SIGNER)))))
            session.add_all(OrganizationRow(id=i + 1, name=f"org-{i}") for i in range(ORGS))
            session.flush()
            # suppliers have higher ids than their customers: no cycle
            session.add_all(SupplierRelationRow(supplier_id=s, customer_id=c,
                                                tier=rng.choice((1, 2)))
                            for s in range(2, ORGS + 1)
                            for c in rng.sample(range(1, s), k=min(s - 1, rng.choice((1, 1, 2)))))
            session.add_all(ProductRow(id=p + 1, name=f"product-{p}",
                                       supplier_id=rng.randint(2, ORGS)) for p in range(PRODUCTS))
            session.flush()
            for p in range(PRODUCTS):
                for _ in range(rng.choice((1, 1, 2))):
                    self._release(session, p + 1)
            session.add_all(SiteRow(id=s + 1, name=f"site-{s}", operator_id=1, kind="factory")
                            for s in range(SITES))
            session.add_all(ZoneRow(id=s * 2 + z + 1, site_id=s + 1, name=f"zone-{z}")
                            for s in range(SITES) for z in range(2))
            session.flush()
            for d in range(DEVICES):
                site = rng.randrange(SITES)
                session.add(DeviceRow(id=d + 1, name=f"dev-{d}",
                                      release_id=rng.randint(1, self.releases), site_id=site + 1,
                                      zone_id=rng.choice((None, site * 2 + 1, site * 2 + 2))))
            session.flush()
        for org in range(1, ORGS):
            for _ in range(rng.choice((0, 1, 1, 2))):
                self.evidence(f"org-{org}")
        for device in range(1, DEVICES + 1):
            if rng.random() < 0.8:
                self.attest(device)

    def _release(self, session: Session, product: int) -> None:
        self.releases += 1
        release = self.releases
        session.add(ReleaseRow(id=release, product_id=product, version=f"{release}.0"))
        session.flush()
        if self.rng.random() < 0.9:
            digest = hashlib.sha256(self.sbom).hexdigest()
            session.add(SbomDocumentRow(
                id=release, release_id=release, format="cyclonedx-json", spec_version="1.6",
                sha256=digest, size=len(self.sbom), content=self.sbom, source_name="bom.json",
                received_at=NOW, component_count=1, without_purl_count=0))
            session.flush()
            if self.rng.random() < 0.4:
                session.add(ComponentRow(id=release, release_id=release, sbom_id=release,
                                         ref="c", name="lib", type="library"))
                session.flush()
                session.add(FindingRow(
                    release_id=release, component_id=release, vulnerability_id=f"CVE-{release}",
                    severity=self.rng.choice((3, 4, 5)), fixed_versions="[]",
                    first_seen=NOW - timedelta(days=self.rng.choice((2, 20, 45))),
                    last_seen=NOW))
        if self.rng.random() < 0.8:
            self.signed_release(session, release)

    def signed_release(self, session: Session, release: int) -> None:
        """A signed release naming the stored SBOM, or (one in four) another one."""
        sbom = self.sbom if self.rng.random() < 0.75 else b"another"
        digest = hashlib.sha256(sbom).hexdigest()
        envelope = write_envelope(sign_release(
            [Subject("fw.bin", {"sha256": "0" * 64})],
            ReleaseProvenance("product", "1.0", "test", NOW,
                              ResourceDescriptor("bom.json", {"sha256": digest}, None)),
            [self.releaser]))
        session.add(EvidenceRow(
            predicate_type=PROVENANCE_V1, release_id=release,
            signer_keyids=f'["{self.releaser.record.keyid}"]',
            sha256=hashlib.sha256(envelope).hexdigest(), envelope=envelope, received_at=NOW,
            document_sha256=digest))

    def evidence(self, org: str) -> None:
        """★ evidence of one of five kinds: a ★4 attestation, a ★3 declaration, one old
        or expired, or a ★4 attestation signed by the organisation's own key."""
        rng = self.rng
        age = rng.choice((10, 100, 250, 400))
        validity = Validity(NOW - timedelta(days=age),
                            NOW + timedelta(days=rng.choice((-5, 1, 100))))
        evidence: OrganisationEvidence
        choice = rng.randrange(4)
        signer: Signer = self.org_key
        if choice < 2:
            evidence = StarAttestation(org, validity, 4, "A", validity.issued_at)
            signer = self.assessor if choice == 0 else self.org_key
        else:
            evidence = StarDeclaration(org, validity, 3)
        envelope = write_envelope(sign_evidence(evidence, [signer]))
        with self.services.store.transaction() as session:
            save_evidence(session, evidence, envelope, signer_keyids=[signer.record.keyid],
                          source="test", received_at=NOW)

    def attest(self, device: int, at: datetime = NOW) -> None:
        with self.services.store.transaction() as session:
            session.add(DeviceAttestationRow(
                device_id=device, verdict=self.rng.choice(("GENUINE", "GENUINE", "MODIFIED")),
                reasons="[]", appraised_at=at - timedelta(hours=self.rng.choice((1, 20, 100)))))

    def change(self, at: datetime) -> None:
        rng = self.rng
        for org in rng.sample(range(1, ORGS), k=3):
            self.evidence(f"org-{org}")
        for device in rng.sample(range(1, DEVICES + 1), k=10):
            self.attest(device, at)
        with self.services.store.transaction() as session:
            self.signed_release(session, rng.randint(1, self.releases))
            session.execute(update(FindingRow).where(FindingRow.id == rng.randint(1, 4))
                            .values(status="accepted"))


def shown(result: TrustEvaluation) -> dict[tuple[str, int], tuple[Any, ...]]:
    return {(v.kind.value, v.key): (v.name, v.verdict, tuple(map(str, v.reasons)), v.valid_until)
            for v in result.verdicts}


def stored_devices(services: Services) -> dict[int, Any]:
    with services.store.transaction() as session:
        return trustverdicts.stored_device_verdicts(session)


@pytest.mark.parametrize(("seed", "hours"), [(1, 2), (2, 30), (3, 24 * 200)])
def test_incremental_equals_full_on_a_random_store(services: Services, tmp_path: Path,
                                                   seed: int, hours: int) -> None:
    store = RandomStore(services, seed)
    store.build()
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    first = evaluate_policy(services, policy, NOW)
    assert len(first.verdicts) == ORGS + PRODUCTS + store.releases + DEVICES + SITES * 3
    assert len({v for c in first.counts.values() for v in c}) == 4  # every verdict kind
    later = NOW + timedelta(hours=hours)
    store.change(later)
    incremental = evaluate_policy(services, policy, later)
    devices = stored_devices(services)
    assert incremental.incremental and incremental.computed < len(incremental.verdicts)
    full = evaluate_policy(services, policy, later, full=True)
    assert not full.incremental
    assert shown(incremental) == shown(full)
    assert incremental.counts == full.counts
    assert devices == stored_devices(services)


@pytest.mark.parametrize("seed", [4, 5])
def test_stored_device_verdicts_are_those_their_reasons_give(services: Services, tmp_path: Path,
                                                            seed: int) -> None:
    """A full evaluation judges devices column by column without reasons; each stored
    verdict and ``valid_until`` is the one the device's reasons, built one device at a
    time when shown, give."""
    store = RandomStore(services, seed)
    store.build()
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    result = evaluate_policy(services, policy, NOW + timedelta(hours=3), full=True)
    explained = {v.key: (v.verdict, v.valid_until) for v in result.verdicts
                 if v.kind is SubjectKind.DEVICE}
    stored = {k: (v.verdict, v.valid_until) for k, v in stored_devices(services).items()}
    assert stored == explained
    assert len(stored) == DEVICES and len({v for v, _ in stored.values()}) >= 3


def test_reasons_are_stored_as_orjson_writes_the_messages() -> None:
    reasons = (Message("trust_evidence_refused", {"id": 3, "why": Message(
        "verify_key_revoked", {"keyid": "ab", "date": "2026-01-02", "reason": "lost"})}),
        Message("trust_org_star_met", {"star": 4, "place": Place("line 3")}), Message("x"))
    assert trustverdicts.reasons_json(reasons) == orjson.dumps(reasons).decode()


def test_signatures_are_checked_again_under_a_new_trust_store(services: Services,
                                                              tmp_path: Path) -> None:
    """A full evaluation keeps the signatures it found valid under the trust store's
    version and does not check them again; under a new version (the same keys) each is
    checked again once, and the verdicts are the same either way."""
    store = RandomStore(services, 6)
    store.build()
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    first = evaluate_policy(services, policy, NOW, full=True)
    held = held_signatures(services)
    assert held and {version for version, _ in held} == {1}
    assert shown(evaluate_policy(services, policy, NOW, full=True)) == shown(first)
    assert held_signatures(services) == held
    with services.store.transaction() as session:
        current = current_trust_store(session)
        save_trust_store(session, replace(current, version=2))
    assert shown(evaluate_policy(services, policy, NOW)) == shown(first)
    assert held_signatures(services) == {(2, digest) for _, digest in held}


def held_signatures(services: Services) -> set[tuple[int, str]]:
    with services.store.transaction() as session:
        return {(row.trust_store_version, row.digest)
                for row in session.scalars(select(VerifiedSignatureRow))}
