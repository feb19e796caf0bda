"""The web UI's pages past the dashboard: the supply chain as a graph (and as a nested
list for the keyboard and screen readers), a product, a release with the status form of
each finding, a device, the impact of an advisory, and the SBOM upload. Each parses,
calls one use case for the session's caller (``app.browse``, ``app.tenancy``: the same
as the API's), and renders; an error is a page in the reader's language with the
status the API would answer.

Things are addressed by their ids, never by their names: a name may hold any
character, "/" included, and an id of another tenant's thing is simply not found.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from cpstrust.app import browse, tenancy, websessions
from cpstrust.errors import CpstrustError
from cpstrust.messages import message
from cpstrust.model.finding import FindingStatus
from cpstrust.service.api import services_of
from cpstrust.service.problems import status_of
from cpstrust.service.web import (
    SECURITY_HEADERS,
    UI,
    error_page,
    read_form,
    render_page,
    session_of,
    to_login,
)

router = APIRouter(include_in_schema=False)

Found = TypeVar("Found")
MAX_NOTE = 4096  # characters, as the API's PATCH /findings
MAX_STATUS_FORM = 64 * 1024  # bytes: a note of MAX_NOTE characters, each up to 4 bytes
# of UTF-8 and percent-encoded (3 characters a byte) would need 48 KiB


def _shown(request: Request, template: str,
           read: Callable[[websessions.WebSession], Found], **context: Any) -> Response:
    """The page of what ``read`` finds for the session's caller; the login page without
    a session; an error page with the API's status when the use case refuses."""
    session = session_of(request)
    if session is None:
        return to_login()
    try:
        found = read(session)
    except CpstrustError as refused:
        return error_page(request, status_of(refused), refused.told(), session)
    return render_page(request, template, HTTPStatus.OK, session=session, found=found,
                       **context)


@router.get("/graph")
def graph_page(request: Request) -> Response:
    return _shown(request, "graph.html",
                  lambda s: browse.supply_graph(services_of(request), s.caller))


@router.get("/graph.json")
def graph_data(request: Request) -> Response:
    """The graph for the page's script (Cytoscape.js elements)."""
    session = session_of(request)
    if session is None:
        return Response(status_code=HTTPStatus.UNAUTHORIZED, headers=SECURITY_HEADERS)
    try:
        graph = browse.supply_graph(services_of(request), session.caller)
    except CpstrustError as refused:
        return Response(status_code=status_of(refused), headers=SECURITY_HEADERS)
    nodes = [{"data": {"id": n.key, "label": n.label, "kind": n.kind.value,
                       **({"href": f"{UI}{n.page}"} if n.page else {})}}
             for n in graph.nodes]
    edges = [{"data": {"id": f"{e.source}>{e.target}", "source": e.source,
                       "target": e.target}} for e in graph.edges]
    body = orjson.dumps({"elements": nodes + edges, "truncated": graph.truncated})
    return Response(body, media_type="application/json", headers=SECURITY_HEADERS)


@router.get("/products/{product_id}")
def product_page(request: Request, product_id: int) -> Response:
    return _shown(request, "product.html", lambda s: browse.product_detail(
        services_of(request), s.caller, product_id))


@router.get("/releases/{release_id}")
def release_page(request: Request, release_id: int) -> Response:
    return _shown(request, "release.html", lambda s: browse.release_detail(
        services_of(request), s.caller, release_id, datetime.now(UTC)),
        statuses=[s.value for s in FindingStatus], max_note=MAX_NOTE)


@router.post("/findings/{finding_id}/status")
async def change_finding_status(request: Request, finding_id: int) -> Response:
    """The release page's form: the same use case as ``PATCH /api/v1/findings/{id}``,
    then back to the release page the form was on."""
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    form = await read_form(request, ("csrf", "status", "note", "release"), MAX_STATUS_FORM)
    if form is None or not websessions.csrf_matches(session, form["csrf"]):
        return error_page(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"),
                          session)
    if form["status"] not in {s.value for s in FindingStatus} or len(form["note"]) > MAX_NOTE \
            or not form["release"].isdigit():
        return error_page(request, HTTPStatus.BAD_REQUEST, message(
            "websession_form_invalid", fields="status, note, release"), session)
    try:
        await run_in_threadpool(tenancy.change_finding_status, services_of(request),
                                session.caller, finding_id, FindingStatus(form["status"]),
                                form["note"] or None, datetime.now(UTC))
    except CpstrustError as refused:
        return error_page(request, status_of(refused), refused.told(), session)
    return RedirectResponse(f"{UI}/releases/{int(form['release'])}#finding-{finding_id}",
                            status_code=HTTPStatus.SEE_OTHER)
