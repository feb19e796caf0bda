"""A service with four tenants: suppliers A and B, buyers X and Y. A supplies
``a-hub`` (granted to X) and ``a-gw`` (granted to nobody); B supplies ``b-gw``. Every
tenant holds one key per role; the demo advisories give the SBOMs findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.identity import authenticate, create_api_key, create_user, grant_products
from cpstrust.app.services import Services
from cpstrust.app.tenancy import upload_sbom
from cpstrust.model.identity import Role

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
HUB_SBOM = DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"
GATEWAY_SBOM = DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"
TENANTS = ("A", "B", "X", "Y")


@dataclass(frozen=True, slots=True)
class Tenants:
    services: Services
    keys: dict[tuple[str, Role], str]  # (organisation, role) -> the key a client sends

    def auth(self, org: str, role: Role = Role.ANALYST) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[(org, role)]}"}


def populate(services: Services) -> Tenants:
    at = datetime.now(UTC)
    import_advisory_paths(services, [DEMO / "advisories"])
    keys = {}
    for org in TENANTS:
        create_user(services, f"admin-{org}", org, Role.ADMIN, "correct horse battery", at)
        for role in Role:
            keys[(org, role)] = create_api_key(services, at=at, organisation=org,
                                               role=role).secret
    for org, product, sbom in (("A", "a-hub", HUB_SBOM), ("A", "a-gw", GATEWAY_SBOM),
                               ("B", "b-gw", GATEWAY_SBOM)):
        caller = authenticate(services, keys[(org, Role.UPLOADER)], at)
        upload_sbom(services, caller, sbom, source_name=sbom.name, product_name=product,
                    version="1.0", at=at)
    grant_products(services, supplier="A", to="X", product="a-hub", at=at)
    return Tenants(services, keys)
