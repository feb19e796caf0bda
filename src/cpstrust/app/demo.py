"""The bundled sample: a made-up car maker, its suppliers, their SBOMs, an advisory
snapshot taken from real OSV records, a signed firmware release, and the suppliers'
assessments and signed evidence with a trust policy (``app.demo_trust``)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from cpstrust.app.advisories import AdvisoryImport, import_advisory_paths
from cpstrust.app.demo_trust import TrustDemoSeed, seed_trust_demo, tampered_copy
from cpstrust.app.services import Services
from cpstrust.app.supplychain import ChainLoad, load_supply_chain_file
from cpstrust.crypto import algorithm_of, keyid_of, read_public_key
from cpstrust.formats.dsse import read_envelope
from cpstrust.model.authenticity import ImageAppraisal
from cpstrust.model.evidence import VerifiedRelease
from cpstrust.model.trust import Refused, Role, TrustedKey, TrustStore
from cpstrust.trust.authenticity import appraise_image, reference_from_subjects
from cpstrust.trust.image import measure_image
from cpstrust.trust.release import verify_release

FOCUS = "CVE-2021-3121"  # gogo/protobuf: reaches a tier-2 supplier's firmware
_PRODUCT = "SS-SensorHub"


@dataclass(frozen=True, slots=True)
class DemoLoad:
    advisories: AdvisoryImport
    chain: ChainLoad
    trust: TrustDemoSeed


@dataclass(frozen=True, slots=True)
class TrustDemo:
    """The bundled firmware's signed release, checked against its vendor's key, and the
    firmware and a tampered copy of it checked against the signed subjects."""

    keyid: str
    release: VerifiedRelease
    genuine: ImageAppraisal
    tampered: ImageAppraisal


def demo_dir() -> Path:
    return Path(str(resources.files("cpstrust") / "demo"))


def demo_policy() -> Path:
    """The demo buyer's trust policy."""
    return demo_dir() / "trust-policy.yaml"


def load_demo(services: Services, at: datetime) -> DemoLoad:
    """Import the advisory snapshot and the supply chain into the store, then the trust
    facts (on the first run only); running it again changes nothing."""
    base = demo_dir()
    advisories = import_advisory_paths(services, [base / "advisories"], kind="directory")
    chain = load_supply_chain_file(services, base / "supply-chain.yaml")
    with tempfile.TemporaryDirectory(prefix="cpstrust-demo-") as scratch:
        tampered = tampered_copy(base / "firmware" / "ss-sensorhub-1.8.0", Path(scratch))
        trust = seed_trust_demo(services, base, tampered, at)
    return DemoLoad(advisories, chain, trust)


def chain_of_trust_demo() -> TrustDemo:
    """The release is verified against a trust store held in memory with only its
    vendor's key; the tampered copy lives in a temporary directory."""
    base = demo_dir()
    pem = (base / "release" / "setouchi-release.pem").read_text("ascii")
    public = read_public_key(pem)
    vendor = TrustedKey(keyid=keyid_of(public), algorithm=algorithm_of(public),
                        public_key_pem=pem, roles=frozenset({Role.RELEASE_SIGNER}),
                        scopes=frozenset({_PRODUCT}))
    path = base / "release" / "ss-sensorhub-1.8.0.release.json"
    at = datetime.now(UTC)
    release = verify_release(read_envelope(path.read_bytes(), str(path)),
                             TrustStore(1, at, (vendor,)), at=at, product=_PRODUCT)
    if isinstance(release, Refused):  # the bundled release is signed: this is a bug
        raise AssertionError(f"the bundled release is refused: {release.detail}")
    reference = reference_from_subjects(release.subject_digests)
    tree = base / "firmware" / "ss-sensorhub-1.8.0"
    genuine = appraise_image(measure_image(tree), reference)
    with tempfile.TemporaryDirectory(prefix="cpstrust-demo-") as scratch:
        tampered = tampered_copy(tree, Path(scratch))
        tampered_appraisal = appraise_image(measure_image(tampered), reference)
    return TrustDemo(vendor.keyid, release, genuine, tampered_appraisal)
