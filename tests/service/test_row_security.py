"""Row-level security on PostgreSQL, the second line behind the application layer's
filters (migration 0023, ADR 0019): raw SQL that bypasses every filter of
``store.tenancy``, run in a transaction that names a tenant, sees only that tenant's
rows and what was granted to it, and cannot write another's. The service and the
command line keep working for a role the policies bind."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, text
from sqlalchemy.exc import ProgrammingError
from tenants import GATEWAY_SBOM, Tenants, populate

from cpstrust.app.services import Services
from cpstrust.model.identity import Role
from cpstrust.service.api import ServiceSettings, create_app
from cpstrust.settings import Settings
from cpstrust.store.db import TENANT_SETTING, Store
from cpstrust.store.tables import Base

# Read by every tenant alike, or kept by the maintenance paths alone: no policy. The
# rest of the schema is tenant-owned, and a table added without a policy fails below.
PASSWORD = "correct horse battery"  # of the admin-<org> users of tenants.py

SHARED = {
    "advisory", "advisory_generation", "advisory_source", "affected", "compiled_package",
    "compiled_state", "vulnerability", "vulnerability_id", "oscal_document",
    "oscal_control", "oscal_map_entry", "oscal_profile_item", "licence_policy_version",
    "trust_store_version", "vex_document", "trust_verdict", "trust_evaluation",
    "verified_signature",
    "event_sink",
}


@pytest.fixture(scope="module")
def bound(rls_bound_postgres_url: str, tmp_path_factory: pytest.TempPathFactory,
          ) -> Iterator[Tenants]:
    """The four tenants of ``tenants.py``, stored through a role the policies bind; one
    store for the module (the raw tests roll back, the service test adds a release)."""
    store = Store.open(rls_bound_postgres_url)
    settings = Settings(home=tmp_path_factory.mktemp("home"), database_url=rls_bound_postgres_url)
    yield populate(Services(settings, store=store))
    store.close()


@contextmanager
def as_tenant(tenants: Tenants, organisation: str | None) -> Iterator[Connection]:
    """A raw transaction with ``organisation`` named (None: nothing named), rolled back."""
    store = tenants.services.store
    with store.engine.connect() as connection:
        ids = dict(connection.execute(text("SELECT name, id FROM organization")).all())
        connection.rollback()  # the lookup's transaction; the tenant's starts afresh
        with connection.begin() as transaction:
            value = "" if organisation is None else str(ids[organisation])
            connection.execute(text("SELECT set_config(:name, :value, true)"),
                               {"name": TENANT_SETTING, "value": value})
            yield connection
            transaction.rollback()


def _products(connection: Connection) -> set[str]:
    return set(connection.execute(text("SELECT name FROM product")).scalars())


def _count(connection: Connection, sql: str) -> int:
    return int(connection.execute(text(sql)).scalar_one())


def test_every_tenant_owned_table_is_under_forced_row_security(bound: Tenants) -> None:
    with bound.services.store.engine.connect() as connection:
        flags = dict(connection.execute(text(
            "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")).all())
    tables = {table.name for table in Base.metadata.sorted_tables}
    assert {name for name in tables if not flags[name]} == SHARED


def test_a_tenant_sees_its_own_and_granted_rows_and_nothing_else(bound: Tenants) -> None:
    with as_tenant(bound, "A") as connection:
        assert _products(connection) == {"a-hub", "a-gw"}
    with as_tenant(bound, "X") as connection:  # A granted a-hub to X
        assert _products(connection) == {"a-hub"}
        # A granted it a product; B supplies it (migration 0024).
        assert set(connection.execute(text("SELECT name FROM organization")).scalars()) \
            == {"A", "B", "X"}
        assert _count(connection, "SELECT count(*) FROM component WHERE release_id NOT IN "
                                  "(SELECT r.id FROM release r JOIN product p "
                                  "ON p.id = r.product_id WHERE p.name = 'a-hub')") == 0
        assert _count(connection, "SELECT count(*) FROM component") > 0
        assert _count(connection, "SELECT count(*) FROM api_key") == len(Role)
    with as_tenant(bound, "Y") as connection:  # granted nothing, holds nothing
        assert _products(connection) == set()
        for table in ("release", "sbom_document", "component", "finding", "event",
                      "access_grant"):
            assert _count(connection, f"SELECT count(*) FROM {table}") == 0, table
        assert set(connection.execute(text("SELECT organisation_id FROM app_user")).scalars()) \
            == {connection.execute(text("SELECT cpstrust_tenant()")).scalar_one()}


def test_a_connection_that_names_no_tenant_sees_nothing(bound: Tenants) -> None:
    with as_tenant(bound, None) as connection:
        assert _products(connection) == set()
        assert _count(connection, "SELECT count(*) FROM api_key") == 0


def test_the_maintenance_scope_every_store_connection_starts_in_sees_everything(
    bound: Tenants,
) -> None:
    with bound.services.store.engine.connect() as connection:
        assert connection.execute(text(f"SHOW {TENANT_SETTING}")).scalar_one() == "all"
        assert _products(connection) == {"a-hub", "a-gw", "b-gw"}


def _refused(connection: Connection, sql: str) -> None:
    with pytest.raises(ProgrammingError, match="row-level security"), \
            connection.begin_nested():  # rolled back to here, the transaction goes on
        connection.execute(text(sql))


def _ids(tenants: Tenants, sql: str) -> dict[str, int]:
    """Names to ids, read in the maintenance scope: what a bug could hand a query."""
    with tenants.services.store.engine.connect() as connection:
        return {name: int(id_) for name, id_ in connection.execute(text(sql)).all()}


def test_writes_into_another_tenants_rows_are_refused(bound: Tenants) -> None:
    orgs = _ids(bound, "SELECT name, id FROM organization")
    products = _ids(bound, "SELECT name, id FROM product")
    hub_release = _ids(bound, "SELECT p.name, r.id FROM release r JOIN product p "
                              "ON p.id = r.product_id")["a-hub"]
    with as_tenant(bound, "B") as connection:
        _refused(connection, f"INSERT INTO release (product_id, version) "
                             f"VALUES ({products['a-hub']}, '9.9')")
        _refused(connection, f"UPDATE product SET supplier_id = {orgs['A']} "
                             f"WHERE name = 'b-gw'")  # moving its own row to another
        assert connection.execute(text(
            f"UPDATE product SET description = 'mine' WHERE id = {products['a-hub']}")
        ).rowcount == 0
    with as_tenant(bound, "X") as connection:  # sees a-hub by a grant: reads, never writes
        assert _count(connection, f"SELECT count(*) FROM finding "
                                  f"WHERE release_id = {hub_release}") > 0
        assert connection.execute(text(
            f"UPDATE finding SET status = 'accepted' WHERE release_id = {hub_release}")
        ).rowcount == 0
        assert connection.execute(text(
            f"DELETE FROM component WHERE release_id = {hub_release}")).rowcount == 0
        _refused(connection, f"INSERT INTO sbom_document (release_id, format, spec_version, "
                             f"sha256, size, content) VALUES ({hub_release}, 'cyclonedx', "
                             f"'1.5', repeat('0', 64), 0, ''::bytea)")
        _refused(connection, f"INSERT INTO access_grant (grantor_id, grantee_id, created_at) "
                             f"VALUES ({orgs['B']}, {orgs['X']}, now())")  # B's products
        _refused(connection, f"INSERT INTO api_key (key_id, secret_sha256, organisation_id, "
                             f"role, created_at) VALUES ('forged', repeat('0', 64), "
                             f"{orgs['A']}, 'admin', now())")


def _statements(store: Store) -> tuple[list[str], Any]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    return seen, record


def test_the_service_works_for_a_bound_role_within_its_statement_budget(
    bound: Tenants, tmp_path: Path,
) -> None:
    store = bound.services.store
    settings = ServiceSettings(upload_dir=tmp_path)
    with TestClient(create_app(bound.services, settings)) as client:
        client.get("/api/v1/products", headers=bound.auth("X"))  # a key's first use is noted
        seen, record = _statements(store)
        listed = client.get("/api/v1/products", headers=bound.auth("X"))
        event.remove(store.engine, "before_cursor_execute", record)
        assert listed.status_code == 200
        assert [p["name"] for p in listed.json()["items"]] == ["a-hub"]
        assert any("set_config" in sql for sql in seen) and len(seen) <= 10
        findings = client.get("/api/v1/findings?product=a-hub", headers=bound.auth("X"))
        assert findings.status_code == 200 and findings.json()["items"]
        assert client.get("/api/v1/findings?product=a-gw",
                          headers=bound.auth("X")).json()["items"] == []
        uploaded = client.post("/api/v1/sboms?product=b-gw&version=2.0",
                               content=GATEWAY_SBOM.read_bytes(),
                               headers=bound.auth("B", Role.UPLOADER))
        assert uploaded.status_code in (200, 201), uploaded.text
        taken = client.post("/api/v1/sboms?product=a-hub&version=2.0",
                            content=GATEWAY_SBOM.read_bytes(),
                            headers=bound.auth("B", Role.UPLOADER))
        assert taken.status_code == 409
        assert client.get("/api/v1/dashboard", headers=bound.auth("Y")).status_code == 200


def test_the_web_pages_show_a_buyer_what_was_granted_for_a_bound_role(
    bound: Tenants, tmp_path: Path,
) -> None:
    products = _ids(bound, "SELECT name, id FROM product")
    hub_release = _ids(bound, "SELECT p.name, r.id FROM release r JOIN product p "
                              "ON p.id = r.product_id")["a-hub"]
    with TestClient(create_app(bound.services, ServiceSettings(upload_dir=tmp_path))) as client:
        form = client.get("/ui/login").text
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token is not None
        assert client.post("/ui/login", data={"user": "admin-X", "password": PASSWORD,
                                              "csrf": token.group(1)},
                           follow_redirects=False).status_code == 303
        graph = client.get("/ui/graph.json")
        assert graph.status_code == 200 and "a-hub" in graph.text and "a-gw" not in graph.text
        assert client.get(f"/ui/products/{products['a-hub']}").status_code == 200
        assert client.get(f"/ui/releases/{hub_release}").status_code == 200
        assert client.get(f"/ui/products/{products['a-gw']}").status_code == 404


def _answers(client: TestClient, tenants: Tenants,
             paths: list[str]) -> dict[str, tuple[int, Any]]:
    answers: dict[str, tuple[int, Any]] = {}
    for org in ("A", "B", "X", "Y", "Z"):
        for path in paths:
            got = client.get(f"/api/v1{path}", headers=tenants.auth(org))
            body = got.json()
            if isinstance(body, dict):
                body.pop("since", None)  # the dashboard's: "now" less a day
            answers[f"{org} {path}"] = (got.status_code, body)
    return answers


def test_every_tenant_reads_the_same_through_a_bound_role_as_through_the_superuser(
    bound: Tenants, rls_bound_postgres_url: str, tmp_path: Path,
) -> None:
    """Row-level security takes nothing away that the application layer shows."""
    vulnerabilities = _ids(bound, "SELECT vulnerability_id, id FROM finding")
    paths = ["/organisations", "/products", "/products/a-hub/releases", "/findings",
             "/supplier-relations", "/supplier-relations?side=customers", "/sites",
             "/sites/x-plant/zones", "/devices", "/devices/x-hub-1", "/dashboard", "/jobs",
             *(f"/impact/{v}" for v in sorted(vulnerabilities)[:3])]
    superuser_url = rls_bound_postgres_url.replace("://cpstrust_app@", "://postgres@", 1)
    superuser = Store.open(superuser_url)
    settings = Settings(home=tmp_path / "home", database_url=superuser_url)
    try:
        with TestClient(create_app(Services(settings, store=superuser))) as passed_over, \
                TestClient(create_app(bound.services)) as bound_client:
            expected = _answers(passed_over, bound, paths)
            got = _answers(bound_client, bound, paths)
            assert got == expected
    finally:
        superuser.close()
    assert expected["X /devices/x-hub-1"][0] == 200  # the comparison covers real answers
    assert expected["X /findings"][1]["items"]

