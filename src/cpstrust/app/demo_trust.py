"""The bundled sample's trust part: the suppliers' assessments and signed evidence, the
sensor hub's signed release and two sensor hubs attested, so that `trust report` with the
demo's policy shows every verdict with its reasons.

Everything is signed now, with keys made now and held only in memory (``MemorySigner``):
no private key is shipped, and none is left to sign with afterwards. Their public keys go
into the store's trust store, each scoped to the demo organisation, product or device it
speaks for and marked ``cpstrust demo`` in its comment. Times are relative to now, so the
demo tells the same story whenever it runs. It runs once per store: when the trust store
holds a demo key already, nothing is added (the verdicts then age as real ones do).

What the buyer, Kanto Motors, holds:
- Setouchi Sensors (tier 2): the ★3 questionnaire answered in full, its signed assessment
  result and a ★3 self-declaration.
- Hokuriku Controls (tier 1): a ★4 attestation signed by an assessor's key.
- Minato Building Systems (tier 1): half of the ★3 questionnaire answered; a ★3
  self-declaration received 13 months ago, now expired; a ★4 attestation signed by a key
  the buyer had listed as an assessor's, since found to be Minato's own and listed again
  as Minato's organisation key: the claim now has the wrong signer role.
- Kanto Motors itself: part of the ★3 questionnaire answered, for the risk register of
  its sites (what is met lowers the risks, the rest is the plan).
- SS-SensorHub 1.8.0: its release signed by Setouchi (the shipped envelope and public key)
  with its SBOM; hub-press1 attested GENUINE; hub-weld2 attested running a tampered copy.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from cpstrust.app import devices, releases, truststore
from cpstrust.app.assessment_report import result_statement
from cpstrust.app.assessments import import_answers
from cpstrust.app.orgevidence import import_bundle
from cpstrust.app.services import Services
from cpstrust.formats.attestation import write_report
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.evidence_bundle import EvidenceBundle, write_bundle
from cpstrust.formats.intoto import write_statement
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Envelope
from cpstrust.model.orgevidence import (
    StarAttestation,
    StarDeclaration,
    Validity,
)
from cpstrust.model.trust import Refused, Role, TrustedKey
from cpstrust.trust.agent import measure_report
from cpstrust.trust.memorykeys import MemorySigner
from cpstrust.trust.orgevidence import sign_evidence
from cpstrust.trust.verify import sign_envelope

DEMO_KEY = "cpstrust demo"  # the comment of every key the demo trusts starts so
SETOUCHI, HOKURIKU, MINATO = "Setouchi Sensors", "Hokuriku Controls", "Minato Building Systems"
BUYER = "Kanto Motors"  # runs the sites; its own answers feed the risk register
ASSESSOR = "Chubu Cyber Assessment"  # a made-up third-party assessor
STAR3 = "cpsf-star3"
HUB = "SS-SensorHub"
YEAR = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class TrustDemoSeed:
    """What the demo added: nothing (``seeded`` False) when the store had it already."""

    seeded: bool
    keys: int = 0
    evidence: int = 0
    attestations: int = 0


def seed_trust_demo(services: Services, base: Path, tampered: Path, at: datetime,
                    ) -> TrustDemoSeed:
    """Add the demo's trust facts (see the module's docstring) to the store; ``base`` is
    the bundled sample's directory, ``tampered`` a tampered copy of its firmware."""
    if any((k.comment or "").startswith(DEMO_KEY) for k in truststore.current(services).keys):
        return TrustDemoSeed(seeded=False)
    at = at.replace(microsecond=0)
    for organisation, answers in ((SETOUCHI, "setouchi-star3.yaml"),
                                  (MINATO, "minato-star3.yaml"), (BUYER, "kanto-star3.yaml")):
        import_answers(services, organisation, STAR3, base / "assessments" / answers, at)
    keys = _Keys(services, at)
    evidence = _organisation_evidence(services, keys, at)
    releases_kept = _signed_release(services, keys, base, at)
    attested = sum(_attest(services, keys, device, tree, at)
                   for device, tree in (("hub-press1", base / "firmware" / "ss-sensorhub-1.8.0"),
                                        ("hub-weld2", tampered)))
    return TrustDemoSeed(True, keys.trusted, evidence + releases_kept, attested)


class _Keys:
    """Keys made now, each trusted in the store's trust store as it is made."""

    def __init__(self, services: Services, at: datetime) -> None:
        self._services, self._at = services, at
        self.trusted = 0

    def make(self, name: str, role: Role, scopes: Sequence[str]) -> MemorySigner:
        signer = MemorySigner(name, self._at)
        record = signer.record
        self.trust(TrustedKey(record.keyid, record.algorithm, record.public_key_pem,
                              frozenset()), name, role, scopes)
        return signer

    def trust(self, key: TrustedKey, name: str, role: Role, scopes: Sequence[str]) -> None:
        truststore.trust_key(self._services, replace(
            key, roles=frozenset({role}), scopes=frozenset(scopes),
            comment=f"{DEMO_KEY}: {name}"), self._at)
        self.trusted += 1


def _organisation_evidence(services: Services, keys: _Keys, at: datetime) -> int:
    setouchi = keys.make("setouchi-org", Role.ORGANISATION, [SETOUCHI])
    minato = keys.make("minato-org", Role.ORGANISATION, [MINATO])
    assessor = keys.make("chubu-assessor", Role.ASSESSOR, [SETOUCHI, HOKURIKU, MINATO])
    minato_qa = keys.make("minato-qa (listed as an assessor's)", Role.ASSESSOR, [MINATO])
    _, statement = result_statement(services, SETOUCHI, at=at, profile=STAR3)
    assessed = sign_envelope(INTOTO_PAYLOAD_TYPE, write_statement(statement), [setouchi])
    kept = _import(services, at, [
        assessed,
        sign_evidence(StarDeclaration(SETOUCHI, Validity(at, at + YEAR), 3), [setouchi]),
        sign_evidence(StarAttestation(HOKURIKU, Validity(at - timedelta(days=30),
                                                         at + YEAR - timedelta(days=30)),
                                      4, ASSESSOR, at - timedelta(days=32)), [assessor]),
        sign_evidence(StarAttestation(MINATO, Validity(at - timedelta(days=20),
                                                       at + YEAR - timedelta(days=20)),
                                      4, "Minato QA", at - timedelta(days=21)), [minato_qa]),
    ])
    received = at - timedelta(days=399)  # a year and a month ago, valid then
    kept += _import(services, received, [sign_evidence(
        StarDeclaration(MINATO, Validity(at - timedelta(days=400), at - timedelta(days=35)), 3),
        [minato])])
    # The buyer learns the "assessor" key is Minato's own and lists it as such.
    record = minato_qa.record
    keys.trust(TrustedKey(record.keyid, record.algorithm, record.public_key_pem, frozenset()),
               "minato-qa (Minato's own key)", Role.ORGANISATION, [MINATO])
    return kept


def _import(services: Services, at: datetime, envelopes: Sequence[Envelope]) -> int:
    """Receive ``envelopes`` as a supplier's bundle, at ``at``."""
    bundle = write_bundle(EvidenceBundle(exported_at=at, envelopes=tuple(envelopes)))
    with tempfile.TemporaryDirectory(prefix="cpstrust-demo-") as scratch:
        path = Path(scratch) / "demo.bundle.json"
        path.write_bytes(bundle)
        imported = import_bundle(services, path, at)
    if imported.check.refused:  # signed just now for keys trusted just now: a bug
        raise AssertionError("the demo's evidence is refused")
    return len(imported.stored)


def _signed_release(services: Services, keys: _Keys, base: Path, at: datetime) -> int:
    """Setouchi's signed release of the sensor hub, with its SBOM, checked and kept."""
    key = truststore.key_from_pem_file(base / "release" / "setouchi-release.pem", frozenset())
    keys.trust(key, "setouchi-release", Role.RELEASE_SIGNER, [HUB])
    kept = releases.import_signed(services, base / "release" / "ss-sensorhub-1.8.0.release.json",
                                  sbom_path=base / "sboms" / "ss-sensorhub-1.8.0.spdx.json",
                                  at=at)
    if isinstance(kept, Refused):  # the bundled release is signed: this is a bug
        raise AssertionError(f"the bundled release is refused: {kept.detail}")
    return 1


def _attest(services: Services, keys: _Keys, device: str, tree: Path, at: datetime) -> int:
    """``device`` measures ``tree`` as its software and answers a fresh challenge."""
    identity = keys.make(f"{device} identity", Role.DEVICE_IDENTITY, [device])
    challenge = devices.issue_challenge(services, device, timedelta(minutes=5))
    report = measure_report(tree, device, challenge.nonce, devices.release_claim(HUB, "1.8.0"))
    envelope = sign_envelope(INTOTO_PAYLOAD_TYPE, write_report(report), [identity])
    devices.appraise(services, nonce=challenge.nonce, envelope=write_envelope(envelope),
                     quote=None, at=at)
    return 1


def tampered_copy(tree: Path, scratch: Path) -> Path:
    """A copy of the firmware at ``tree`` with an implant appended to a signed binary and
    an undeclared binary added."""
    tampered = scratch / "tampered"
    shutil.copytree(tree, tampered)
    with (tampered / "bin" / "uplink").open("ab") as binary:
        binary.write(b"implant: forwards sensor data to 203.0.113.7\n")
    (tampered / "bin" / ".cache").mkdir()
    (tampered / "bin" / ".cache" / "miner").write_bytes(b"\x7fELF undeclared binary\n")
    return tampered
