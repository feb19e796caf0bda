"""The dashboard in a real browser: per tenant and role, its "what changed" section
refreshed by htmx, the ja/en switch, the keyboard's path through it, and what a screen
reader needs."""

from __future__ import annotations

import re

import pytest
from browsing import LogIn, covers, focus_is_visible, focused_name, said, structure_problems
from playwright.sync_api import expect

from cpstrust.messages import Lang
from cpstrust.model.identity import Role


@covers("/ui/")
@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST, Role.AUDITOR])
def test_every_reading_role_sees_its_organisations_dashboard(log_in: LogIn,
                                                             role: Role) -> None:
    page = log_in("A", role)
    page.goto("/ui/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("web_dashboard_title", organisation="A"))
    for section in ("web_by_severity", "web_widespread", "web_devices", "web_changes"):
        expect(page.get_by_role("heading", level=2, name=said(section))).to_be_visible()
    total = page.locator("#severity-heading ~ table tfoot td")
    assert int(total.inner_text()) > 0  # A's products have open findings
    assert structure_problems(page) == []


@covers("/ui/")
def test_an_uploader_is_told_on_a_page_that_it_reads_nothing_and_may_log_out(
        log_in: LogIn) -> None:
    page = log_in("A", Role.UPLOADER)
    answer = page.goto("/ui/")
    assert answer is not None and answer.status == 403
    assert answer.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("alert")).to_have_text(
        said("tenancy_role_forbids", role="uploader", action="read"))
    expect(page.get_by_role("button", name=said("web_logout"))).to_be_visible()
    assert structure_problems(page) == []


@covers("/ui/")
def test_a_buyer_sees_the_granted_product_and_nothing_else_of_its_supplier(
        log_in: LogIn) -> None:
    page = log_in("X", Role.AUDITOR)
    page.goto("/ui/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("a-hub")
    expect(main).not_to_contain_text("a-gw")
    expect(main).not_to_contain_text("b-gw")
    other = log_in("Y", Role.AUDITOR)
    other.goto("/ui/")
    expect(other.get_by_role("main")).to_contain_text(said("web_none_open"))
    expect(other.get_by_role("main")).not_to_contain_text("a-hub")


@covers("/ui/", "/ui/changes")
def test_refresh_replaces_the_changes_section_in_place_through_htmx(log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/")
    # Marks that a reload would lose: the window's, and the section's to be replaced.
    page.evaluate("() => { window.stayed = true; "
                  "document.getElementById('changes').dataset.old = 'yes'; }")
    with page.expect_response("**/ui/changes") as answered:
        page.get_by_role("button", name=said("web_refresh")).click()
    assert answered.value.status == 200
    assert answered.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#changes:not([data-old])")).to_have_count(1)
    expect(page.get_by_role("heading", level=2, name=said("web_changes"))).to_be_visible()
    assert page.evaluate("() => window.stayed === true")
    assert structure_problems(page) == []


@covers("/ui/")
def test_the_language_switch_turns_the_page_japanese_and_is_remembered(
        log_in: LogIn) -> None:
    page = log_in("A", Role.AUDITOR)
    page.goto("/ui/")
    page.get_by_role("link", name="日本語").click()
    page.wait_for_url(re.compile(r"lang=ja"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("web_dashboard_title", Lang.JA, organisation="A"))
    assert structure_problems(page) == []
    page.goto("/ui/")  # no lang in the address: the switch's cookie speaks
    expect(page.get_by_role("button", name=said("web_logout", Lang.JA))).to_be_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("web_dashboard_title", organisation="A"))


@covers("/ui/", "/ui/login")
def test_a_japanese_browser_gets_japanese_pages_without_the_switch(log_in: LogIn) -> None:
    page = log_in("B", Role.AUDITOR, lang="ja")
    page.goto("/ui/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("heading", level=2, name=said("web_by_severity", Lang.JA))
           ).to_be_visible()
    page.context.clear_cookies()
    page.goto("/ui/login")
    expect(page.get_by_role("heading", level=1)).to_have_text(said("web_login_title",
                                                                   Lang.JA))
    expect(page.get_by_label(said("web_login_password", Lang.JA))).to_be_visible()
    assert structure_problems(page) == []


@covers("/ui/")
def test_the_tab_key_reaches_every_control_in_reading_order_with_a_visible_focus(
        log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/")
    reached: list[str] = []
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break
        assert focus_is_visible(page), f"no visible focus on {focused_name(page)}"
        reached.append(focused_name(page))
    expected = [f"a: {said('web_skip_to_content')}", f"a: {said('web_dashboard')}",
                "a: English", "a: 日本語", f"button: {said('web_logout')}",
                f"button: {said('web_refresh')}"]
    # In this order, whatever else the page offers between them.
    assert [name for name in reached if name in expected] == expected, reached


@covers("/ui/")
def test_the_skip_link_shows_when_focused_and_moves_the_focus_to_the_content(
        log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/")
    skip = page.get_by_role("link", name=said("web_skip_to_content"))
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen, not off it
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
