"""What the browser tests share: the real service served by uvicorn on 127.0.0.1, the
routes it answered, the ``covers`` marker a browser test names its pages with, and the
checks every page must pass in the browser (language, one h1, landmarks, labels).

The fixtures built on these live in ``conftest.py`` (``web_server``, ``chromium``,
``browser_page``, ``log_in``). A browser test declares the page routes it exercises::

    @covers("/ui/")
    def test_dashboard_...(log_in: LogIn) -> None: ...

(a form's target as ``"POST /ui/upload"``) and fails unless the browser requested each
of them during the test; ``test_browser_guard.py`` fails when a route of the UI has no
such test.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from playwright.sync_api import Page, expect
from tenants import OPERATOR, USERS, Tenants

from cpstrust.app.identity import create_user
from cpstrust.messages import Lang, message
from cpstrust.model.identity import Role

PASSWORD = "correct horse battery"

# @covers("/ui/", "POST /ui/upload", ...): the UI routes a browser test requests
covers = pytest.mark.covers

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def said(code: str, lang: Lang = Lang.EN, **facts: object) -> str:
    """The catalogue's text for ``code``: what a page shows, in ``lang``."""
    return message(code, **facts).text(lang)


def user_name(org: str, role: Role) -> str:
    """The web user of ``org`` with ``role`` (``admin-A`` is the one ``populate`` made)."""
    return f"{role.value}-{org}"


class LogIn(Protocol):
    """``log_in("A", Role.AUDITOR)``: a page in a fresh browser context, logged in."""

    def __call__(self, org: str = "A", role: Role = Role.ADMIN, *,
                 lang: str = "en") -> Page: ...


class RouteLog:
    """ASGI middleware noting the route template of every request a browser made (the
    user agent says HeadlessChrome), before the answer leaves: a test holding its page
    holds the note too."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.seen: list[tuple[str, str]] = []  # (method, route path template)
        # The request's scope names the route as its router declared it (``/login``);
        # the app's route contexts know where it was included (``/ui/login``).
        self.full_paths = {id(context.original_route): context.path
                           for context in iter_route_contexts(app.routes)}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        agent = dict(scope.get("headers", ())).get(b"user-agent", b"")
        if scope["type"] != "http" or b"HeadlessChrome" not in agent:
            await self.app(scope, receive, send)
            return

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                route = self.full_paths.get(id(scope.get("route")), scope["path"])
                self.seen.append((scope["method"], route))
            await send(message)

        await self.app(scope, receive, noting)


@dataclass(frozen=True, slots=True)
class WebServer:
    """The running service: where it listens, its tenants, and what it answered."""

    base_url: str
    tenants: Tenants
    app: FastAPI
    log: RouteLog
    users: set[tuple[str, Role]] = field(default_factory=set)  # the web users made

    def user(self, org: str, role: Role) -> str:
        """The name of ``org``'s web user with ``role``, made on first use (a password
        hash costs a tenth of a second or more: only the users the tests log in as)."""
        made_by_populate = role is Role.ADMIN and org in (*USERS, OPERATOR)
        if (org, role) not in self.users and not made_by_populate:
            create_user(self.tenants.services, user_name(org, role), org, role, PASSWORD,
                        datetime.now(UTC))
        self.users.add((org, role))
        return user_name(org, role)


def ui_routes(app: FastAPI) -> set[str]:
    """Every route of the web UI, as ``@covers`` names them: a page (GET) by its path,
    a form's target as ``"POST <path>"``. The UI's are the routes outside the OpenAPI
    document (the API's are in it; ``/openapi.json`` itself is no page)."""
    routes = set()
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and not context.include_in_schema:
            routes |= {route_name(method, context.path) for method in context.methods or ()}
    return routes


def route_name(method: str, path: str) -> str:
    return path if method == "GET" else f"{method} {path}"


# One script, so that a page's structure is read at one moment: what is wrong with it,
# as sentences (empty when nothing is).
_STRUCTURE_PROBLEMS = """() => {
  const problems = [];
  const lang = document.documentElement.getAttribute("lang");
  if (!["en", "ja"].includes(lang)) problems.push(`html lang is ${lang}`);
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} h1 elements, not one`);
  for (const landmark of ["header", "nav", "main"]) {
    if (document.querySelectorAll(landmark).length !== 1) problems.push(`not one ${landmark}`);
  }
  for (const nav of document.querySelectorAll("nav")) {
    if (!nav.getAttribute("aria-label")) problems.push("a nav without aria-label");
  }
  if (!document.title.trim()) problems.push("no title");
  const fields = document.querySelectorAll("input:not([type=hidden]), select, textarea");
  for (const input of fields) {
    const labelled = (input.labels && input.labels.length > 0)
      || input.getAttribute("aria-label") || input.getAttribute("aria-labelledby");
    if (!labelled) problems.push(`unlabelled ${input.tagName} ${input.name || input.id}`);
  }
  for (const button of document.querySelectorAll("button, a[href]")) {
    const named = button.textContent.trim() || button.getAttribute("aria-label");
    if (!named) problems.push(`a ${button.tagName} without a name`);
  }
  for (const image of document.querySelectorAll("img")) {
    if (!image.hasAttribute("alt")) problems.push(`an img without alt: ${image.src}`);
  }
  for (const table of document.querySelectorAll("table")) {
    if (!table.querySelector("caption")) problems.push("a table without a caption");
  }
  for (const th of document.querySelectorAll("th")) {
    if (!["col", "row"].includes(th.getAttribute("scope"))) problems.push("a th without scope");
  }
  const ids = [...document.querySelectorAll("[id]")].map(e => e.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) problems.push(`ids used twice: ${twice.join(", ")}`);
  return problems;
}"""


def product_page_of(page: Page, product: str) -> str:
    """The address of ``product``'s page, from the graph's list on ``/ui/graph``."""
    page.goto("/ui/graph")
    link = page.get_by_role("link", name=product, exact=True).first
    href = link.get_attribute("href")
    assert href is not None and re.fullmatch(r"/ui/products/\d+", href)
    return href


def send_form(page: Page, button: str) -> int:
    """Click the button named ``button``; the HTTP status of the answer to its form (a
    redirect's, when it redirects), once the page that follows has loaded."""
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    return answered.value.status


def follow_header_link(page: Page, link: str, path: str, heading: str) -> None:
    """From the dashboard, the header's ``link`` to ``path``, whose h1 says ``heading``."""
    page.goto("/ui/")
    page.get_by_role("link", name=link).click()
    page.wait_for_url(f"**{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def structure_problems(page: Page) -> list[str]:
    """What a screen reader or a keyboard user would miss on the page shown."""
    problems: list[str] = page.evaluate(_STRUCTURE_PROBLEMS)
    return problems


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element is drawn with a focus ring (an outline or a shadow)."""
    visible: bool = page.evaluate("""() => {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      const style = getComputedStyle(el);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      return outline || style.boxShadow !== "none";
    }""")
    return visible


def focused_name(page: Page) -> str:
    """The focused element as ``tag: text`` (its value or name when it has no text)."""
    name: str = page.evaluate("""() => {
      const el = document.activeElement;
      const text = (el.textContent || "").trim() || el.getAttribute("name") || el.id;
      return `${el.tagName.toLowerCase()}: ${text}`;
    }""")
    return name
