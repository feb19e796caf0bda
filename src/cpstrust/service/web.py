"""The web UI under ``/ui``: server-rendered pages (Jinja2, htmx served from
``/ui/static``), a browser session instead of a bearer key, and every number through
the same use cases as the API (``app.dashboard``, ``app.tenancy``).

A session is a cookie (HttpOnly, SameSite=Lax, Secure when the request came over TLS)
naming a row of the store (``app.websessions``); every form POST carries the session's
CSRF token, and the login form a token of its own held in a short cookie (double
submit), since there is no session yet to hold one.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from cpstrust.app import websessions
from cpstrust.app.dashboard import WIDESPREAD_SHOWN, dashboard
from cpstrust.errors import AuthenticationError, CpstrustError, TooManyAttemptsError
from cpstrust.messages import Lang, Message, message
from cpstrust.service.api import services_of
from cpstrust.service.problems import language_of, status_of
from cpstrust.service.routes import read_small_body

router = APIRouter(include_in_schema=False)

UI = "/ui"
SESSION_COOKIE = "cpst_session"
LOGIN_CSRF_COOKIE = "cpst_login_csrf"
LANG_COOKIE = "cpst_lang"
MAX_FORM = 8 * 1024  # bytes of a form: a user name, a password and a token
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# Nothing from elsewhere: scripts and styles of this origin only, never in a frame.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def templates() -> Any:
    """The page templates, autoescaped (built when the app is, not at import)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]))


@router.get("/login")
def login_page(request: Request) -> Response:
    return _login_form(request, HTTPStatus.OK, None)


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request, ("user", "password", "csrf"))
    if form is None:
        return _login_form(request, HTTPStatus.BAD_REQUEST, message(
            "websession_form_invalid", fields="user, password, csrf"))
    if not _same(request.cookies.get(LOGIN_CSRF_COOKIE), form["csrf"]):
        return _login_form(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"))
    client = request.client.host if request.client else "-"
    try:
        opened = await run_in_threadpool(websessions.login, services_of(request),
                                         form["user"], form["password"], client,
                                         datetime.now(UTC))
    except TooManyAttemptsError as refused:
        return _login_form(request, HTTPStatus.TOO_MANY_REQUESTS, refused.told())
    except AuthenticationError as refused:
        return _login_form(request, HTTPStatus.UNAUTHORIZED, refused.told())
    done = RedirectResponse(f"{UI}/", status_code=HTTPStatus.SEE_OTHER)
    done.set_cookie(SESSION_COOKIE, opened.token, httponly=True, samesite="lax",
                    secure=is_tls(request), path=UI,
                    max_age=int((opened.session.expires_at - datetime.now(UTC))
                                .total_seconds()))
    done.delete_cookie(LOGIN_CSRF_COOKIE, path=f"{UI}/login")
    return done


@router.post("/logout")
async def logout(request: Request) -> Response:
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    form = await read_form(request, ("csrf",))
    if form is None or not websessions.csrf_matches(session, form["csrf"]):
        return error_page(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"))
    token = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(websessions.logout, services_of(request), token)
    done = to_login()
    done.delete_cookie(SESSION_COOKIE, path=UI)
    return done


@router.get("/")
def dashboard_page(request: Request) -> Response:
    return _dashboard(request, "dashboard.html")


@router.get("/changes")
def changes_fragment(request: Request) -> Response:
    """The "what changed" section alone, for the page's refresh button (htmx)."""
    return _dashboard(request, "changes.html")


def _dashboard(request: Request, template: str) -> Response:
    session = session_of(request)
    if session is None:
        return to_login()
    try:
        board = dashboard(services_of(request), session.caller, datetime.now(UTC))
    except CpstrustError as refused:  # an uploader reads nothing: a page, not a problem
        return error_page(request, status_of(refused), refused.told(), session)
    return render_page(request, template, HTTPStatus.OK, session=session, board=board,
                 widespread_shown=WIDESPREAD_SHOWN)


def session_of(request: Request) -> websessions.WebSession | None:
    try:
        return websessions.current_session(services_of(request),
                                           request.cookies.get(SESSION_COOKIE),
                                           datetime.now(UTC))
    except AuthenticationError:
        return None


def to_login() -> RedirectResponse:
    return RedirectResponse(f"{UI}/login", status_code=HTTPStatus.SEE_OTHER)


def _login_form(request: Request, status: HTTPStatus, error: Message | None) -> Response:
    token = secrets.token_urlsafe(32)
    page = render_page(request, "login.html", status, session=None, error=error, csrf=token)
    page.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                    secure=is_tls(request), path=f"{UI}/login", max_age=3600)
    return page


def error_page(request: Request, status: HTTPStatus, error: Message,
               session: websessions.WebSession | None = None) -> Response:
    return render_page(request, "error.html", status, session=session, error=error)


def render_page(request: Request, template: str, status: HTTPStatus,
                **context: Any) -> Response:
    lang = _language(request)

    def say(code: str, **facts: object) -> str:
        return message(code, **facts).text(lang)

    def told(msg: Message) -> str:
        return msg.text(lang)

    env = request.app.state.templates
    html = env.get_template(template).render(lang=lang.value, t=say, told=told,
                                             path=request.url.path, ui=UI, **context)
    page = HTMLResponse(html, status_code=int(status), headers=SECURITY_HEADERS)
    chosen = request.query_params.get("lang")
    if chosen in {lang.value for lang in Lang}:
        page.set_cookie(LANG_COOKIE, chosen, samesite="lax", secure=is_tls(request), path=UI,
                        max_age=365 * 24 * 3600)
    return page


def _language(request: Request) -> Lang:
    """The ``lang`` of the switch's link, then the cookie it set, then the browser's."""
    for chosen in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in {lang.value for lang in Lang}:
            return Lang(chosen)
    return language_of(request.headers.get("accept-language"))


async def read_form(request: Request, fields: tuple[str, ...],
                    limit: int = MAX_FORM) -> dict[str, str] | None:
    """An urlencoded form of at most ``limit`` bytes with exactly one of each field and
    no other; None otherwise (two values for one name are ambiguous, and refused)."""
    try:
        body = await read_small_body(request, limit)
        parsed = parse_qs(body.decode("utf-8", errors="strict"), keep_blank_values=True,
                          strict_parsing=bool(body), max_num_fields=len(fields) + 1)
    except (CpstrustError, UnicodeDecodeError, ValueError):
        return None
    if set(parsed) != set(fields) or any(len(v) != 1 for v in parsed.values()):
        return None
    return {name: values[0] for name, values in parsed.items()}


def _same(expected: str | None, presented: str) -> bool:
    return expected is not None and secrets.compare_digest(expected.encode(),
                                                          presented.encode())


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"

