"""Every operation of the API, called from a page of the web UI in the browser (fetch,
as a script of the UI's origin would): each answers its example, errors as problem+json,
and no call of ``/api/v1`` is let in on the browser's session instead of a key.

A new route fails ``test_every_api_operation_has_a_browser_example`` until it has an
example here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from browsing import LogIn, WebServer
from playwright.sync_api import Page
from tenants import DEMO, HUB_SBOM

from cpstrust.model.identity import Role

ADVISORY = DEMO / "advisories" / "GO-2020-0001.json"

# One request from the page: the status, the media type and the body it was answered.
FETCH = """async ({method, path, key, body, type}) => {
  const headers = {};
  if (key) headers["Authorization"] = `Bearer ${key}`;
  if (type) headers["Content-Type"] = type;
  const answer = await fetch(path, {method, headers, body});
  return {status: answer.status, type: answer.headers.get("content-type"),
          body: await answer.text()};
}"""


@dataclass(frozen=True, slots=True)
class Example:
    """A call of tenant ``org`` with the key of ``role`` (None: no key), or with the
    server operator's key (``operator``), and what it answers. ``{finding}`` in the path
    stands for one of A's findings, ``{vulnerability}`` for its vulnerability, ``{job}``
    for the job an earlier example started."""

    path: str
    role: Role | None
    status: int
    body: str | None = None
    media_type: str | None = None
    remember: str | None = None  # the placeholder the answer's "id" fills in later paths
    org: str = "A"  # X and Y operate the sites and devices
    operator: bool = False  # changes what every tenant shares (ADR 0029)


EXAMPLES: dict[str, Example] = {
    "GET /openapi.json": Example("/openapi.json", None, 200),
    "GET /api/v1/organisations": Example("/api/v1/organisations", Role.AUDITOR, 200),
    "GET /api/v1/products": Example("/api/v1/products?sort=-name", Role.AUDITOR, 200),
    "GET /api/v1/products/{name}": Example("/api/v1/products/a-hub", Role.AUDITOR, 200),
    "GET /api/v1/products/{name}/releases": Example("/api/v1/products/a-hub/releases",
                                                    Role.AUDITOR, 200),
    "GET /api/v1/dashboard": Example("/api/v1/dashboard", Role.AUDITOR, 200),
    "GET /api/v1/findings": Example("/api/v1/findings?product=a-hub&limit=5", Role.AUDITOR,
                                    200),
    "PATCH /api/v1/findings/{finding_id}": Example(
        "/api/v1/findings/{finding}", Role.ANALYST, 200,
        '{"status": "accepted", "note": "decided in the browser test"}', "application/json"),
    "GET /api/v1/findings/{finding_id}/audit": Example("/api/v1/findings/{finding}/audit",
                                                       Role.AUDITOR, 200),
    "POST /api/v1/products/{name}/releases/{version}/scan": Example(
        "/api/v1/products/a-hub/releases/1.0/scan", Role.ANALYST, 200),
    "POST /api/v1/sboms": Example("/api/v1/sboms?product=a-browser&version=1.0",
                                  Role.UPLOADER, 201, HUB_SBOM.read_text(), "application/json"),
    "GET /api/v1/supplier-relations": Example("/api/v1/supplier-relations", Role.AUDITOR,
                                              200),
    "GET /api/v1/sites": Example("/api/v1/sites", Role.AUDITOR, 200, org="X"),
    "GET /api/v1/sites/{site}/zones": Example("/api/v1/sites/x-plant/zones", Role.AUDITOR,
                                              200, org="X"),
    "GET /api/v1/devices": Example("/api/v1/devices", Role.AUDITOR, 200, org="X"),
    "GET /api/v1/devices/{device}": Example("/api/v1/devices/x-hub-1", Role.AUDITOR, 200,
                                            org="X"),
    "GET /api/v1/impact/{advisory_id}": Example("/api/v1/impact/{vulnerability}",
                                                Role.AUDITOR, 200),
    "GET /api/v1/advisories/status": Example("/api/v1/advisories/status", Role.AUDITOR, 200),
    "POST /api/v1/advisories": Example("/api/v1/advisories", Role.ADMIN, 201,
                                       ADVISORY.read_text(), "application/json",
                                       operator=True),
    # A signed release needs a signing key in the trust store (tests/service/
    # test_api_uploads.py has them); here an envelope that is none is refused.
    "POST /api/v1/releases": Example("/api/v1/releases", Role.UPLOADER, 400,
                                     '{"payloadType": "x"}', "application/json"),
    # Jobs are queued here (no worker runs in the browser tests' service), then followed.
    "POST /api/v1/jobs/reevaluation": Example("/api/v1/jobs/reevaluation", Role.ANALYST,
                                              202, remember="{job}"),
    "POST /api/v1/jobs/advisory-update": Example(
        "/api/v1/jobs/advisory-update", Role.ADMIN, 202, '{"ecosystems": ["PyPI"]}',
        "application/json", operator=True),
    "POST /api/v1/jobs/sbom-upload": Example(
        "/api/v1/jobs/sbom-upload?product=a-browser-job&version=1.0", Role.UPLOADER, 202,
        HUB_SBOM.read_text(), "application/json"),
    "GET /api/v1/jobs": Example("/api/v1/jobs", Role.AUDITOR, 200),
    "GET /api/v1/jobs/{job_id}": Example("/api/v1/jobs/{job}", Role.AUDITOR, 200),
    # Devices are no tenant's users: they sign their reports and send no key. Enrolling
    # one takes a root of trust (tests/trust has them); here the verifier's refusals.
    "POST /v1/challenge": Example("/v1/challenge", None, 404, '{"device": "no-such-device"}',
                                  "application/json"),
    "POST /v1/attest": Example("/v1/attest", None, 400, '{"nonce": "none"}',
                               "application/json"),
}


def operations(web_server: WebServer) -> set[str]:
    schema: dict[str, Any] = web_server.app.openapi()
    return {f"{method.upper()} {path}" for path, item in schema["paths"].items()
            for method in item} | {"GET /openapi.json"}


def call(page: Page, method: str, path: str, key: str | None = None,
         body: str | None = None, media_type: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = page.evaluate(FETCH, {"method": method, "path": path, "key": key,
                                                   "body": body, "type": media_type})
    return answer


def test_every_api_operation_has_a_browser_example(web_server: WebServer) -> None:
    assert operations(web_server) == set(EXAMPLES)


def test_every_api_operation_answers_the_browser_its_example(
        browser_page: Page, web_server: WebServer) -> None:
    page = browser_page
    page.goto("/ui/login")
    finding = call(page, "GET", "/api/v1/findings?product=a-hub&limit=1",
                   web_server.tenants.keys[("A", Role.AUDITOR)])
    first = first_item(finding)
    ids = {"{finding}": str(first["id"]), "{vulnerability}": first["vulnerability_id"]}
    for operation, example in EXAMPLES.items():
        method, route = operation.split(" ", 1)
        key = _key(web_server, example)
        path = example.path
        for placeholder, value in ids.items():
            path = path.replace(placeholder, value)
        before = len(web_server.log.seen)
        answer = call(page, method, path, key, example.body, example.media_type)
        assert answer["status"] == example.status, (operation, answer["body"][:500])
        if example.remember:
            ids[example.remember] = str(json.loads(answer["body"])["id"])
        expected_type = "application/problem+json" if answer["status"] >= 400 \
            else "application/json"
        assert answer["type"].startswith(expected_type), operation
        assert (method, route) in web_server.log.seen[before:], operation


def test_the_api_lets_in_no_browser_on_its_session_alone(log_in: LogIn,
                                                         web_server: WebServer) -> None:
    page = log_in("A", Role.ADMIN)
    page.goto("/ui/")  # a logged-in page: its cookies go wherever the browser may send them
    for operation, example in EXAMPLES.items():
        method, route = operation.split(" ", 1)
        if not route.startswith("/api/v1/"):
            continue
        path = example.path
        for placeholder in ("{finding}", "{job}", "{vulnerability}"):
            path = path.replace(placeholder, "1")
        answer = call(page, method, path, None, example.body, example.media_type)
        assert answer["status"] == 401, operation
        assert answer["type"].startswith("application/problem+json"), operation


def _key(web_server: WebServer, example: Example) -> str | None:
    if example.operator:
        return web_server.tenants.operator_key
    return web_server.tenants.keys[(example.org, example.role)] if example.role else None


def first_item(listing: dict[str, Any]) -> dict[str, Any]:
    items = json.loads(listing["body"])["items"]
    assert listing["status"] == 200 and items
    first: dict[str, Any] = items[0]
    return first
