"""The SBOM upload page in a real browser: a file chosen and sent by an analyst and by an
uploader (who may send but not read), a file that is no SBOM, and a forged token."""

from __future__ import annotations

from browsing import LogIn, covers, follow_header_link, said, send_form, structure_problems
from playwright.sync_api import Page, expect
from tenants import GATEWAY_SBOM, HUB_SBOM

from cpstrust.model.identity import Role


def send(page: Page, product: str, version: str, content: bytes, name: str) -> int:
    """Fill the upload form and send it; the status of the page that answered."""
    page.get_by_label(said("web_product")).fill(product)
    page.get_by_label(said("web_version")).fill(version)
    page.get_by_label(said("pages_upload_file")).set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": content}])
    return send_form(page, said("pages_upload_submit"))


@covers("/ui/", "/ui/upload", "/ui/releases/{release_id}", "POST /ui/upload")
def test_an_analyst_uploads_from_the_header_link_and_opens_the_release(log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    follow_header_link(page, said("pages_nav_upload"), "/ui/upload",
                       said("pages_upload_title"))
    assert structure_problems(page) == []
    assert send(page, "a-uploaded", "2.0", HUB_SBOM.read_bytes(), HUB_SBOM.name) == 201
    expect(page.get_by_role("status")).to_contain_text("a-uploaded 2.0")
    assert structure_problems(page) == []
    page.get_by_role("link", name=said("pages_upload_open_release")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        said("pages_release_title", product="a-uploaded", version="2.0"))


@covers("/ui/upload", "POST /ui/upload")
def test_an_uploader_sends_an_sbom_but_is_offered_nothing_to_read(log_in: LogIn) -> None:
    page = log_in("B", Role.UPLOADER)
    page.goto("/ui/upload")
    assert send(page, "b-uploaded", "1.0", GATEWAY_SBOM.read_bytes(), GATEWAY_SBOM.name) == 201
    expect(page.get_by_role("status")).to_contain_text("b-uploaded 1.0")
    expect(page.get_by_role("link", name=said("pages_upload_open_release"))).to_have_count(0)


@covers("/ui/upload", "POST /ui/upload")
def test_a_file_that_is_no_sbom_is_refused_beside_the_form(log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/upload")
    assert send(page, "a-broken", "1.0", b'{"not": "an sbom"}', "broken.json") == 400
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    assert structure_problems(page) == []


@covers("/ui/upload", "POST /ui/upload")
def test_an_upload_with_a_forged_token_is_refused_and_stores_nothing(log_in: LogIn) -> None:
    page = log_in("A", Role.ANALYST)
    page.goto("/ui/upload")
    page.locator("main input[name=csrf]").evaluate("input => input.value = 'forged'")
    assert send(page, "a-forged", "1.0", HUB_SBOM.read_bytes(), HUB_SBOM.name) == 403
    expect(page.get_by_role("alert")).to_have_text(said("websession_csrf_refused"))
    page.goto("/ui/graph")
    expect(page.get_by_role("main")).not_to_contain_text("a-forged")
