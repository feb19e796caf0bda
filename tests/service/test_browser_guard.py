"""The guard: every route of the web UI (its pages, and the targets of its forms) has a
browser test (a test of ``tests/service`` marked ``@covers(route)``, which fails unless
the browser requested it); every operation of the API has its example in
``test_browser_api.py``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from browsing import WebServer, ui_routes

HERE = Path(__file__).parent


def browser_test_modules() -> Iterator[ModuleType]:
    # The names pytest gives them (their directory is on sys.path, no package): a module
    # already collected is the same object, one not collected in this run is imported.
    for path in sorted(HERE.glob("test_*.py")):
        yield importlib.import_module(path.stem)


def covered_routes() -> dict[str, list[str]]:
    """Each route a browser test declares, with the tests that declare it."""
    covered: dict[str, list[str]] = {}
    for module in browser_test_modules():
        for name, test in vars(module).items():
            if not name.startswith("test_") or not callable(test):
                continue
            for mark in getattr(test, "pytestmark", ()):
                if mark.name == "covers":
                    for route in mark.args:
                        covered.setdefault(route, []).append(f"{module.__name__}::{name}")
    return covered


def test_every_ui_route_has_a_browser_test(web_server: WebServer) -> None:
    routes = ui_routes(web_server.app)
    assert {"/ui/", "/ui/login", "POST /ui/login"} <= routes  # the enumeration sees the UI
    missing = routes - covered_routes().keys()
    assert not missing, (f"UI routes without a browser test: {sorted(missing)}; add one "
                         "marked @covers(route) (tests/service/browsing.py)")


def test_no_browser_test_claims_a_route_the_app_does_not_have(web_server: WebServer) -> None:
    stale = {route: tests for route, tests in covered_routes().items()
             if route not in ui_routes(web_server.app)}
    assert not stale, f"@covers names routes that are not the UI's: {stale}"
