"""The impact page of an advisory and the device page in a real browser: from a
release's finding to the vulnerability's blast radius, on to a device at the buyer's
site and its attestation history; another buyer finds neither."""

from __future__ import annotations

from browsing import LogIn, covers, product_page_of, said, structure_problems
from playwright.sync_api import expect

from cpstrust.model.identity import Role


@covers("/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}",
        "/ui/advisories/{identifier:path}", "/ui/devices/{name:path}")
def test_a_buyer_follows_a_finding_to_its_impact_and_on_to_a_device_at_its_site(
        log_in: LogIn) -> None:
    page = log_in("X", Role.AUDITOR)
    page.goto(product_page_of(page, "a-hub"))
    page.get_by_role("link", name="1.0", exact=True).click()
    vulnerability = page.locator("#findings-heading ~ table a[href*='/ui/advisories/']").first
    identifier = vulnerability.inner_text()
    vulnerability.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_impact_title", vulnerability=identifier))
    assert structure_problems(page) == []
    page.get_by_role("link", name="x-hub-1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_device_title", device="x-hub-1"))
    expect(page.get_by_role("heading", level=2, name=said("pages_attestations"))
           ).to_be_visible()
    expect(page.locator("#attestations-heading ~ table tbody tr")).to_have_count(1)
    assert structure_problems(page) == []
    device, impact = page.url, f"/ui/advisories/{identifier}"
    stranger = log_in("Y", Role.AUDITOR)
    answer = stranger.goto(device)
    assert answer is not None and answer.status == 404
    expect(stranger.get_by_role("main")).not_to_contain_text("x-plant")
    stranger.goto(impact)
    expect(stranger.get_by_role("main")).not_to_contain_text("x-hub-1")
    assert structure_problems(stranger) == []
