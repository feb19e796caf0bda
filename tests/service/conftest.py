"""The service's fixtures: the four tenants of ``tenants.py``, a client of the API, and
for the browser tests the service on a port and Debian's chromium (``browsing.py``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from browsing import PASSWORD, LogIn, RouteLog, WebServer, route_name
from fastapi.testclient import TestClient
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
)
from tenants import Tenants, populate
from threaded_server import free_port, serving

from cpstrust.app import websessions
from cpstrust.app.services import Services
from cpstrust.model.identity import Role
from cpstrust.service.api import ServiceSettings, create_app
from cpstrust.service.web import SESSION_COOKIE, UI
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from databases import closed_sqlite_file, copied_sqlite_url, fresh_postgres_url


@dataclass(frozen=True, slots=True)
class Populated:
    """A database ``populate`` filled once, closed, and the keys it made: each test gets
    a copy (``populate`` costs 1.5–2 s of CPU, a copy milliseconds)."""

    copy: Callable[[Path], str]  # a new database like it (the test's directory) -> its URL
    keys: dict[tuple[str, Role], str]
    operator_key: str


def _populate(url: str, home: Path) -> Tenants:
    store = Store.open(url)
    try:
        return populate(Services(Settings(home=home, database_url=url), store=store))
    finally:
        store.close()


@pytest.fixture(scope="session")
def populated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Populated:
    base = tmp_path_factory.mktemp("populated")
    made = _populate(f"sqlite:///{base / 'cpstrust.db'}", base / "home")
    template = closed_sqlite_file(base / "cpstrust.db")
    return Populated(partial(copied_sqlite_url, template), made.keys, made.operator_key)


@pytest.fixture(scope="session")
def populated_postgresql(postgres_server: str,
                         tmp_path_factory: pytest.TempPathFactory) -> Populated:
    url = fresh_postgres_url(postgres_server)
    made = _populate(url, tmp_path_factory.mktemp("populated") / "home")
    template = url.rsplit("/", 1)[1]
    return Populated(lambda _directory: fresh_postgres_url(postgres_server, template),
                     made.keys, made.operator_key)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The service's tests run on SQLite and on a real PostgreSQL, each on a copy of the
    tenants' database (``tenants.py``)."""
    populated: Populated = request.getfixturevalue(f"populated_{request.param}")
    return populated.copy(tmp_path)


@pytest.fixture
def tenants(services: Services, request: pytest.FixtureRequest) -> Tenants:
    """The five tenants, in the test's own copy of their database."""
    dialect = services.store.engine.dialect.name
    populated: Populated = request.getfixturevalue(f"populated_{dialect}")
    return Tenants(services, populated.keys, populated.operator_key)


@pytest.fixture
def client(tenants: Tenants, tmp_path: Path) -> Iterator[TestClient]:
    settings = ServiceSettings(upload_dir=tmp_path)
    with TestClient(create_app(tenants.services, settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def web_server(tmp_path_factory: pytest.TempPathFactory,
               populated_sqlite: Populated) -> Iterator[WebServer]:
    """The real service on 127.0.0.1 (uvicorn in a thread, SQLite) with the four tenants,
    for the browser tests; ``log_in`` adds the web users it needs."""
    base = tmp_path_factory.mktemp("web")
    store = Store.open(populated_sqlite.copy(base))
    services = Services(Settings(home=base / "home", database_url=str(store.engine.url)),
                        store=store)
    tenants = Tenants(services, populated_sqlite.keys, populated_sqlite.operator_key)
    app = create_app(services, ServiceSettings(upload_dir=base))
    log = RouteLog(app)
    port = free_port()
    with serving(log, port, lifespan="off", ws="none"):
        yield WebServer(f"http://127.0.0.1:{port}", tenants, app, log)
    store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright: one per module, since the sync
    API holds an event loop in the main thread while it runs (asyncio.run elsewhere in
    the module would fail); a browser test module holds browser tests only."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium not found: scripts/setup-env.sh test installs Debian's "
                    "chromium, which the web UI's tests drive")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


class Contexts:
    """The browser contexts a test opened, each watched for script errors and console
    errors (a refused script or style shows there), closed and checked at its end."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.opened: list[BrowserContext] = []
        self.errors: list[str] = []

    def new(self, lang: str = "en") -> BrowserContext:
        context = self.browser.new_context(base_url=self.base_url,
                                           locale="ja-JP" if lang == "ja" else "en-US")
        context.on("weberror", lambda error: self.errors.append(f"script: {error.error}"))
        context.on("console", self._console)
        context.on("response", self._response)
        context.on("requestfailed", self._failed)
        self.opened.append(context)
        return context

    def _console(self, msg: ConsoleMessage) -> None:
        # Chromium logs every answer over 399 so, pages included; _response judges those.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {msg.text}")

    def _response(self, response: Response) -> None:
        # A page's status is the test's to judge; a style, script or icon must load.
        kind = response.request.resource_type
        if response.status >= 400 and kind not in {"document", "fetch", "xhr"}:
            self.errors.append(f"{kind} {response.url}: {response.status}")

    def _failed(self, request: Request) -> None:
        # A request the page's own navigation cut short (an icon still loading when a
        # test clicks on) is aborted, not failed.
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed: {request.url} ({request.failure})")

    def close(self) -> list[str]:
        for context in self.opened:
            context.close()
        return self.errors


@pytest.fixture
def browser_contexts(chromium: Browser, web_server: WebServer) -> Iterator[Contexts]:
    contexts = Contexts(chromium, web_server.base_url)
    yield contexts
    errors = contexts.close()
    assert not errors, f"the browser reported errors: {errors}"


@pytest.fixture
def browser_page(browser_contexts: Contexts) -> Page:
    """A page of a fresh context speaking English, logged in as nobody."""
    return browser_contexts.new().new_page()


@pytest.fixture
def log_in(browser_contexts: Contexts, web_server: WebServer) -> LogIn:
    """``log_in(org, role)``: a page of a fresh context holding a session of that
    organisation's user with that role (opened through the login use case, as the form
    does; the form itself has tests of its own). ``lang`` is the browser's language."""

    def logged_in(org: str = "A", role: Role = Role.ADMIN, *, lang: str = "en") -> Page:
        opened = websessions.login(web_server.tenants.services, web_server.user(org, role),
                                   PASSWORD, "browser-test", datetime.now(UTC))
        context = browser_contexts.new(lang)
        context.add_cookies([{"name": SESSION_COOKIE, "value": opened.token,
                              "domain": "127.0.0.1", "path": UI, "httpOnly": True,
                              "sameSite": "Lax"}])
        return context.new_page()

    return logged_in


@pytest.fixture(autouse=True)
def _browser_opened_what_it_covers(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``@covers(route, ...)`` fails unless the browser requested each of
    those routes while it ran: the guard's list of covered pages stays true."""
    marker = request.node.get_closest_marker("covers")
    if marker is None:
        yield
        return
    server: WebServer = request.getfixturevalue("web_server")
    before = len(server.log.seen)
    yield
    requested = {route_name(method, path) for method, path in server.log.seen[before:]}
    missing = set(marker.args) - requested
    assert not missing, f"marked @covers but never opened in the browser: {sorted(missing)}"
