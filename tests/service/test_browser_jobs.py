"""The jobs page in a real browser: a re-evaluation started from its button and shown
queued (no worker runs beside the browser tests' service), the table polled by htmx
while a job is unfinished, and no button for a role that may not start one."""

from __future__ import annotations

from browsing import (
    LogIn,
    covers,
    follow_header_link,
    said,
    send_form,
    structure_problems,
)
from playwright.sync_api import expect
from tenants import OPERATOR

from cpstrust.model.identity import Role


@covers("/ui/", "/ui/jobs", "/ui/jobs/table",
        "POST /ui/jobs/reevaluation")
def test_a_reevaluation_started_from_the_page_is_listed_and_polled(log_in: LogIn) -> None:
    page = log_in("B", Role.ANALYST)
    follow_header_link(page, said("jobs_nav"), "/ui/jobs", said("jobs_page_title"))
    assert structure_problems(page) == []
    assert send_form(page, said("jobs_start_reevaluation")) == 303
    page.wait_for_url("**/ui/jobs")
    row = page.locator("tr[id^=job-]").first
    expect(row).to_contain_text(said("jobs_state_queued"))
    expect(row).to_contain_text("analyst-B")
    with page.expect_response("**/ui/jobs/table", timeout=10_000) as polled:
        pass  # htmx asks every two seconds while a job is unfinished
    assert polled.value.status == 200
    assert polled.value.request.headers.get("hx-request") == "true"
    expect(page.locator("section#jobs tr[id^=job-]").first).to_be_visible()
    assert structure_problems(page) == []


@covers("/ui/jobs")
def test_an_auditor_sees_the_jobs_without_a_button_to_start_one(log_in: LogIn) -> None:
    page = log_in("Y", Role.AUDITOR)
    page.goto("/ui/jobs")
    expect(page.get_by_role("heading", level=1)).to_have_text(said("jobs_page_title"))
    expect(page.get_by_role("button")).to_have_count(1)  # the header's logout alone
    expect(page.get_by_role("main")).to_contain_text(said("jobs_none"))
    assert structure_problems(page) == []


@covers("/ui/jobs")
def test_a_tenants_administrator_is_offered_no_advisory_update(log_in: LogIn) -> None:
    page = log_in("X", Role.ADMIN)
    page.goto("/ui/jobs")
    expect(page.get_by_role("heading", level=1)).to_have_text(said("jobs_page_title"))
    expect(page.get_by_role("button", name=said("jobs_start_reevaluation"))).to_have_count(1)
    expect(page.get_by_label(said("jobs_ecosystems_label"))).to_have_count(0)
    expect(page.get_by_role("button", name=said("jobs_start_advisory_update"))).to_have_count(0)
    assert structure_problems(page) == []


@covers("/ui/jobs", "POST /ui/jobs/advisory-update")
def test_the_operator_queues_an_advisory_update_of_the_ecosystems_named(log_in: LogIn) -> None:
    page = log_in(OPERATOR, Role.ADMIN)
    page.goto("/ui/jobs")
    page.get_by_label(said("jobs_ecosystems_label")).fill("PyPI, Go")
    assert send_form(page, said("jobs_start_advisory_update")) == 303
    page.wait_for_url("**/ui/jobs")
    row = page.locator("tr[id^=job-]").first
    expect(row).to_contain_text(said("jobs_kind_advisory_update"))
    expect(row).to_contain_text(said("jobs_state_queued"))
    assert structure_problems(page) == []
