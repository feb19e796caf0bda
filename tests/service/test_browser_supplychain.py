"""The supply chain in a real browser: the graph drawn by Cytoscape.js from
``/ui/graph.json`` and a node clicked open, the same graph as a list followed by the
keyboard to a product and a release, a finding's status changed through the release
page's form, and another tenant's pages not found."""

from __future__ import annotations

import re

from browsing import LogIn, covers, product_page_of, said, structure_problems
from playwright.sync_api import Locator, Page, expect

from cpstrust.model.identity import Role

# The Cytoscape instance the page's script made (kept on its container by the library).
GRAPH = "document.getElementById('graph')._cyreg.cy"


def first_decidable_finding(page: Page, product: str) -> tuple[Locator, str]:
    """On the page of ``product`` 1.0, reached through the graph's list and the product
    page: the first finding's row with a status form, and its id."""
    page.goto(product_page_of(page, product))
    page.get_by_role("link", name="1.0", exact=True).click()
    row = page.locator("tr[id^=finding-]").filter(has=page.locator("form")).first
    finding = row.get_attribute("id")
    assert finding is not None
    return row, finding


@covers("/ui/graph", "/ui/graph.json", "/ui/products/{product_id}")
def test_the_graph_is_drawn_and_clicking_a_product_node_opens_its_page(
        log_in: LogIn) -> None:
    page = log_in("A", Role.AUDITOR)
    page.goto("/ui/graph")
    expect(page.get_by_role("heading", level=1)).to_have_text(said("pages_graph_title"))
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    labels = page.evaluate(f"{GRAPH}.nodes().map(n => n.data('label'))")
    assert {"A", "a-hub", "a-gw"} <= set(labels) and "b-gw" not in labels
    assert structure_problems(page) == []
    target = page.evaluate(f"""() => {{
      const node = {GRAPH}.nodes("[kind = 'product'][label = 'a-hub']")[0];
      const box = document.getElementById('graph').getBoundingClientRect();
      const at = node.renderedPosition();
      return {{x: box.x + at.x, y: box.y + at.y, href: node.data('href')}};
    }}""")
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(f"**{target['href']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_product_title", product="a-hub"))


@covers("/ui/", "/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}")
def test_the_keyboard_follows_the_list_from_the_header_to_a_release(log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/")
    page.get_by_role("link", name=said("pages_nav_graph")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/ui/graph")
    page.get_by_role("link", name="a-hub", exact=True).first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_product_title", product="a-hub"))
    assert structure_problems(page) == []
    page.get_by_role("link", name="1.0", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_release_title", product="a-hub", version="1.0"))
    expect(page.locator("ol.path").first).to_be_visible()  # a dependency path
    assert structure_problems(page) == []


@covers("/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}",
        "POST /ui/findings/{finding_id}/status")
def test_a_finding_s_status_changed_in_the_form_is_shown_with_its_note(
        log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    row, finding = first_decidable_finding(page, "a-gw")
    row.get_by_role("combobox").select_option("not_affected")
    row.get_by_label(said("pages_note")).fill("not reachable in our build")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        row.get_by_role("button", name=said("pages_save")).click()
    assert answered.value.status == 303
    page.wait_for_url(re.compile(rf"#{finding}$"))
    changed = page.locator(f"tr#{finding}")
    expect(changed).to_contain_text(said("pages_status_not_affected"))
    expect(changed).to_contain_text("not reachable in our build")


@covers("/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}",
        "POST /ui/findings/{finding_id}/status")
def test_a_status_form_with_a_forged_token_is_refused_and_changes_nothing(
        log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    row, finding = first_decidable_finding(page, "a-hub")
    release = page.url
    before = row.locator("td").nth(3).inner_text()
    row.locator("input[name=csrf]").evaluate("input => input.value = 'forged'")
    row.get_by_role("combobox").select_option("fixed")
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        row.get_by_role("button", name=said("pages_save")).click()
    assert answered.value.status == 403
    expect(page.get_by_role("alert")).to_have_text(said("websession_csrf_refused"))
    page.goto(release)
    expect(page.locator(f"tr#{finding} td").nth(3)).to_have_text(before)


@covers("/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}")
def test_a_buyer_reads_a_granted_release_without_a_form_and_another_buyer_finds_nothing(
        log_in: LogIn) -> None:
    buyer = log_in("X", Role.AUDITOR)
    product = product_page_of(buyer, "a-hub")
    buyer.goto(product)
    buyer.get_by_role("link", name="1.0", exact=True).click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text(
        said("pages_release_title", product="a-hub", version="1.0"))
    expect(buyer.locator("form.decide")).to_have_count(0)
    release = buyer.url
    stranger = log_in("Y", Role.ADMIN)
    for address in (product, release):
        answer = stranger.goto(address)
        assert answer is not None and answer.status == 404
        expect(stranger.get_by_role("heading", level=1)).to_have_text(
            said("web_error_heading"))
        expect(stranger.get_by_role("main")).not_to_contain_text("a-hub")
        assert structure_problems(stranger) == []
