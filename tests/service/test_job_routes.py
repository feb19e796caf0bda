"""The job routes: 202 with a Location to follow, progress and outcome per tenant, the
roles' limits, and problems for bad requests."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from tenants import GATEWAY_SBOM, Tenants

from cpstrust.app.job_runner import WorkerSettings
from cpstrust.app.job_workers import JobWorker
from cpstrust.model.identity import Role


def _followed(client: TestClient, location: str, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(location, headers=headers).json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"{location} not finished: {body}")


def test_a_started_job_is_followed_to_its_end_by_its_organisation_only(
        client: TestClient, tenants: Tenants) -> None:
    worker = JobWorker(tenants.services, WorkerSettings(lease=timedelta(seconds=5),
                                                        poll_seconds=0.05))
    worker.start()
    try:
        started = client.post("/api/v1/jobs/reevaluation", headers=tenants.auth("A"))
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        assert location == f"/api/v1/jobs/{started.json()['id']}"
        upload = client.post("/api/v1/jobs/sbom-upload?product=a-gw&version=2.0",
                             content=GATEWAY_SBOM.read_bytes(),
                             headers={**tenants.auth("A", Role.UPLOADER),
                                      "content-type": "application/json"})
        assert upload.status_code == 202, upload.text
        done = _followed(client, location, tenants.auth("A"))
        stored = _followed(client, upload.headers["location"],
                           tenants.auth("A", Role.UPLOADER))
    finally:
        worker.stop()
    assert (done["state"], done["stage"], done["done"], done["total"]) == (
        "done", "releases", 2, 2)
    assert stored["state"] == "done" and stored["result"]["components"] > 0
    assert client.get("/api/v1/findings?product=a-gw", headers=tenants.auth("A")).json()[
        "items"]
    listed = client.get("/api/v1/jobs?limit=1", headers=tenants.auth("A")).json()
    assert [j["id"] for j in listed["items"]] == [stored["id"]] and listed["next_cursor"]
    rest = client.get(f"/api/v1/jobs?limit=1&cursor={listed['next_cursor']}",
                      headers=tenants.auth("A")).json()
    assert [j["id"] for j in rest["items"]] == [done["id"]]
    other = client.get(location, headers=tenants.auth("B"))
    assert other.status_code == 404 and "a-hub" not in other.text
    assert other.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/jobs", headers=tenants.auth("B")).json()["items"] == []


def test_job_starts_refused_by_role_or_shape(client: TestClient, tenants: Tenants) -> None:
    auditor = client.post("/api/v1/jobs/reevaluation", headers=tenants.auth("A", Role.AUDITOR))
    assert auditor.status_code == 403
    for role in (Role.ANALYST, Role.ADMIN):
        tenant = client.post("/api/v1/jobs/advisory-update", json={"ecosystems": ["PyPI"]},
                             headers=tenants.auth("A", role))
        assert tenant.status_code == 403
        assert tenant.json()["code"] == "tenancy_operator_only"
    admin = tenants.operator_auth()
    for bad in (b"[]", b'{"ecosystems": "PyPI"}', b'{"ecosystems": []}', b"{",
                b'{"ecosystems": ["PyPI"], "url": "http://evil"}'):
        refused = client.post("/api/v1/jobs/advisory-update", content=bad,
                              headers={**admin, "content-type": "application/json"})
        assert refused.status_code == 400, bad
        assert refused.headers["content-type"] == "application/problem+json"
    japanese = client.post("/api/v1/jobs/advisory-update", content=b"[]",
                           headers={**admin, "accept-language": "ja"})
    assert "エコシステム" in japanese.json()["detail"] or "JSON" in japanese.json()["detail"]
    taken = client.post("/api/v1/jobs/sbom-upload?product=a-gw&version=9",
                        content=GATEWAY_SBOM.read_bytes(),
                        headers=tenants.auth("B", Role.UPLOADER))
    assert taken.status_code == 409
    assert client.get("/api/v1/jobs", headers=tenants.auth("B")).json()["items"] == []
    assert client.get("/api/v1/jobs/999999", headers=admin).status_code == 404
