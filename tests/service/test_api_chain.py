"""The API over a tenant's supply chain and imports: supplier relations, sites, zones,
devices with their attestation history, the impact of an advisory within what the
caller sees, the shared advisory database, and signed releases with their verdict."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import orjson
from fastapi.testclient import TestClient
from tenants import DEMO, HUB_SBOM, Tenants

from cpstrust.app import truststore
from cpstrust.app.identity import create_api_key
from cpstrust.model.identity import Role
from cpstrust.model.trust import Role as KeyRole

API = "/api/v1"
RELEASE = DEMO / "release" / "ss-sensorhub-1.8.0.release.json"
RELEASE_KEY = DEMO / "release" / "setouchi-release.pem"
RELEASED_PRODUCT = "SS-SensorHub"


def _items(client: TestClient, tenants: Tenants, org: str, path: str) -> list[dict[str, object]]:
    response = client.get(f"{API}{path}", headers=tenants.auth(org))
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def _problem_code(response: object, status: int) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    code: str = response.json()["code"]  # type: ignore[attr-defined]
    return code


def test_a_tenant_lists_only_its_own_supplier_relations(client: TestClient,
                                                       tenants: Tenants) -> None:
    def names(org: str, side: str) -> list[object]:
        return [r["organisation"] for r in
                _items(client, tenants, org, f"/supplier-relations?side={side}")]

    assert names("X", "suppliers") == ["A", "B"]
    assert names("B", "customers") == ["X", "Y"]
    assert names("A", "customers") == ["X"]
    assert names("Y", "suppliers") == ["B"]
    assert names("Z", "suppliers") == names("Z", "customers") == []
    first = client.get(f"{API}/supplier-relations?limit=1", headers=tenants.auth("X")).json()
    rest = client.get(f"{API}/supplier-relations?limit=1&cursor={first['next_cursor']}",
                      headers=tenants.auth("X")).json()
    assert [r["organisation"] for r in first["items"] + rest["items"]] == ["A", "B"]
    assert rest["next_cursor"] is None


def test_sites_zones_and_devices_are_their_operators_alone(client: TestClient,
                                                           tenants: Tenants) -> None:
    assert [(s["name"], s["zones"], s["devices"]) for s in
            _items(client, tenants, "X", "/sites")] == [("x-plant", 2, 2)]
    assert [s["name"] for s in _items(client, tenants, "Y", "/sites")] == ["y-plant"]
    assert _items(client, tenants, "A", "/sites") == []  # a supplier sees no customer's site
    assert [(z["name"], z["criticality"]) for z in
            _items(client, tenants, "X", "/sites/x-plant/zones")] == [
        ("x-line", 5), ("x-office", None)]
    assert _problem_code(client.get(f"{API}/sites/x-plant/zones", headers=tenants.auth("Y")),
                         404) == "tenancy_no_site"
    devices = _items(client, tenants, "X", "/devices")
    # X runs B's gateway without a grant from B: the device is X's, the product is not.
    assert [(d["name"], d["product"], d["version"]) for d in devices] == [
        ("x-gw-1", None, None), ("x-hub-1", "a-hub", "1.0")]
    assert [d["name"] for d in _items(client, tenants, "X", "/devices?sort=-name")] == [
        "x-hub-1", "x-gw-1"]
    assert _items(client, tenants, "X", "/devices?site=y-plant") == []
    assert [d["name"] for d in _items(client, tenants, "A", "/devices")] == []


def test_a_device_shows_its_verdict_and_attestation_history(client: TestClient,
                                                            tenants: Tenants) -> None:
    appraised = _items(client, tenants, "X", "/devices?attestation=UNKNOWN_RELEASE")
    assert [d["name"] for d in appraised] == ["x-hub-1"]
    response = client.get(f"{API}/devices/x-hub-1", headers=tenants.auth("X", Role.AUDITOR))
    assert response.status_code == 200
    device = response.json()
    assert (device["site"], device["zone"], device["product"], device["version"]) == (
        "x-plant", "x-line", "a-hub", "1.0")
    assert device["attestation"] == "UNKNOWN_RELEASE" and device["appraised_at"]
    assert [a["verdict"] for a in device["attestations"]] == ["UNKNOWN_RELEASE"]
    assert device["attestations"][0]["reasons"][0]["code"] == "app_reference_no_device"
    japanese = client.get(f"{API}/devices/x-hub-1",
                          headers={**tenants.auth("X"), "Accept-Language": "ja"}).json()
    assert japanese["attestations"][0]["reasons"][0]["text"] != (
        device["attestations"][0]["reasons"][0]["text"])
    for org in ("Y", "A", "Z"):
        assert _problem_code(client.get(f"{API}/devices/x-hub-1", headers=tenants.auth(org)),
                             404) == "tenancy_no_device"


def _vulnerability_of_hub_only(client: TestClient, tenants: Tenants) -> str:
    hub = {f["vulnerability_id"] for f in
           _items(client, tenants, "A", "/findings?product=a-hub&limit=500")}
    gateway = {f["vulnerability_id"] for f in
               _items(client, tenants, "B", "/findings?limit=500")}
    return sorted(hub - gateway)[0]


def test_impact_shows_only_what_the_caller_may_see(client: TestClient,
                                                   tenants: Tenants) -> None:
    vid = _vulnerability_of_hub_only(client, tenants)

    def impact(org: str) -> dict[str, list[object]]:
        response = client.get(f"{API}/impact/{vid}", headers=tenants.auth(org))
        assert response.status_code == 200, response.text
        body: dict[str, list[object]] = response.json()
        return body

    supplier, buyer, other = impact("A"), impact("X"), impact("Y")
    assert supplier["products"] == ["a-hub"] and supplier["devices"] == []
    assert [o["name"] for o in supplier["organizations"]] == ["A"]  # type: ignore[index]
    assert buyer["products"] == ["a-hub"]
    assert [o["name"] for o in buyer["organizations"]] == ["A", "X"]  # type: ignore[index]
    assert [d["name"] for d in buyer["devices"]] == ["x-hub-1"]  # type: ignore[index]
    assert [s["name"] for s in buyer["sites"]] == ["x-plant"]  # type: ignore[index]
    # Known to the shared advisory database, hitting nothing Y sees: an empty radius.
    assert other["vulnerability_id"] == vid  # type: ignore[comparison-overlap]
    assert all(other[k] == [] for k in ("components", "products", "organizations",
                                        "devices", "sites", "releases"))
    assert _problem_code(client.get(f"{API}/impact/NOPE-0000", headers=tenants.auth("X")),
                         404) == "store_no_vulnerability"


def test_the_advisory_status_is_read_by_readers_only(client: TestClient,
                                                     tenants: Tenants) -> None:
    status = client.get(f"{API}/advisories/status", headers=tenants.auth("Z", Role.AUDITOR))
    assert status.status_code == 200 and status.json()["advisories"] > 0
    assert _problem_code(client.get(f"{API}/advisories/status",
                                    headers=tenants.auth("Z", Role.UPLOADER)),
                         403) == "tenancy_role_forbids"


def _osv(identifier: str) -> bytes:
    return orjson.dumps({
        "schema_version": "1.6.0", "id": identifier, "modified": "2026-01-01T00:00:00Z",
        "summary": "made up for the API tests",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "nobody-uses-this"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})


def test_only_the_operator_imports_advisories_no_tenant_administrator(
        client: TestClient, tenants: Tenants) -> None:
    before = client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json()
    for org in ("A", "X", "Z"):
        for role in Role:
            response = client.post(f"{API}/advisories", headers={
                **tenants.auth(org, role), "Content-Type": "application/json"},
                content=_osv("CPST-2026-0001"))
            assert _problem_code(response, 403) == "tenancy_operator_only"
            assert "CPST-2026-0001" not in response.text
    assert client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json() == before
    done = client.post(f"{API}/advisories", headers={
        **tenants.operator_auth(), "Content-Type": "application/json"},
        content=_osv("CPST-2026-0001"))
    assert done.status_code == 201 and done.json()["added"] == 1
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("CPST-2026-0002.json", _osv("CPST-2026-0002"))
    zipped_done = client.post(f"{API}/advisories", headers={
        **tenants.operator_auth(), "Content-Type": "application/zip"},
        content=archive.getvalue())
    assert zipped_done.status_code == 201 and zipped_done.json()["added"] == 1
    after = client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json()
    assert after["advisories"] == before["advisories"] + 2
    # The source is named for the API, not for the organisation that imported.
    assert {"O", "admin-O"}.isdisjoint(s["location"] for s in after["sources"])


def test_a_key_of_the_operator_made_without_its_power_imports_nothing(
        client: TestClient, tenants: Tenants) -> None:
    plain = create_api_key(tenants.services, at=datetime.now(UTC), user="admin-O").secret
    response = client.post(f"{API}/advisories", headers={
        "Authorization": f"Bearer {plain}", "Content-Type": "application/json"},
        content=_osv("CPST-2026-0003"))
    assert _problem_code(response, 403) == "tenancy_operator_only"


def test_a_bad_advisory_upload_names_the_upload_not_the_servers_file(
        client: TestClient, tenants: Tenants) -> None:
    response = client.post(f"{API}/advisories", headers={
        **tenants.operator_auth(), "Content-Type": "application/zip"},
        content=b"PK\x03\x04 not really a zip")
    assert _problem_code(response, 400) == "app_no_advisory_read"
    assert "upload.zip" in response.json()["detail"]
    assert "/tmp" not in response.text and "upload-" not in response.text
    wrong_type = client.post(f"{API}/advisories", headers={
        **tenants.operator_auth(), "Content-Type": "text/csv"}, content=b"a,b")
    assert _problem_code(wrong_type, 415) == "service_content_type_unsupported"


def _trust_release_key(tenants: Tenants) -> None:
    key = truststore.key_from_pem_file(RELEASE_KEY, frozenset({KeyRole.RELEASE_SIGNER}))
    truststore.trust_key(tenants.services, key, datetime.now(UTC))


def _post_release(client: TestClient, tenants: Tenants, org: str,
                  sbom: Path | None = None) -> object:
    files = {"envelope": ("release.json", RELEASE.read_bytes())}
    if sbom is not None:
        files["sbom"] = (sbom.name, sbom.read_bytes())
    return client.post(f"{API}/releases", headers=tenants.auth(org, Role.UPLOADER), files=files)


def test_a_signed_release_is_kept_under_the_importers_organisation(
        client: TestClient, tenants: Tenants) -> None:
    _trust_release_key(tenants)
    response = _post_release(client, tenants, "Y", HUB_SBOM)
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["product"], body["version"], body["verdict"]) == (
        RELEASED_PRODUCT, "1.8.0", "verified")
    assert body["signers"] and body["sbom"]["components"] > 0
    assert {p["name"]: p["access"] for p in _items(client, tenants, "Y", "/products")} == {
        RELEASED_PRODUCT: "own"}
    assert RELEASED_PRODUCT not in {p["name"] for p in _items(client, tenants, "A", "/products")}


def test_a_release_with_an_untrusted_signature_is_refused_and_nothing_kept(
        client: TestClient, tenants: Tenants) -> None:
    response = client.post(f"{API}/releases", headers={
        **tenants.auth("Y", Role.UPLOADER), "Content-Type": "application/json"},
        content=RELEASE.read_bytes())
    assert _problem_code(response, 422) == "verify_untrusted_signer"
    assert _items(client, tenants, "Y", "/products") == []


def test_a_signed_release_never_takes_another_organisations_product(
        client: TestClient, tenants: Tenants) -> None:
    _trust_release_key(tenants)
    held = client.post(f"{API}/sboms?product={RELEASED_PRODUCT}&version=0.9",
                       headers=tenants.auth("B", Role.UPLOADER), content=HUB_SBOM.read_bytes())
    assert held.status_code == 201
    response = _post_release(client, tenants, "A")
    assert _problem_code(response, 409) == "tenancy_product_name_taken"
    owned = {p["name"]: p["supplier"] for p in _items(client, tenants, "B", "/products")}
    assert owned[RELEASED_PRODUCT] == "B"
    releases = _items(client, tenants, "B", f"/products/{RELEASED_PRODUCT}/releases")
    assert [r["version"] for r in releases] == ["0.9"]
