"""Trust policy use cases on SQLite and PostgreSQL: verdicts of every kind with their
reasons, propagation along supply and deployment edges, cycles refused, incremental
evaluation equal to a full one (after new evidence, a new attestation, time passing),
and --what-if."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from cpstrust.app.services import Services
from cpstrust.app.trustpolicy import evaluate_policy, what_if
from cpstrust.crypto import keyid_of, public_pem
from cpstrust.errors import InputError
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.model.orgevidence import (
    OrganisationEvidence,
    StarAttestation,
    StarDeclaration,
    Validity,
)
from cpstrust.model.trust import Algorithm, Backend, KeyRecord, Role, TrustedKey, TrustStore
from cpstrust.model.trustpolicy import SubjectKind, Verdict, worst
from cpstrust.store import trustverdicts
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.orgevidence import save_evidence
from cpstrust.store.tables import (
    DeviceAttestationRow,
    DeviceRow,
    OrganizationRow,
    SupplierRelationRow,
)
from cpstrust.store.trust import save_trust_store
from cpstrust.trust.interface import Signer
from cpstrust.trust.orgevidence import sign_evidence

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo" / "supply-chain.yaml"
POLICY = """\
trust-policy: 1
name: test
organisations:
  suppliers: inherit
  rules:
    - {tier: 1, star: 4, max-age: 12 months}
    - {tier: any, star: 3, max-age: 12 months}
products:
  signed-sbom: required
devices:
  critical-systems: [Mikawa Assembly Plant]
  rules:
    - systems: critical
      attestation: {verdict: GENUINE, max-age: 24 hours}
      vulnerabilities: {severity: critical, max-open: 30 days}
"""


class MemorySigner(Signer):
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        public = self.key.public_key()
        self._record = KeyRecord("k", Backend.FILE, Algorithm.ED25519, keyid_of(public),
                                 public_pem(public), NOW)

    @property
    def record(self) -> KeyRecord:
        return self._record

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)


@pytest.fixture
def chain(services: Services, tmp_path: Path) -> tuple[Services, Path, MemorySigner]:
    """The demo supply chain, an organisation key and an assessor key trusted, ★ evidence
    for three suppliers and two attestations."""
    org_key, assessor = MemorySigner(), MemorySigner()
    with services.store.transaction() as session:
        load_supply_chain(session, read_supply_chain(DEMO.read_bytes(), source=str(DEMO)))
        save_trust_store(session, TrustStore(1, NOW, tuple(
            TrustedKey(s.record.keyid, Algorithm.ED25519, s.record.public_key_pem,
                       frozenset({role}))
            for s, role in ((org_key, Role.ORGANISATION), (assessor, Role.ASSESSOR)))))
    keep(services, StarAttestation("Hokuriku Controls", validity(10), 4, "A", NOW), assessor)
    keep(services, StarDeclaration("Minato Building Systems", validity(10), 3), org_key)
    keep(services, StarDeclaration("Setouchi Sensors", validity(400), 3), org_key)
    attest(services, "gw-line1", "GENUINE", NOW - timedelta(hours=1))
    attest(services, "gw-line2", "MODIFIED", NOW - timedelta(hours=1))
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    return services, policy, org_key


def validity(age_days: int) -> Validity:
    return Validity(NOW - timedelta(days=age_days), NOW + timedelta(days=100))


def keep(services: Services, evidence: OrganisationEvidence, signer: Signer) -> None:
    envelope = write_envelope(sign_evidence(evidence, [signer]))
    with services.store.transaction() as session:
        save_evidence(session, evidence, envelope, signer_keyids=[signer.record.keyid],
                      source="test", received_at=NOW)


def attest(services: Services, device: str, verdict: str, at: datetime) -> None:
    with services.store.transaction() as session:
        device_id = session.scalar(select(DeviceRow.id).where(DeviceRow.name == device))
        session.add(DeviceAttestationRow(device_id=device_id, verdict=verdict, reasons="[]",
                                         appraised_at=at))


def verdicts(services: Services, policy: Path, at: datetime, *,
             full: bool = False) -> dict[tuple[str, str], tuple[Verdict, tuple[str, ...]]]:
    result = evaluate_policy(services, policy, at, full=full)
    return {(v.kind.value, v.name): (v.verdict, tuple(str(r) for r in v.reasons))
            for v in result.verdicts}


def test_every_subject_gets_a_verdict_with_the_evidence_behind_it(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    found = verdicts(services, policy, NOW)
    hokuriku = found[("organisation", "Hokuriku Controls")]
    assert hokuriku[0] is Verdict.AT_RISK  # ★4 met, but its supplier's evidence is stale
    assert any("★4 by star-attestation evidence" in r for r in hokuriku[1])
    assert "supplier Setouchi Sensors is at_risk" in hokuriku[1]
    assert found[("organisation", "Setouchi Sensors")][0] is Verdict.AT_RISK
    minato = found[("organisation", "Minato Building Systems")]
    assert minato[0] is Verdict.UNTRUSTED and "below the ★4 required" in minato[1][0]
    assert found[("organisation", "Kanto Motors")][0] is Verdict.UNTRUSTED  # its suppliers
    assert found[("release", "HC-Gateway 3.4.0")][0] is Verdict.AT_RISK  # its supplier's
    assert "no signed release held (a signed SBOM is required)" in (
        found[("release", "HC-Gateway 3.4.0")][1])
    line2 = found[("device", "gw-line2")]
    assert line2[0] is Verdict.UNTRUSTED and any("MODIFIED" in r for r in line2[1])
    assert found[("device", "bac-floor3")][0] is Verdict.UNTRUSTED  # no device rule: release
    assert found[("system", "Mikawa Assembly Plant")][0] is Verdict.UNTRUSTED
    assert found[("zone", "Mikawa Assembly Plant/maintenance-dmz")][0] is Verdict.UNKNOWN
    kinds = {kind for kind, _ in found}
    assert kinds == {"organisation", "product", "release", "device", "system", "zone"}


def test_incremental_evaluation_equals_a_full_one(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, org_key = chain
    verdicts(services, policy, NOW)
    keep(services, StarDeclaration("Setouchi Sensors", validity(5), 3), org_key)
    attest(services, "gw-line2", "GENUINE", NOW)
    later = NOW + timedelta(hours=30)  # gw-line1's attestation ages out
    incremental = evaluate_policy(services, policy, later)
    assert incremental.incremental and 0 < incremental.computed < len(incremental.verdicts)
    after = {(v.kind.value, v.name): (v.verdict, tuple(map(str, v.reasons)))
             for v in incremental.verdicts}
    assert after == verdicts(services, policy, later, full=True)
    assert after[("organisation", "Setouchi Sensors")][0] is Verdict.TRUSTED
    assert after[("device", "gw-line1")][0] is not Verdict.TRUSTED  # stale now


def stored_devices(services: Services) -> dict[int, tuple[Verdict, datetime | None]]:
    with services.store.transaction() as session:
        return {k: (v.verdict, v.valid_until)
                for k, v in trustverdicts.stored_device_verdicts(session).items()}


def test_stored_device_verdicts_after_an_incremental_run_equal_a_full_one(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    evaluate_policy(services, policy, NOW)
    attest(services, "gw-line2", "GENUINE", NOW)
    later = NOW + timedelta(hours=30)  # gw-line1's attestation ages out
    counted = evaluate_policy(services, policy, later, listed=False).counts
    incremental = stored_devices(services)
    assert counted == evaluate_policy(services, policy, later, full=True, listed=False).counts
    assert incremental == stored_devices(services)
    assert {v for v, _ in incremental.values()} >= {Verdict.UNTRUSTED, Verdict.AT_RISK}


def test_devices_shown_have_the_verdicts_stored(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    shown = evaluate_policy(services, policy, NOW, kinds=[SubjectKind.DEVICE]).verdicts
    assert {v.kind for v in shown} == {SubjectKind.DEVICE}
    assert {v.key: (v.verdict, v.valid_until) for v in shown} == stored_devices(services)
    line1 = next(v for v in shown if v.name == "gw-line1")
    assert [r.code for r in line1.reasons][1] == "trust_device_attestation_fresh"


def test_nothing_is_computed_again_when_nothing_changed(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    evaluate_policy(services, policy, NOW)
    again = evaluate_policy(services, policy, NOW + timedelta(minutes=1))
    assert again.incremental and again.computed == 0


def test_cyclic_supply_relations_are_refused(chain) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    with services.store.transaction() as session:
        ids = dict(session.execute(select(OrganizationRow.name, OrganizationRow.id)).all())
        session.add(SupplierRelationRow(supplier_id=ids["Kanto Motors"],
                                        customer_id=ids["Setouchi Sensors"], tier=3))
    with pytest.raises(InputError, match=r"cycle: .*Kanto Motors"):
        evaluate_policy(services, policy, NOW)


def test_what_if_names_whose_verdict_would_change(chain, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services, policy, _ = chain
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text(POLICY.replace("star: 4", "star: 3"))
    changes = {(c.kind.value, c.name): (c.before, c.after)
               for c in what_if(services, policy, lenient, NOW)}
    assert changes[("organisation", "Minato Building Systems")] == (
        Verdict.UNTRUSTED, Verdict.TRUSTED)
    assert ("organisation", "Setouchi Sensors") not in changes


def test_verdicts_combine_worst_first_with_unknown_above_at_risk() -> None:
    assert worst(Verdict.TRUSTED, Verdict.UNKNOWN) is Verdict.UNKNOWN
    assert worst(Verdict.UNKNOWN, Verdict.AT_RISK) is Verdict.AT_RISK
    assert worst(Verdict.AT_RISK, Verdict.UNTRUSTED, Verdict.TRUSTED) is Verdict.UNTRUSTED
    assert worst(Verdict.TRUSTED) is Verdict.TRUSTED
