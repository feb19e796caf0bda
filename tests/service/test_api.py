"""The REST API over the tenant use cases: authentication, roles, tenant isolation,
problem documents, pages, entity tags, the audit trail and uploads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from tenants import GATEWAY_SBOM, Tenants

from cpstrust.app.identity import create_api_key, list_api_keys, revoke_api_key
from cpstrust.errors import InputError
from cpstrust.formats.sbom import read_sbom
from cpstrust.model.identity import Role

API = "/api/v1"


def _problem(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:cpstrust:problem:{code}" and body["title"] and body["detail"]


def _products(client: TestClient, tenants: Tenants, org: str) -> set[str]:
    response = client.get(f"{API}/products", headers=tenants.auth(org))
    assert response.status_code == 200
    return {p["name"] for p in response.json()["items"]}


def test_a_request_without_a_key_is_refused_with_a_problem(client: TestClient) -> None:
    response = client.get(f"{API}/products")
    _problem(response, 401, "identity_no_credentials")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("key", ["cpst_0000000000000000_forged", "not-a-key", "cpst__"])
def test_a_forged_or_malformed_key_is_refused(client: TestClient, key: str) -> None:
    _problem(client.get(f"{API}/products", headers={"Authorization": f"Bearer {key}"}),
             401, "identity_key_invalid")


def test_a_known_key_id_with_a_wrong_secret_is_refused(client: TestClient,
                                                       tenants: Tenants) -> None:
    prefix, key_id, _secret = tenants.keys[("A", Role.ANALYST)].split("_", 2)
    forged = f"{prefix}_{key_id}_{'x' * 43}"
    _problem(client.get(f"{API}/products", headers={"Authorization": f"Bearer {forged}"}),
             401, "identity_key_invalid")


def test_an_expired_key_is_refused(client: TestClient, tenants: Tenants) -> None:
    created = create_api_key(tenants.services, at=datetime.now(UTC) - timedelta(days=2),
                             organisation="A", role=Role.ANALYST, expires_in=timedelta(days=1))
    response = client.get(f"{API}/products", headers={"Authorization": f"Bearer {created.secret}"})
    _problem(response, 401, "identity_key_expired")


def test_a_revoked_key_is_refused_and_its_last_use_was_recorded(client: TestClient,
                                                                 tenants: Tenants) -> None:
    key = tenants.keys[("B", Role.AUDITOR)]
    assert client.get(f"{API}/products", headers=tenants.auth("B", Role.AUDITOR)).status_code == 200
    key_id = key.split("_")[1]
    listed = {k.key_id: k for k in list_api_keys(tenants.services, "B")}
    assert listed[key_id].last_used_at is not None
    assert listed[key_id].revoked_at is None
    revoke_api_key(tenants.services, key_id, datetime.now(UTC))
    _problem(client.get(f"{API}/products", headers=tenants.auth("B", Role.AUDITOR)),
             401, "identity_key_revoked")


def test_keys_are_kept_as_digests_never_in_clear(tenants: Tenants) -> None:
    from sqlalchemy import select

    from cpstrust.store.tables import ApiKeyRow

    with tenants.services.store.transaction() as session:
        rows = session.scalars(select(ApiKeyRow))
        stored = " ".join(f"{r.key_id} {r.secret_sha256}" for r in rows)
    for key in tenants.keys.values():
        assert key.split("_", 2)[2] not in stored


def test_a_supplier_sees_only_its_own_products(client: TestClient, tenants: Tenants) -> None:
    assert _products(client, tenants, "A") == {"a-hub", "a-gw"}
    assert _products(client, tenants, "B") == {"b-gw"}


def test_a_buyer_sees_only_the_product_granted_to_it(client: TestClient,
                                                      tenants: Tenants) -> None:
    assert _products(client, tenants, "X") == {"a-hub"}
    assert _products(client, tenants, "Y") == set()
    findings = client.get(f"{API}/findings?limit=500", headers=tenants.auth("X")).json()
    assert findings["items"] and {f["product"] for f in findings["items"]} == {"a-hub"}
    assert client.get(f"{API}/findings", headers=tenants.auth("Y")).json()["items"] == []


def test_another_tenants_things_are_not_found_not_forbidden(client: TestClient,
                                                            tenants: Tenants) -> None:
    _problem(client.get(f"{API}/products/b-gw", headers=tenants.auth("A")), 404,
             "tenancy_no_product")
    _problem(client.get(f"{API}/products/a-gw/releases", headers=tenants.auth("X")), 404,
             "tenancy_no_product")
    b_finding = client.get(f"{API}/findings", headers=tenants.auth("B")).json()["items"][0]
    for org in ("A", "X", "Y"):
        response = client.get(f"{API}/findings/{b_finding['id']}/audit", headers=tenants.auth(org))
        _problem(response, 404, "app_no_finding")
        assert "b-gw" not in response.text


def test_organisations_are_ones_own_and_those_that_granted(client: TestClient,
                                                          tenants: Tenants) -> None:
    def seen(org: str) -> dict[str, str]:
        items = client.get(f"{API}/organisations", headers=tenants.auth(org)).json()["items"]
        return {o["name"]: o["access"] for o in items}

    assert seen("X") == {"X": "own", "A": "granted"}
    assert seen("A") == {"A": "own"}
    assert seen("Y") == {"Y": "own"}


def test_an_uploader_may_only_upload(client: TestClient, tenants: Tenants) -> None:
    auth = tenants.auth("B", Role.UPLOADER)
    _problem(client.get(f"{API}/products", headers=auth), 403, "tenancy_role_forbids")
    response = client.post(f"{API}/sboms?product=b-gw&version=2.0", headers=auth,
                           content=GATEWAY_SBOM.read_bytes())
    assert response.status_code == 201
    assert response.json()["components"] > 0 and len(response.json()["sha256"]) == 64


def test_an_auditor_reads_but_neither_uploads_nor_decides(client: TestClient,
                                                          tenants: Tenants) -> None:
    auth = tenants.auth("A", Role.AUDITOR)
    finding = client.get(f"{API}/findings", headers=auth).json()["items"][0]
    _problem(client.post(f"{API}/sboms?product=a-gw&version=2.0", headers=auth,
                         content=GATEWAY_SBOM.read_bytes()), 403, "tenancy_role_forbids")
    _problem(client.patch(f"{API}/findings/{finding['id']}", headers=auth,
                          json={"status": "accepted"}), 403, "tenancy_role_forbids")


def test_a_status_change_is_recorded_in_the_audit_trail(client: TestClient,
                                                        tenants: Tenants) -> None:
    auth = tenants.auth("A")
    finding = client.get(f"{API}/findings?product=a-hub", headers=auth).json()["items"][0]
    changed = client.patch(f"{API}/findings/{finding['id']}", headers=auth,
                           json={"status": "accepted", "note": "mitigated by the firewall"})
    assert changed.status_code == 200 and changed.json()["status"] == "accepted"
    client.patch(f"{API}/findings/{finding['id']}", headers=auth, json={"status": "open"})
    trail = client.get(f"{API}/findings/{finding['id']}/audit", headers=auth).json()["items"]
    key_id = tenants.keys[("A", Role.ANALYST)].split("_")[1]
    assert [(e["old_status"], e["new_status"], e["note"], e["actor"]) for e in trail] == [
        ("open", "accepted", "mitigated by the firewall", f"key:{key_id}"),
        ("accepted", "open", None, f"key:{key_id}")]
    assert all(e["at"] for e in trail)
    # The buyer it is granted to reads the trail, and may not decide.
    assert client.get(f"{API}/findings/{finding['id']}/audit",
                      headers=tenants.auth("X")).json()["items"] == trail
    _problem(client.patch(f"{API}/findings/{finding['id']}", headers=tenants.auth("X"),
                          json={"status": "fixed"}), 403, "tenancy_decision_is_suppliers")


@pytest.mark.parametrize(("body", "code"), [
    (b'{"status": "accepted", "status": "open"}', "json_duplicate_key"),
    (b'{"status": "closed"}', "service_status_unknown"),
    (b'{"status": "open", "who": "me"}', "service_status_change_shape"),
    (b"[1]", "service_status_change_shape"),
])
def test_a_malformed_status_change_is_refused_and_changes_nothing(
        client: TestClient, tenants: Tenants, body: bytes, code: str) -> None:
    auth = tenants.auth("A")
    finding = client.get(f"{API}/findings", headers=auth).json()["items"][0]
    response = client.patch(f"{API}/findings/{finding['id']}", headers=auth, content=body)
    assert response.status_code == 400 and response.json()["code"] == code
    trail = client.get(f"{API}/findings/{finding['id']}/audit", headers=auth).json()["items"]
    assert trail == []


def test_pages_follow_each_other_without_gaps_or_repeats(client: TestClient,
                                                         tenants: Tenants) -> None:
    auth = tenants.auth("A")
    whole = client.get(f"{API}/findings?limit=500", headers=auth).json()["items"]
    assert len(whole) > 5
    seen: list[int] = []
    cursor = None
    while True:
        query = f"{API}/findings?limit=4" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(query, headers=auth).json()
        seen += [f["id"] for f in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f["id"] for f in whole]
    severities = [f["severity"] for f in whole]
    order = ["critical", "high", "medium", "low", "unknown"]
    assert severities == sorted(severities, key=order.index)


def test_a_page_stays_the_same_when_rows_are_added_before_it(client: TestClient,
                                                             tenants: Tenants) -> None:
    auth = tenants.auth("A")
    first = client.get(f"{API}/products?limit=1", headers=auth).json()
    second = client.get(f"{API}/products?limit=1&cursor={first['next_cursor']}",
                        headers=auth).json()
    client.post(f"{API}/sboms?product=a-aaa&version=1", headers=auth,
                content=GATEWAY_SBOM.read_bytes())  # sorts before both
    again = client.get(f"{API}/products?limit=1&cursor={first['next_cursor']}",
                       headers=auth).json()
    assert again["items"] == second["items"]


def test_a_cursor_of_another_sort_or_forged_is_refused(client: TestClient,
                                                       tenants: Tenants) -> None:
    auth = tenants.auth("A")
    cursor = client.get(f"{API}/products?limit=1", headers=auth).json()["next_cursor"]
    _problem(client.get(f"{API}/products?sort=-name&cursor={cursor}", headers=auth), 400,
             "service_cursor_invalid")
    _problem(client.get(f"{API}/findings?cursor={cursor}", headers=auth), 400,
             "service_cursor_invalid")
    _problem(client.get(f"{API}/products?cursor=%27%20OR%201=1--", headers=auth), 400,
             "service_cursor_invalid")


def test_an_unchanged_listing_answers_304_to_its_etag(client: TestClient,
                                                      tenants: Tenants) -> None:
    auth = tenants.auth("A")
    first = client.get(f"{API}/products", headers=auth)
    tag = first.headers["etag"]
    again = client.get(f"{API}/products", headers={**auth, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    client.post(f"{API}/sboms?product=a-new&version=1", headers=auth,
                content=GATEWAY_SBOM.read_bytes())
    changed = client.get(f"{API}/products", headers={**auth, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_an_upload_as_multipart_is_stored_under_the_callers_organisation(
        client: TestClient, tenants: Tenants) -> None:
    response = client.post(f"{API}/sboms?product=y-box&version=1",
                           headers=tenants.auth("Y"),
                           files={"file": ("../../etc/box.cdx.json", GATEWAY_SBOM.read_bytes())})
    assert response.status_code == 201
    assert _products(client, tenants, "Y") == {"y-box"}
    assert "y-box" not in _products(client, tenants, "A")


def test_an_upload_to_a_product_another_organisation_holds_is_refused(
        client: TestClient, tenants: Tenants) -> None:
    _problem(client.post(f"{API}/sboms?product=b-gw&version=9", headers=tenants.auth("A"),
                         content=GATEWAY_SBOM.read_bytes()), 409, "tenancy_product_name_taken")
    releases = client.get(f"{API}/products/b-gw/releases", headers=tenants.auth("B")).json()
    assert [r["version"] for r in releases["items"]] == ["1.0"]


def test_an_empty_upload_is_refused(client: TestClient, tenants: Tenants) -> None:
    _problem(client.post(f"{API}/sboms?product=a-bad&version=1", headers=tenants.auth("A"),
                         content=b""), 400, "service_body_empty")


@pytest.mark.parametrize("body", [
    b'{"bomFormat": "CycloneDX", "bomFormat": "x"}',
    GATEWAY_SBOM.read_bytes()[:300],
    b"not an sbom at all",
    b"<bom xmlns='http://cyclonedx.org/schema/bom/1.5'><!DOCTYPE x [<!ENTITY a 'b'>]></bom>",
])
def test_a_bad_upload_is_refused_as_the_cli_refuses_it_naming_no_server_path(
        client: TestClient, tenants: Tenants, body: bytes) -> None:
    with pytest.raises(InputError) as cli_refusal:
        read_sbom(body, source="upload")
    response = client.post(f"{API}/sboms?product=a-bad&version=1", headers=tenants.auth("A"),
                           content=body)
    _problem(response, 400, cli_refusal.value.code)
    assert "/tmp" not in response.text and "upload-" not in response.text
    assert "a-bad" not in _products(client, tenants, "A")


def test_a_scan_re_evaluates_ones_own_release_only(client: TestClient,
                                                   tenants: Tenants) -> None:
    done = client.post(f"{API}/products/a-hub/releases/1.0/scan", headers=tenants.auth("A"))
    assert done.status_code == 200 and done.json()["advisories_present"] is True
    _problem(client.post(f"{API}/products/a-hub/releases/1.0/scan", headers=tenants.auth("X")),
             403, "tenancy_scan_is_suppliers")
    _problem(client.post(f"{API}/products/b-gw/releases/1.0/scan", headers=tenants.auth("A")),
             404, "app_no_release_in_scope")


def test_problems_speak_the_callers_language(client: TestClient) -> None:
    response = client.get(f"{API}/products", headers={"Accept-Language": "ja,en;q=0.5"})
    assert "API キー" in response.json()["detail"]


def test_unknown_routes_and_bad_parameters_are_problems(client: TestClient,
                                                        tenants: Tenants) -> None:
    _problem(client.get(f"{API}/nowhere"), 404, "service_http_status")
    _problem(client.get(f"{API}/products?limit=0", headers=tenants.auth("A")), 400,
             "service_limit_out_of_range")
    _problem(client.get(f"{API}/findings?sort=worst", headers=tenants.auth("A")), 400,
             "service_request_invalid")


def test_the_openapi_document_is_3_1_and_lists_the_routes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/products", "/api/v1/findings/{finding_id}", "/api/v1/sboms",
            "/v1/attest"} <= set(document["paths"])
