"""Logging in and out in a real browser: with the keyboard alone, a wrong password, the
login's rate limit, and forms whose CSRF token was tampered with, as the user sees them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from browsing import PASSWORD, LogIn, WebServer, covers, said, send_form, structure_problems
from playwright.sync_api import BrowserContext, Page, expect

from cpstrust.app.identity import create_user
from cpstrust.app.websessions import LoginPolicy
from cpstrust.model.identity import Role
from cpstrust.service.web import SESSION_COOKIE


def session_cookies(context: BrowserContext) -> list[str]:
    return [c["value"] for c in context.cookies() if c["name"] == SESSION_COOKIE]


def submit_login(page: Page, user: str, password: str) -> int:
    """Fill and send the login form; the HTTP status of the page that answered it."""
    page.get_by_label(said("web_login_user")).fill(user)
    page.get_by_label(said("web_login_password")).fill(password)
    return send_form(page, said("web_login_submit"))


@covers("/ui/login", "/ui/", "POST /ui/login")
def test_a_user_logs_in_with_the_keyboard_alone(browser_page: Page,
                                                 web_server: WebServer) -> None:
    user = web_server.user("A", Role.ANALYST)
    page = browser_page
    page.goto("/ui/login")
    assert structure_problems(page) == []
    expect(page.get_by_label(said("web_login_user"))).to_be_focused()  # autofocus
    page.keyboard.type(user)
    page.keyboard.press("Tab")
    expect(page.get_by_label(said("web_login_password"))).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/ui/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("web_dashboard_title", organisation="A"))
    expect(page.get_by_text(said("web_signed_in_as", user="analyst-A", organisation="A",
                                 role="analyst"))).to_be_visible()


@covers("/ui/login", "POST /ui/login")
def test_a_wrong_password_is_told_beside_the_form_and_opens_no_session(
        browser_page: Page, web_server: WebServer) -> None:
    page = browser_page
    page.goto("/ui/login")
    assert submit_login(page, web_server.user("B", Role.AUDITOR), "not the password") == 401
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(said("websession_login_failed"))
    expect(page.locator("form[method=post]")).to_have_attribute("aria-describedby",
                                                               "login-error")
    assert structure_problems(page) == []
    assert session_cookies(page.context) == []
    page.goto("/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login$"))


@covers("/ui/login", "POST /ui/login")
def test_after_too_many_failures_even_the_password_is_refused_with_the_wait_told(
        browser_page: Page, web_server: WebServer) -> None:
    # A user of its own: its failures must not lock out the other tests' users.
    create_user(web_server.tenants.services, "locked-out-A", "A", Role.AUDITOR, PASSWORD,
                datetime.now(UTC))
    page = browser_page
    page.goto("/ui/login")
    for _ in range(LoginPolicy().max_user_failures):
        assert submit_login(page, "locked-out-A", "a wrong guess") == 401
    assert submit_login(page, "locked-out-A", PASSWORD) == 429
    minutes = int(LoginPolicy().window.total_seconds() // 60)
    expect(page.get_by_role("alert")).to_contain_text(
        said("websession_too_many_failures", minutes=minutes))
    assert session_cookies(page.context) == []


@covers("/ui/login", "POST /ui/login")
def test_a_login_form_with_a_forged_token_is_refused_and_told(browser_page: Page,
                                                              web_server: WebServer) -> None:
    page = browser_page
    page.goto("/ui/login")
    page.locator("input[name=csrf]").evaluate("input => input.value = 'forged'")
    assert submit_login(page, web_server.user("A", Role.ADMIN), PASSWORD) == 403
    expect(page.get_by_role("alert")).to_contain_text(said("websession_csrf_refused"))
    assert session_cookies(page.context) == []


@covers("/ui/", "/ui/login", "POST /ui/logout")
def test_logging_out_ends_the_session_and_returns_to_the_login(log_in: LogIn) -> None:
    page = log_in("X", Role.AUDITOR)
    page.goto("/ui/")
    page.get_by_role("button", name=said("web_logout")).click()
    page.wait_for_url("**/ui/login")
    expect(page.get_by_role("heading", level=1)).to_have_text(said("web_login_title"))
    assert session_cookies(page.context) == []
    page.goto("/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login$"))


@covers("/ui/", "POST /ui/logout")
def test_a_logout_with_a_forged_token_is_refused_on_an_error_page_and_keeps_the_session(
        log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/")
    page.locator("form.logout input[name=csrf]").evaluate("input => input.value = 'forged'")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.get_by_role("button", name=said("web_logout")).click()
    assert answered.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(said("web_error_heading"))
    expect(page.get_by_role("alert")).to_have_text(said("websession_csrf_refused"))
    assert structure_problems(page) == []
    page.goto("/ui/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("web_dashboard_title", organisation="A"))
