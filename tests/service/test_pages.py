"""The web UI's pages past the dashboard (service/pages.py) on SQLite and PostgreSQL:
what each shows its tenant, that another tenant's pages are not found and tell nothing
of it, the finding status form with its CSRF token and audit trail, names with "/",
the signature status of a release's artifacts, the SBOM upload, and at most ten SQL
statements a page, the dashboard's too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from tenants import GATEWAY_SBOM, HUB_SBOM, Tenants

from cpstrust.app import browse, keys, releases, truststore
from cpstrust.app.identity import authenticate, create_user
from cpstrust.app.tenancy import finding_history, upload_sbom
from cpstrust.model.identity import Role
from cpstrust.model.trust import Algorithm, Backend, TrustedKey
from cpstrust.model.trust import Role as KeyRole
from cpstrust.service.api import ServiceSettings, create_app
from cpstrust.store.tables import FindingRow, ProductRow, ReleaseRow

PASSWORD = "correct horse battery"
MAX_STATEMENTS = 10  # the bound on SQL queries per request
SECRETS = {"passphrase": PASSWORD}


def browser(tenants: Tenants, tmp_path: Path, user: str) -> TestClient:
    """A client logged in as ``user`` through the login form."""
    client = TestClient(create_app(tenants.services, ServiceSettings(upload_dir=tmp_path)))
    client.__enter__()
    token = csrf_of(client.get("/ui/login").text)
    answer = client.post("/ui/login", data={"user": user, "password": PASSWORD,
                                            "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303
    return client


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


@pytest.fixture
def supplier_a(tenants: Tenants, tmp_path: Path) -> Iterator[TestClient]:
    client = browser(tenants, tmp_path, "admin-A")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def buyer_x(tenants: Tenants, tmp_path: Path) -> Iterator[TestClient]:
    client = browser(tenants, tmp_path, "admin-X")
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def supplier_b(tenants: Tenants, tmp_path: Path) -> Iterator[TestClient]:
    client = browser(tenants, tmp_path, "admin-B")
    yield client
    client.__exit__(None, None, None)


def ids(tenants: Tenants, product: str) -> tuple[int, int]:
    """(product id, id of its release 1.0)."""
    with tenants.services.store.transaction() as session:
        row = session.execute(select(ProductRow.id, ReleaseRow.id)
                              .join(ReleaseRow, ReleaseRow.product_id == ProductRow.id)
                              .where(ProductRow.name == product)).one()
    return int(row[0]), int(row[1])


@contextmanager
def statements(tenants: Tenants) -> Iterator[list[str]]:
    """The SQL statements the store runs meanwhile."""
    seen: list[str] = []
    engine = tenants.services.store.engine

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_graph_shows_the_supply_chain_and_its_list_to_a_session(
        tenants: Tenants, buyer_x: TestClient) -> None:
    hub, hub_release = ids(tenants, "a-hub")
    page = buyer_x.get("/ui/graph")
    assert page.status_code == 200
    assert 'id="graph"' in page.text and "/ui/static/cytoscape/cytoscape.min.js" in page.text
    # The nested list: X's organisation, and A with the product it granted X.
    assert f'href="/ui/products/{hub}">a-hub</a>' in page.text
    assert f'href="/ui/releases/{hub_release}">1.0</a>' in page.text
    data = buyer_x.get("/ui/graph.json").json()
    labels = {e["data"]["id"]: e["data"].get("label") for e in data["elements"]}
    assert labels["organisation-X"] == "X" and labels["organisation-A"] == "A"
    assert labels[f"product-{hub}"] == "a-hub"
    assert {"source": "organisation-A", "target": f"product-{hub}"}.items() <= next(
        e["data"] for e in data["elements"]
        if e["data"].get("target") == f"product-{hub}").items()
    assert "a-gw" not in str(data) and "b-gw" not in str(data)
    with TestClient(create_app(tenants.services)) as anonymous:
        assert anonymous.get("/ui/graph.json").status_code == 401
        assert anonymous.get("/ui/graph", follow_redirects=False).headers["location"] \
            == "/ui/login"


def test_product_and_release_pages(tenants: Tenants, supplier_a: TestClient,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    hub, hub_release = ids(tenants, "a-hub")
    page = supplier_a.get(f"/ui/products/{hub}")
    assert page.status_code == 200
    assert "<h1>Product a-hub</h1>" in page.text
    assert f'<a href="/ui/releases/{hub_release}">1.0</a>' in page.text
    assert "Your organisation&#39;s" in page.text
    page = supplier_a.get(f"/ui/releases/{hub_release}")
    assert page.status_code == 200
    assert "<h1>a-hub 1.0</h1>" in page.text
    assert "golang.org/x/net" in page.text  # a component with findings
    # The path from the product the SBOM describes to the vulnerable component.
    assert re.search(r'<ol class="path"[^>]*><li>ss-sensorhub 1\.8\.0</li>'
                     r'<li>golang\.org/x/net v0\.7\.0</li></ol>', page.text)
    assert 'action="/ui/findings/' in page.text  # A decides on its own findings
    assert "its artifacts are unsigned" in page.text
    page = supplier_a.get(f"/ui/releases/{hub_release}?lang=ja")
    assert '<html lang="ja">' in page.text
    assert "依存経路" in page.text and "検出事項" in page.text
    assert "Dependency path" not in page.text
    # Findings come a page at a time, worst first, each page after the last one's end.
    monkeypatch.setattr(browse, "FINDINGS_SHOWN", 2)
    first = supplier_a.get(f"/ui/releases/{hub_release}?lang=en").text
    following = re.search(r'href="(/ui/releases/\d+\?after=\d+\.\d+)#findings-heading"', first)
    assert following is not None
    second = supplier_a.get(following.group(1)).text
    shown = [set(re.findall(r'<tr id="(finding-\d+)">', text)) for text in (first, second)]
    assert len(shown[0]) == len(shown[1]) == 2 and not shown[0] & shown[1]
    refused = supplier_a.get(f"/ui/releases/{hub_release}?after=1;DROP")
    assert refused.status_code == 400 and "a-hub" not in refused.text


def test_a_buyer_reads_a_granted_release_without_deciding(
        tenants: Tenants, buyer_x: TestClient) -> None:
    _, hub_release = ids(tenants, "a-hub")
    page = buyer_x.get(f"/ui/releases/{hub_release}")
    assert page.status_code == 200 and "Shared with you by its supplier" in page.text
    assert 'action="/ui/findings/' not in page.text
    finding = first_finding(tenants, hub_release)
    answer = buyer_x.post(f"/ui/findings/{finding}/status", data={
        "csrf": csrf_of(page.text), "status": "accepted", "note": "x",
        "release": str(hub_release), "after": ""})
    assert answer.status_code == 403


def test_another_tenant_s_pages_are_not_found_and_tell_nothing(
        tenants: Tenants, supplier_b: TestClient, buyer_x: TestClient) -> None:
    hub, hub_release = ids(tenants, "a-hub")
    gateway, gateway_release = ids(tenants, "a-gw")
    for client, paths in ((supplier_b, (f"/ui/products/{hub}", f"/ui/releases/{hub_release}",
                                        f"/ui/products/{gateway}")),
                          (buyer_x, (f"/ui/products/{gateway}",
                                     f"/ui/releases/{gateway_release}",
                                     "/ui/products/99999"))):
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert "a-hub" not in answer.text and "a-gw" not in answer.text, path
    assert "a-hub" not in supplier_b.get("/ui/graph").text


def test_changing_a_finding_s_status_goes_through_the_audit_trail(
        tenants: Tenants, supplier_a: TestClient) -> None:
    _, hub_release = ids(tenants, "a-hub")
    page = supplier_a.get(f"/ui/releases/{hub_release}")
    finding = first_finding(tenants, hub_release)
    form = {"status": "not_affected", "note": "the vulnerable code is not built in",
            "release": str(hub_release), "after": ""}
    forged = supplier_a.post(f"/ui/findings/{finding}/status", data={**form, "csrf": "forged"})
    assert forged.status_code == 403
    done = supplier_a.post(f"/ui/findings/{finding}/status",
                           data={**form, "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/ui/releases/{hub_release}#finding-{finding}"
    caller = authenticate(tenants.services, tenants.keys[("A", Role.AUDITOR)],
                          datetime.now(UTC))
    trail = finding_history(tenants.services, caller, finding)
    assert [(e.actor, e.old_status, e.new_status, e.note) for e in trail] == [
        ("user:admin-A", "open", "not_affected", "the vulnerable code is not built in")]
    shown = supplier_a.get(f"/ui/releases/{hub_release}").text
    assert "the vulnerable code is not built in" in shown
    # From a later page of findings, back to that page.
    again = supplier_a.post(f"/ui/findings/{finding}/status", follow_redirects=False,
                            data={**form, "after": "3.1", "csrf": csrf_of(page.text)})
    assert again.headers["location"] == f"/ui/releases/{hub_release}?after=3.1#finding-{finding}"


def test_a_name_with_a_slash_has_its_pages(tenants: Tenants, supplier_a: TestClient) -> None:
    caller = authenticate(tenants.services, tenants.keys[("A", Role.UPLOADER)],
                          datetime.now(UTC))
    upload_sbom(tenants.services, caller, GATEWAY_SBOM, source_name="gw.json",
                product_name="acme/gw 2", version="2.0/rc1", at=datetime.now(UTC))
    product, release = ids(tenants, "acme/gw 2")
    assert "<h1>Product acme/gw 2</h1>" in supplier_a.get(f"/ui/products/{product}").text
    assert "<h1>acme/gw 2 2.0/rc1</h1>" in supplier_a.get(f"/ui/releases/{release}").text


def test_signature_status_of_each_artifact(tenants: Tenants, supplier_a: TestClient,
                                           tmp_path: Path) -> None:
    services = tenants.services
    at = datetime.now(UTC)
    record = keys.create_key(services, "release", Backend.FILE, Algorithm.ED25519,
                             locator={}, secrets=SECRETS)
    truststore.trust_key(services, TrustedKey(
        keyid=record.keyid, algorithm=record.algorithm, public_key_pem=record.public_key_pem,
        roles=frozenset({KeyRole.RELEASE_SIGNER}), scopes=frozenset({"a-hub"})), at)
    firmware = tmp_path / "hub-firmware.bin"
    firmware.write_bytes(b"\x7fELF hub firmware")
    envelope = tmp_path / "hub-1.0.release.json"
    envelope.write_bytes(releases.sign(services, [firmware], key="release", secrets=SECRETS,
                                       product="a-hub", version="1.0", sbom=None,
                                       at=at).envelope)
    assert isinstance(releases.import_signed(services, envelope, supplier="A", at=at),
                      releases.ReleaseImport)
    _, hub_release = ids(tenants, "a-hub")
    page = supplier_a.get(f"/ui/releases/{hub_release}").text
    assert re.search(r'<th scope="row">hub-firmware\.bin</th>.*?verified', page, re.S)
    assert record.keyid in page
    truststore.revoke(services, record.keyid, "signing server breached", at)
    revoked = supplier_a.get(f"/ui/releases/{hub_release}").text
    assert "not trusted" in revoked and "signing server breached" in revoked
    assert "hub-firmware.bin</th>" not in revoked  # what an untrusted envelope says is not shown


def test_a_page_takes_at_most_ten_sql_statements(tenants: Tenants, supplier_a: TestClient,
                                                 buyer_x: TestClient) -> None:
    hub, hub_release = ids(tenants, "a-hub")
    for path in ("/ui/", "/ui/changes", "/ui/graph", "/ui/graph.json", f"/ui/products/{hub}",
                 f"/ui/releases/{hub_release}", "/ui/upload", "/ui/advisories/CVE-2023-39325"):
        with statements(tenants) as seen:
            assert supplier_a.get(path).status_code == 200
        assert 0 < len(seen) <= MAX_STATEMENTS, (path, seen)
    for path in ("/ui/", "/ui/devices/x-hub-1"):
        with statements(tenants) as seen:
            assert buyer_x.get(path).status_code == 200
        assert 0 < len(seen) <= MAX_STATEMENTS, (path, seen)


def test_device_page_with_its_attestation_history(tenants: Tenants, buyer_x: TestClient,
                                                   tmp_path: Path) -> None:
    _, hub_release = ids(tenants, "a-hub")
    data = buyer_x.get("/ui/graph.json").json()["elements"]
    edges = {(e["data"]["source"], e["data"]["target"]) for e in data if "source" in e["data"]}
    device = {e["data"]["label"]: e["data"] for e in data if "source" not in e["data"]}
    assert device["x-hub-1"]["href"] == "/ui/devices/x-hub-1"
    assert (f"release-{hub_release}", device["x-hub-1"]["id"]) in edges
    # x-gw-1 runs b-gw, which B granted nobody: the device stands at X's site alone.
    assert not any(target == device["x-gw-1"]["id"] for _, target in edges)
    page = buyer_x.get("/ui/devices/x-hub-1")
    assert page.status_code == 200 and "<h1>Device x-hub-1</h1>" in page.text
    assert "x-plant / x-line" in page.text
    assert "No reference to compare with" in page.text  # the one appraisal on record
    other = browser(tenants, tmp_path, "admin-Y")
    try:
        refused = other.get("/ui/devices/x-hub-1")
        assert refused.status_code == 404 and "x-plant" not in refused.text
    finally:
        other.__exit__(None, None, None)


def test_impact_page_of_an_advisory(tenants: Tenants, buyer_x: TestClient,
                                    supplier_b: TestClient) -> None:
    _, hub_release = ids(tenants, "a-hub")
    release = buyer_x.get(f"/ui/releases/{hub_release}").text
    found = re.search(r'href="/ui/advisories/([^"]+)">', release)
    assert found is not None  # each vulnerability links to its impact
    page = buyer_x.get(f"/ui/advisories/{found.group(1)}")
    assert page.status_code == 200 and "Impact of" in page.text
    assert "a-hub" in page.text and "x-hub-1" in page.text
    assert "a-hub" not in supplier_b.get(f"/ui/advisories/{found.group(1)}").text
    assert buyer_x.get("/ui/advisories/NO-SUCH-ID").status_code == 404


def test_upload_page_stores_an_sbom_through_the_api_s_use_case(
        tenants: Tenants, supplier_a: TestClient) -> None:
    form = supplier_a.get("/ui/upload")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    token = csrf_of(form.text)
    sbom = ("hub.spdx.json", HUB_SBOM.read_bytes(), "application/json")
    forged = supplier_a.post("/ui/upload", data={"csrf": "forged", "product": "a-new",
                                                 "version": "1.0"}, files={"file": sbom})
    assert forged.status_code == 403
    taken = supplier_a.post("/ui/upload", data={"csrf": token, "product": "b-gw",
                                                "version": "9"}, files={"file": sbom})
    assert taken.status_code == 409 and 'role="alert"' in taken.text
    broken = supplier_a.post("/ui/upload", data={"csrf": token, "product": "a-new",
                                                 "version": "1.0"},
                             files={"file": ("x.json", b'{"bomFormat": ', "application/json")})
    assert broken.status_code == 400 and 'role="alert"' in broken.text
    assert product_names(tenants) == {"a-hub", "a-gw", "b-gw"}  # nothing stored
    done = supplier_a.post("/ui/upload", data={"csrf": token, "product": "a-new",
                                               "version": "1.0"}, files={"file": sbom})
    assert done.status_code == 201
    assert re.search(r"a-new 1\.0: \d+ components stored, \d+ new findings", done.text)
    _, release = ids(tenants, "a-new")
    assert f'href="/ui/releases/{release}"' in done.text
    assert "a-new" in supplier_a.get("/ui/graph.json").text


def test_an_uploader_uploads_but_reads_no_page(tenants: Tenants, tmp_path: Path) -> None:
    create_user(tenants.services, "uploader-A", "A", Role.UPLOADER, PASSWORD,
                datetime.now(UTC))
    uploader = browser(tenants, tmp_path, "uploader-A")
    try:
        token = csrf_of(uploader.get("/ui/upload").text)
        done = uploader.post("/ui/upload", data={"csrf": token, "product": "a-hub",
                                                 "version": "2.0"},
                             files={"file": ("hub.json", HUB_SBOM.read_bytes())})
        assert done.status_code == 201 and "/ui/releases/" not in done.text
        assert uploader.get("/ui/graph").status_code == 403
    finally:
        uploader.__exit__(None, None, None)


def product_names(tenants: Tenants) -> set[str]:
    with tenants.services.store.transaction() as session:
        return set(session.scalars(select(ProductRow.name)))


def first_finding(tenants: Tenants, release: int) -> int:
    with tenants.services.store.transaction() as session:
        found = session.scalar(select(FindingRow.id).where(FindingRow.release_id == release)
                               .order_by(FindingRow.id).limit(1))
    assert found is not None
    return int(found)
