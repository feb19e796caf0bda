"""The web UI's jobs page: a job started from its form (CSRF-protected), its progress
polled by htmx until it ends, in English and Japanese, and only the organisation's own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from tenants import Tenants
from test_web import csrf_of, log_in

from cpstrust.app.identity import create_user
from cpstrust.app.job_runner import WorkerSettings, run_next
from cpstrust.model.identity import Role

POLLING = 'hx-get="/ui/jobs/table" hx-trigger="every 2s"'


def test_jobs_page_starts_a_reevaluation_and_follows_it_to_its_end(
        client: TestClient, tenants: Tenants) -> None:
    assert log_in(client, "admin-A") == 303
    page = client.get("/ui/jobs")
    assert page.status_code == 200 and POLLING not in page.text
    forged = client.post("/ui/jobs/reevaluation", data={"csrf": "forged"},
                         follow_redirects=False)
    assert forged.status_code == 403
    started = client.post("/ui/jobs/reevaluation", data={"csrf": csrf_of(page.text)},
                          follow_redirects=False)
    assert (started.status_code, started.headers["location"]) == (303, "/ui/jobs")
    queued = client.get("/ui/jobs")
    assert POLLING in queued.text and "queued" in queued.text
    assert run_next(tenants.services, WorkerSettings(lease=timedelta(seconds=30)),
                    "page-test") is not None
    table = client.get("/ui/jobs/table")
    assert table.status_code == 200 and "<h1>" not in table.text
    assert POLLING not in table.text  # nothing left to wait for: the polling stops
    assert '<progress value="2" max="2">' in table.text and "done" in table.text
    japanese = client.get("/ui/jobs?lang=ja")
    assert "全リリースの再評価" in japanese.text and "完了" in japanese.text
    other = TestClient(client.app)
    assert log_in(other, "admin-B") == 303
    theirs = other.get("/ui/jobs").text
    assert "No jobs yet." in theirs and 'id="job-' not in theirs


def test_an_auditor_sees_the_jobs_but_may_not_start_one(client: TestClient,
                                                        tenants: Tenants) -> None:
    create_user(tenants.services, "auditor-A", "A", Role.AUDITOR, "correct horse battery",
                datetime.now(UTC))
    assert log_in(client, "auditor-A") == 303
    page = client.get("/ui/jobs")
    assert page.status_code == 200 and "/ui/jobs/reevaluation" not in page.text
    refused = client.post("/ui/jobs/reevaluation", data={"csrf": csrf_of(page.text)},
                          follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/ui/jobs", follow_redirects=False).status_code == 200
    anonymous = TestClient(client.app)
    assert anonymous.get("/ui/jobs", follow_redirects=False).status_code == 303


def test_the_operator_starts_an_advisory_update_a_tenant_is_not_offered_one(
        client: TestClient, tenants: Tenants) -> None:
    assert log_in(client, "admin-O") == 303
    page = client.get("/ui/jobs")
    assert '<label for="ecosystems">' in page.text
    started = client.post("/ui/jobs/advisory-update",
                          data={"csrf": csrf_of(page.text), "ecosystems": "PyPI, Go"},
                          follow_redirects=False)
    assert started.status_code == 303
    assert "advisory update from OSV" in client.get("/ui/jobs").text
    empty = client.post("/ui/jobs/advisory-update",
                        data={"csrf": csrf_of(page.text), "ecosystems": " , "})
    assert empty.status_code == 400 and "ecosystems" in empty.text
    for user in ("admin-A", "admin-X"):  # tenants' administrators
        tenant = TestClient(client.app)
        assert log_in(tenant, user) == 303
        theirs = tenant.get("/ui/jobs")
        assert 'name="ecosystems"' not in theirs.text
        refused = tenant.post("/ui/jobs/advisory-update",
                              data={"csrf": csrf_of(theirs.text), "ecosystems": "PyPI"})
        assert refused.status_code == 403
        assert "advisory update from OSV" not in tenant.get("/ui/jobs").text
