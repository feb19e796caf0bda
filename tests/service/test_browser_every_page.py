"""Every page of the web UI, in Japanese and in English, read by the browser: the page's
language, one h1, the landmarks, labelled fields, captions, scoped headers, no id used
twice, and no script or console error (the fixtures'). A buyer sees the most pages: its
granted product, its release, an advisory's impact and the devices at its site."""

from __future__ import annotations

import pytest
from browsing import LogIn, covers, product_page_of, structure_problems
from playwright.sync_api import Page

from cpstrust.model.identity import Role


def pages_of_a_buyer(page: Page) -> list[str]:
    """The address of every page X's admin can reach, found by following links."""
    product = product_page_of(page, "a-hub")
    page.goto(product)
    release = page.locator("a[href^='/ui/releases/']").first.get_attribute("href")
    assert release is not None
    page.goto(release)
    advisory = page.locator("a[href^='/ui/advisories/']").first.get_attribute("href")
    assert advisory is not None
    return ["/ui/", "/ui/graph", product, release, advisory, "/ui/devices/x-hub-1",
            "/ui/upload", "/ui/jobs"]


@covers("/ui/", "/ui/graph", "/ui/products/{product_id}", "/ui/releases/{release_id}",
        "/ui/advisories/{identifier:path}", "/ui/devices/{name:path}", "/ui/upload",
        "/ui/jobs", "/ui/login")
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_passes_the_structure_checks_in_each_language(log_in: LogIn,
                                                                 lang: str) -> None:
    page = log_in("X", Role.ADMIN)
    problems = {}
    for address in [*pages_of_a_buyer(page), "/ui/login"]:
        answer = page.goto(f"{address}?lang={lang}")
        assert answer is not None and answer.status == 200, address
        assert page.locator("html").get_attribute("lang") == lang
        problems[address] = structure_problems(page)
    assert problems == {address: [] for address in problems}
