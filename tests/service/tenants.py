"""A service with five tenants: suppliers A and B, buyers X and Y, and Z, which shares
nothing with anyone. A supplies ``a-hub`` (granted to X) and ``a-gw`` (granted to
nobody); B supplies ``b-gw``. X and Y operate a site each, with zones and devices
(``tenant-chain.yaml``); X's ``x-hub-1`` has been appraised once. Every tenant holds one
key per role, A, B, X and Y an administrator each; the demo advisories give the SBOMs
findings. The server's operator (ADR 0029) is ``admin-O`` of its own organisation O, which
shares nothing with the tenants: it alone imports advisories, with its operator key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.identity import authenticate, create_api_key, create_user, grant_products
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.app.tenancy import upload_sbom
from cpstrust.messages import message
from cpstrust.model.attestation import AttestationResult, AttestationVerdict
from cpstrust.model.identity import Role
from cpstrust.store.attestation import device_named, record_attestation

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
HUB_SBOM = DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"
GATEWAY_SBOM = DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"
TENANTS = ("A", "B", "X", "Y", "Z")
USERS = ("A", "B", "X", "Y")  # each has an administrator "admin-<org>" who logs in to the web UI
OPERATOR = "O"  # the server operator's organisation; its administrator admin-O is the operator
CHAIN = Path(__file__).resolve().parent / "tenant-chain.yaml"


@dataclass(frozen=True, slots=True)
class Tenants:
    services: Services
    keys: dict[tuple[str, Role], str]  # (organisation, role) -> the key a client sends
    operator_key: str  # admin-O's key that carries its operator power

    def auth(self, org: str, role: Role = Role.ANALYST) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[(org, role)]}"}

    def operator_auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.operator_key}"}


def populate(services: Services) -> Tenants:
    at = datetime.now(UTC)
    import_advisory_paths(services, [DEMO / "advisories"])
    load_supply_chain_file(services, CHAIN)  # the organisations, their sites and devices
    for org in USERS:  # argon2 takes most of a second a user: only those the web tests use
        create_user(services, f"admin-{org}", org, Role.ADMIN, "correct horse battery", at)
    create_user(services, f"admin-{OPERATOR}", OPERATOR, Role.ADMIN, "correct horse battery", at,
                operator=True)
    operator_key = create_api_key(services, at=at, user=f"admin-{OPERATOR}", operator=True).secret
    keys = {}
    for org in TENANTS:
        for role in Role:
            keys[(org, role)] = create_api_key(services, at=at, organisation=org,
                                               role=role).secret
    for org, product, sbom in (("A", "a-hub", HUB_SBOM), ("A", "a-gw", GATEWAY_SBOM),
                               ("B", "b-gw", GATEWAY_SBOM)):
        caller = authenticate(services, keys[(org, Role.UPLOADER)], at)
        upload_sbom(services, caller, sbom, source_name=sbom.name, product_name=product,
                    version="1.0", at=at)
    grant_products(services, supplier="A", to="X", product="a-hub", at=at)
    _appraise(services, "x-hub-1", at)
    return Tenants(services, keys, operator_key)


def _appraise(services: Services, device: str, at: datetime) -> None:
    """One appraisal of ``device`` on record, as the verifier keeps it."""
    result = AttestationResult(AttestationVerdict.UNKNOWN_RELEASE,
                               (message("app_reference_no_device"),), device=device)
    with services.store.transaction() as session:
        record_attestation(session, device_named(session, device).id, result, envelope=b"",
                           quote=None, at=at)
