"""The tenancy matrix, generated from ``/openapi.json``: every operation of ``/api/v1``
called by every role of every tenant with identifiers of things that tenant may not see,
answering 403/404 (or a refusal that tells nothing) and naming nothing foreign in any
body, errors included; then once by a tenant that may see them, within the budget of SQL
statements per read request.

Parameters are filled by name from ``IDENTIFIERS``: a route with a parameter the table
does not know fails the test, so a new route is covered without editing it, or the test
says what to add. The tenants (``tenants.py``): suppliers A and B, buyers X and Y, and Z,
which shares nothing. One store per database, populated once: the calls are reads, or
writes refused for their foreign identifiers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from tenants import DEMO, GATEWAY_SBOM, HUB_SBOM, TENANTS, Tenants, populate

from cpstrust.app import truststore
from cpstrust.app.services import Services
from cpstrust.model.identity import Role
from cpstrust.model.trust import Role as KeyRole
from cpstrust.service.api import OPERATOR_ONLY, ServiceSettings, create_app
from cpstrust.settings import Settings
from cpstrust.store.db import Store

API = "/api/v1"
MAX_READ_STATEMENTS = 10
# Refusals that answer the request without telling anything of what it named.
REFUSALS = {400, 403, 404, 409, 415, 422}
# What each tenant may see besides its own: the grants and supplier relations of the
# tenants' world (tenants.py, tenant-chain.yaml).
GRANTED = {"X": {"A"}}
RELATED = {"A": {"X"}, "B": {"X", "Y"}, "X": {"A", "B"}, "Y": {"B"}, "Z": set()}
ORG_OF_THING = {"a-hub": "A", "a-gw": "A", "b-gw": "B", "x-plant": "X", "y-plant": "Y",
                "x-line": "X", "x-office": "X", "y-floor": "Y", "x-hub-1": "X",
                "x-gw-1": "X", "y-gw-1": "Y", "XH-0001": "X", "XG-0001": "X", "YG-0001": "Y"}
GRANTED_PRODUCTS = {"X": {"a-hub"}}
RELEASE = "release.json"
RELEASE_ENVELOPE = DEMO / "release" / "ss-sensorhub-1.8.0.release.json"
RELEASE_KEY = DEMO / "release" / "setouchi-release.pem"
OPERATOR_ONLY_MARK = next(iter(OPERATOR_ONLY))
# An advisory the demo's are not: the operator's import adds it.
OSV_RECORD = orjson.dumps({
    "schema_version": "1.6.0", "id": "CPST-2026-0100", "modified": "2026-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "nobody-uses-this"},
                  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]})


@dataclass(frozen=True, slots=True)
class Thing:
    """An identifier a parameter may take, and the tenants that may see what it names."""

    value: str
    seen_by: frozenset[str]


@dataclass(slots=True)
class World:
    tenants: Tenants
    client: TestClient
    identifiers: dict[str, list[Thing]]
    statements: list[str] = field(default_factory=list)


def _owned(value: str, *seen_by: str) -> Thing:
    return Thing(value, frozenset(seen_by))


def _identifiers(client: TestClient, tenants: Tenants) -> dict[str, list[Thing]]:
    """Parameter name -> the identifiers it is tried with. Shared things (the advisory
    database) are seen by every tenant."""
    def finding_of(org: str, product: str) -> str:
        found = client.get(f"{API}/findings?product={product}&limit=1",
                           headers=tenants.auth(org)).json()["items"]
        return str(found[0]["id"])

    job = client.post(f"{API}/jobs/reevaluation", headers=tenants.auth("A")).json()
    hub = {f["vulnerability_id"] for f in client.get(
        f"{API}/findings?product=a-hub&limit=500", headers=tenants.auth("A")).json()["items"]}
    everyone = frozenset(TENANTS)
    products = [_owned("a-hub", "A", "X"), _owned("a-gw", "A"), _owned("b-gw", "B")]
    return {
        "name": products,
        "product": products,
        "version": [Thing("1.0", everyone)],
        "supplier": [_owned("A", "A", "X"), _owned("B", "B")],
        "site": [_owned("x-plant", "X"), _owned("y-plant", "Y")],
        "device": [_owned("x-hub-1", "X"), _owned("y-gw-1", "Y")],
        "finding_id": [_owned(finding_of("A", "a-hub"), "A", "X"),
                       _owned(finding_of("A", "a-gw"), "A"), _owned(finding_of("B", "b-gw"), "B")],
        "advisory_id": [Thing(sorted(hub)[0], everyone)],
        "job_id": [_owned(str(job["id"]), "A")],
    }


def _bodies() -> dict[str, Any]:
    """Request body fields by name: multipart files and JSON properties."""
    return {"file": ("bom.cdx.json", GATEWAY_SBOM.read_bytes()),
            "envelope": (RELEASE, b'{"payloadType": "x", "payload": "", "signatures": []}'),
            "sbom": ("bom.cdx.json", GATEWAY_SBOM.read_bytes()),
            "status": "accepted", "note": "matrix", "ecosystems": []}


@contextmanager
def _counted(tenants: Tenants, client: TestClient) -> Iterator[World]:
    """The tenants' service with a counter of the SQL statements it executes."""
    found = World(tenants, client, _identifiers(client, tenants))

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        found.statements.append(statement)

    engine = tenants.services.store.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def world(client: TestClient, tenants: Tenants) -> Iterator[World]:
    """On SQLite and on PostgreSQL as its superuser (the filters alone)."""
    with _counted(tenants, client) as found:
        yield found


@pytest.fixture(scope="module")
def bound_world(rls_bound_postgres_url: str,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """On PostgreSQL through a role row-level security binds, as a deployment connects:
    the filters and the policies together must still answer every tenant in full."""
    home = tmp_path_factory.mktemp("bound")
    store = Store.open(rls_bound_postgres_url)
    services = Services(Settings(home=home / "home", database_url=rls_bound_postgres_url),
                        store=store)
    tenants = populate(services)
    with TestClient(create_app(services, ServiceSettings(upload_dir=home))) as client, \
            _counted(tenants, client) as found:
        yield found
    store.close()


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    params: tuple[tuple[str, str, bool], ...]  # (name, in, required)
    body: dict[str, Any]  # the requestBody of the OpenAPI document, {} when none


def _operations(client: TestClient) -> list[Operation]:
    document = client.get("/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        if not path.startswith(API):
            continue
        for method, spec in item.items():
            params = tuple((p["name"], p["in"], bool(p.get("required")))
                           for p in spec.get("parameters", ()))
            found.append(Operation(method.upper(), path, params, spec.get("requestBody", {})))
    return found


def _fill(operation: Operation, identifiers: dict[str, list[Thing]],
          pick: Any) -> tuple[str, dict[str, str], list[str]] | None:
    """The path and query of ``operation`` with each named parameter chosen by ``pick``
    from its identifiers (None when ``pick`` finds none); the values sent."""
    path, query, sent = operation.path, {}, []
    for name, where, required in operation.params:
        if name not in identifiers:
            assert not (where == "path" or required), (
                f"{operation.method} {operation.path}: parameter {name!r} has no identifiers "
                "in IDENTIFIERS of test_tenancy_matrix.py; add the things it names")
            continue
        chosen = pick(name, identifiers[name])
        if chosen is None:
            return None
        sent.append(chosen.value)
        if where == "path":
            path = path.replace("{" + name + "}", chosen.value)
        else:
            query[name] = chosen.value
    return path, query, sent


def _request(world: World, operation: Operation, path: str, query: dict[str, str],
             headers: dict[str, str]) -> Any:
    content = operation.body.get("content", {})
    bodies = _bodies()
    if "multipart/form-data" in content:
        schema = content["multipart/form-data"]["schema"]
        files = {name: bodies[name] for name in schema.get("required", ())}
        return world.client.request(operation.method, path, params=query, headers=headers,
                                    files=files)
    if "application/json" in content:
        properties = content["application/json"]["schema"].get("properties", {})
        missing = set(properties) - set(bodies)
        assert not missing, f"{operation.path}: no body value for {sorted(missing)}"
        return world.client.request(operation.method, path, params=query, headers=headers,
                                    json={name: bodies[name] for name in properties})
    return world.client.request(operation.method, path, params=query, headers=headers)


def _visible_organisations(org: str) -> set[str]:
    return {org} | GRANTED.get(org, set()) | RELATED[org]


def _leaks(body: object, org: str, sent: list[str]) -> list[str]:
    """Names of things ``org`` may not see that ``body`` mentions (what the caller sent
    itself excepted: echoing it tells nothing)."""
    foreign_orgs = set(TENANTS) - _visible_organisations(org) - set(sent)
    foreign_things = {thing for thing, owner in ORG_OF_THING.items()
                      if owner != org and thing not in GRANTED_PRODUCTS.get(org, set())
                      and thing not in sent}
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            if value in foreign_orgs:
                found.append(value)
            found.extend(t for t in foreign_things if t in value)

    walk(body)
    return found


def _hidden(name: str, things: list[Thing], org: str) -> Thing | None:
    """The first identifier of ``name`` that ``org`` may not see (a shared one when all
    are shared)."""
    hidden = [t for t in things if org not in t.seen_by]
    return hidden[0] if hidden else next((t for t in things if len(t.seen_by) == len(TENANTS)),
                                         None)


def test_no_tenant_reaches_or_learns_another_tenants_things(world: World) -> None:
    _no_tenant_reaches_another(world)


def test_no_tenant_reaches_another_under_row_level_security(bound_world: World) -> None:
    _no_tenant_reaches_another(bound_world)


def _no_tenant_reaches_another(world: World) -> None:
    operations = _operations(world.client)
    assert len(operations) >= 24  # what /api/v1 held when the matrix was written
    failures: list[str] = []
    for operation in operations:
        owned_path = any(where == "path" and name in world.identifiers
                         and len(world.identifiers[name][0].seen_by) < len(TENANTS)
                         for name, where, _ in operation.params)
        for org in TENANTS:
            filled = _fill(operation, world.identifiers,
                           lambda name, things, org=org: _hidden(name, things, org))
            if filled is None:
                continue
            path, query, sent = filled
            for role in Role:
                response = _request(world, operation, path, query, world.tenants.auth(org, role))
                where = f"{operation.method} {path} {query} as {role.value} of {org}"
                allowed = {403, 404} if owned_path else REFUSALS | {200, 201, 202}
                if response.status_code not in allowed:
                    failures.append(f"{where}: {response.status_code} {response.text[:200]}")
                if response.content and (leaked := _leaks(response.json(), org, sent)):
                    failures.append(f"{where}: names {sorted(set(leaked))}")
    assert failures == []


def _operator_only(client: TestClient) -> list[Operation]:
    """The operations the OpenAPI document marks as changing what every tenant shares."""
    document = client.get("/openapi.json").json()
    marked = {(method.upper(), path) for path, item in document["paths"].items()
              for method, spec in item.items() if spec.get(OPERATOR_ONLY_MARK)}
    return [o for o in _operations(client) if (o.method, o.path) in marked]


def _shared_body(operation: Operation) -> dict[str, Any]:
    """A body an operator's request is accepted with: an OSV record, or the ecosystems."""
    content = operation.body["content"]
    if "properties" in content["application/json"]["schema"]:
        return {"json": {"ecosystems": ["PyPI"]}}
    return {"content": OSV_RECORD, "headers": {"Content-Type": "application/json"}}


def test_only_the_operator_changes_what_every_tenant_shares(world: World) -> None:
    """Every operation marked operator-only: each role of each tenant, administrators
    included, is refused (403, problem+json) with nothing stored or queued; the operator's
    key is accepted."""
    client, tenants = world.client, world.tenants
    shared = _operator_only(client)
    assert {(o.method, o.path) for o in shared} >= {
        ("POST", f"{API}/advisories"), ("POST", f"{API}/jobs/advisory-update")}
    before = client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json()
    jobs_before = {org: client.get(f"{API}/jobs", headers=tenants.auth(org)).json()
                   for org in TENANTS}
    for operation in shared:
        body = _shared_body(operation)
        for org in TENANTS:
            for role in Role:
                sent = {**body, "headers": {**body.get("headers", {}),
                                            **tenants.auth(org, role)}}
                response = client.request(operation.method, operation.path, **sent)
                where = f"{operation.method} {operation.path} as {role.value} of {org}"
                assert response.status_code == 403, f"{where}: {response.text[:200]}"
                assert response.headers["content-type"] == "application/problem+json", where
                assert response.json()["code"] == "tenancy_operator_only", where
    assert client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json() == before
    assert {org: client.get(f"{API}/jobs", headers=tenants.auth(org)).json()
            for org in TENANTS} == jobs_before
    for operation in shared:
        body = _shared_body(operation)
        sent = {**body, "headers": {**body.get("headers", {}), **tenants.operator_auth()}}
        response = client.request(operation.method, operation.path, **sent)
        assert response.status_code in {201, 202}, response.text[:300]
    after = client.get(f"{API}/advisories/status", headers=tenants.auth("A")).json()
    assert after["advisories"] == before["advisories"] + 1


def test_a_read_request_takes_at_most_ten_sql_statements(world: World) -> None:
    """Every GET of the API, by a tenant that may see what it names; the writes' counts
    are printed (``-s``) for the README."""
    _reads_within_budget(world)


def test_reads_stay_within_budget_and_whole_under_row_level_security(
        bound_world: World) -> None:
    client, tenants = bound_world.client, bound_world.tenants
    relations = client.get(f"{API}/supplier-relations", headers=tenants.auth("X")).json()
    assert [r["organisation"] for r in relations["items"]] == ["A", "B"]
    devices = client.get(f"{API}/devices", headers=tenants.auth("X")).json()["items"]
    assert [(d["name"], d["product"]) for d in devices] == [("x-gw-1", None),
                                                            ("x-hub-1", "a-hub")]
    vid = bound_world.identifiers["advisory_id"][0].value
    impact = client.get(f"{API}/impact/{vid}", headers=tenants.auth("X")).json()
    assert impact["products"] == ["a-hub"]
    assert [d["name"] for d in impact["devices"]] == ["x-hub-1"]
    key = truststore.key_from_pem_file(RELEASE_KEY, frozenset({KeyRole.RELEASE_SIGNER}))
    truststore.trust_key(tenants.services, key, datetime.now(UTC))
    kept = client.post(f"{API}/releases", headers=tenants.auth("Y", Role.UPLOADER),
                       files={"envelope": (RELEASE, RELEASE_ENVELOPE.read_bytes()),
                              "sbom": (HUB_SBOM.name, HUB_SBOM.read_bytes())})
    assert kept.status_code == 201, kept.text
    products = client.get(f"{API}/products", headers=tenants.auth("Y")).json()["items"]
    assert [(p["name"], p["access"]) for p in products] == [(kept.json()["product"], "own")]
    _reads_within_budget(bound_world)  # last: its writes replace a-hub's SBOM


def _reads_within_budget(world: World) -> None:
    counts: dict[str, int] = {}
    for operation in _operations(world.client):
        def seen(name: str, things: list[Thing]) -> Thing:
            return things[0]

        filled = _fill(operation, world.identifiers, seen)
        assert filled is not None
        path, query, sent = filled
        org = "X" if {"x-plant", "x-hub-1"} & set(sent) else "A"
        world.statements.clear()
        response = _request(world, operation, path, query, world.tenants.auth(org, Role.ADMIN))
        counts[f"{operation.method} {operation.path}"] = len(world.statements)
        if operation.method == "GET":
            assert response.status_code == 200, f"{operation.path}: {response.text[:300]}"
    print("\nSQL statements per request:", *sorted(counts.items()), sep="\n  ")
    reads = {route: n for route, n in counts.items() if route.startswith("GET")}
    assert reads and max(reads.values()) <= MAX_READ_STATEMENTS, reads
