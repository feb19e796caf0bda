"""The web UI: logging in and out, the login's rate limit, CSRF, session expiry, the
dashboard per tenant in both languages, and what a screen reader needs in the HTML."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from tenants import Tenants

from cpstrust.app.websessions import LoginPolicy, current_session, login
from cpstrust.errors import AuthenticationError
from cpstrust.model.identity import Role

PASSWORD = "correct horse battery"


def login_form(client: TestClient) -> str:
    """The login page's CSRF token (its cookie is now held by the client)."""
    page = client.get("/ui/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def log_in(client: TestClient, user: str, password: str = PASSWORD) -> int:
    token = login_form(client)
    answer = client.post("/ui/login", data={"user": user, "password": password,
                                            "csrf": token}, follow_redirects=False)
    return answer.status_code


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_login_opens_a_session_with_a_protected_cookie(client: TestClient) -> None:
    token = login_form(client)
    answer = client.post("/ui/login", data={"user": "admin-A", "password": PASSWORD,
                                            "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/"
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith("cpst_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie  # plain HTTP here; see the TLS test
    page = client.get("/ui/")
    assert page.status_code == 200 and "admin-A" in page.text


def test_session_cookie_is_secure_over_tls(tenants: Tenants) -> None:
    from cpstrust.service.api import create_app

    with TestClient(create_app(tenants.services), base_url="https://testserver") as tls:
        token = login_form(tls)
        answer = tls.post("/ui/login", data={"user": "admin-A", "password": PASSWORD,
                                             "csrf": token}, follow_redirects=False)
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith("cpst_session="))
    assert "Secure" in cookie


def test_login_refuses_a_wrong_password_and_an_unknown_user_alike(client: TestClient) -> None:
    wrong = client.post("/ui/login", data={"user": "admin-A", "password": "nope",
                                           "csrf": login_form(client)})
    unknown = client.post("/ui/login", data={"user": "nobody", "password": "nope",
                                             "csrf": login_form(client)})
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert "the user name or the password is wrong" in answer.text
        assert not any(c.startswith("cpst_session=")
                       for c in answer.headers.get_list("set-cookie"))
    assert client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/login"


def test_login_is_refused_with_429_after_too_many_failures_even_with_the_password(
        client: TestClient) -> None:
    for _ in range(LoginPolicy().max_user_failures):
        assert log_in(client, "admin-A", "wrong password!") == 401
    assert log_in(client, "admin-A") == 429
    assert log_in(client, "admin-B") == 303  # another user from the same client still may


def test_login_is_refused_with_429_after_too_many_failures_from_one_client(
        client: TestClient) -> None:
    for n in range(LoginPolicy().max_client_failures):
        assert log_in(client, f"guess-{n}", "wrong password!") == 401
    assert log_in(client, "admin-B") == 429


def test_failures_are_counted_in_the_store_so_every_worker_agrees(tenants: Tenants) -> None:
    from cpstrust.service.api import create_app

    first, second = (TestClient(create_app(tenants.services)) for _ in range(2))
    for n in range(LoginPolicy().max_user_failures):
        assert log_in(first if n % 2 else second, "admin-A", "wrong password!") == 401
    assert log_in(first, "admin-A") == 429 and log_in(second, "admin-A") == 429


@pytest.mark.parametrize("form", [
    {"user": "admin-A", "password": PASSWORD},  # no token
    {"user": "admin-A", "password": PASSWORD, "csrf": "forged"},
])
def test_login_refuses_a_missing_or_forged_csrf_token(client: TestClient,
                                                      form: dict[str, str]) -> None:
    login_form(client)
    answer = client.post("/ui/login", data=form, follow_redirects=False)
    assert answer.status_code in (400, 403)
    assert not any(c.startswith("cpst_session=") for c in answer.headers.get_list("set-cookie"))


def test_login_refuses_a_field_given_twice(client: TestClient) -> None:
    token = login_form(client)
    body = f"user=admin-A&user=admin-B&password=x&csrf={token}"
    answer = client.post("/ui/login", content=body,
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400 and "exactly one of each field" in answer.text


def test_logout_needs_the_session_csrf_token_and_then_ends_the_session(
        client: TestClient) -> None:
    assert log_in(client, "admin-A") == 303
    page = client.get("/ui/")
    refused = client.post("/ui/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/ui/").status_code == 200  # still logged in
    cookie = client.cookies.get("cpst_session")
    done = client.post("/ui/logout", data={"csrf": csrf_of(page.text)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/ui/login"
    client.cookies.set("cpst_session", cookie or "", path="/ui")  # a copied cookie
    assert client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/login"


def test_an_expired_session_opens_nothing(client: TestClient, tenants: Tenants) -> None:
    long_ago = datetime.now(UTC) - timedelta(hours=9)
    opened = login(tenants.services, "admin-A", PASSWORD, "testclient", long_ago)
    with pytest.raises(AuthenticationError, match="expired"):
        current_session(tenants.services, opened.token, datetime.now(UTC))
    client.cookies.set("cpst_session", opened.token, path="/ui")
    assert client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/login"


def dashboard_of(client: TestClient, org: str) -> str:
    client.cookies.clear()
    assert log_in(client, f"admin-{org}") == 303
    page = client.get("/ui/")
    assert page.status_code == 200
    return page.text


def test_each_tenant_dashboard_shows_only_what_it_may_see(client: TestClient,
                                                          tenants: Tenants) -> None:
    a, b, x, y = (dashboard_of(client, org) for org in ("A", "B", "X", "Y"))
    assert "a-hub" in a and "a-gw" in a and "b-gw" not in a
    assert "b-gw" in b and "a-hub" not in b and "a-gw" not in b
    assert "a-hub" in x and "a-gw" not in x and "b-gw" not in x  # granted a-hub only
    assert "a-hub" not in y and "a-gw" not in y and "b-gw" not in y
    assert "No open findings." in y and "No open findings." not in a


def test_dashboard_numbers_are_the_api_dashboard_numbers(client: TestClient,
                                                         tenants: Tenants) -> None:
    for org in ("A", "B", "X"):
        page = dashboard_of(client, org)
        api = client.get("/api/v1/dashboard", headers=tenants.auth(org, Role.AUDITOR)).json()
        total = sum(c["findings"] for c in api["by_severity"])
        opened = client.get("/api/v1/findings?status=open&limit=500",
                            headers=tenants.auth(org, Role.AUDITOR)).json()["items"]
        assert total == len(opened) > 0
        assert re.search(rf'<td class="num">{total}</td></tr></tfoot>', page)
        assert api["changes_by_kind"]["introduced"] > 0


def test_dashboard_in_japanese_from_the_switch_and_from_the_browser(
        client: TestClient) -> None:
    assert log_in(client, "admin-A") == 303
    japanese = client.get("/ui/?lang=ja")
    assert '<html lang="ja">' in japanese.text and "ダッシュボード" in japanese.text
    assert '<html lang="ja">' in client.get("/ui/").text  # the switch is remembered
    english = client.get("/ui/?lang=en")
    assert '<html lang="en">' in english.text and "Open findings by severity" in english.text
    client.cookies.delete("cpst_lang", path="/ui")
    browser = client.get("/ui/", headers={"accept-language": "ja,en;q=0.5"})
    assert "重大度別の未対応の検出事項" in browser.text


class Structure(HTMLParser):
    """What the accessibility checks read: tags with their attributes, label targets,
    and whether each table has a caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables = 0
        self.captions = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.tables += tag == "table"
        self.captions += tag == "caption"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_pages_have_landmarks_labels_captions_and_a_language(client: TestClient,
                                                             lang: str) -> None:
    login_page = client.get(f"/ui/login?lang={lang}").text
    assert log_in(client, "admin-A") == 303
    for html in (login_page, client.get(f"/ui/?lang={lang}").text):
        page = Structure()
        page.feed(html)
        names = [tag for tag, _ in page.tags]
        assert ("html", {"lang": lang}) in page.tags
        assert {"header", "nav", "main", "h1"} <= set(names)
        assert all(attrs.get("aria-label") for tag, attrs in page.tags if tag == "nav")
        labelled = {attrs.get("for") for tag, attrs in page.tags if tag == "label"}
        for tag, attrs in page.tags:
            if tag == "input" and attrs.get("type") != "hidden":
                assert attrs.get("id") in labelled
            if tag == "th":
                assert attrs.get("scope") in ("col", "row")
            if tag in ("script", "link"):
                assert (attrs.get("src") or attrs.get("href") or "").startswith("/ui/static/")
        assert page.tables == page.captions


def test_htmx_is_served_from_the_service_with_its_licence(client: TestClient) -> None:
    script = client.get("/ui/static/htmx/htmx.min.js")
    assert script.status_code == 200 and "htmx" in script.text
    assert "Zero-Clause BSD" in client.get("/ui/static/htmx/LICENSE").text


def test_changes_fragment_is_the_section_alone_and_needs_a_session(client: TestClient) -> None:
    assert client.get("/ui/changes", follow_redirects=False).status_code == 303
    assert log_in(client, "admin-A") == 303
    fragment = client.get("/ui/changes").text
    assert fragment.startswith('<section id="changes"') and "<html" not in fragment
