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
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from cpstrust.app import browse, tenancy, tenant_chain, websessions
from cpstrust.errors import CpstrustError, InputError
from cpstrust.messages import Message, message
from cpstrust.model.finding import FindingStatus
from cpstrust.model.identity import Action, permits
from cpstrust.service.api import services_of, settings_of
from cpstrust.service.problems import status_of
from cpstrust.service.uploads import multipart_form_to_file, source_name
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
ATTESTATIONS_SHOWN = 50  # of a device, newest first
MAX_NAME = 255  # characters of a product or version name, as the API's upload
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
def release_page(request: Request, release_id: int, after: str | None = None) -> Response:
    """``after``: where the next page of findings starts, as the page's link gives it."""
    return _shown(request, "release.html", lambda s: browse.release_detail(
        services_of(request), s.caller, release_id, datetime.now(UTC), _cursor(after)),
        statuses=[s.value for s in FindingStatus], max_note=MAX_NOTE, after=after or "")


def _cursor(after: str | None) -> tuple[int, int] | None:
    """The "severity.id" of a findings page's link as numbers; InputError otherwise."""
    if after is None:
        return None
    severity, dot, last = after.partition(".")
    if not (dot and severity.isdigit() and last.isdigit() and len(after) <= 32):
        raise InputError("pages_cursor_invalid", cursor=after[:32], source="query",
                         location="after")
    return int(severity), int(last)


@router.post("/findings/{finding_id}/status")
async def change_finding_status(request: Request, finding_id: int) -> Response:
    """The release page's form: the same use case as ``PATCH /api/v1/findings/{id}``,
    then back to the page of findings the form was on (``after``: where it starts)."""
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    form = await read_form(request, ("csrf", "status", "note", "release", "after"),
                           MAX_STATUS_FORM)
    if form is None or not websessions.csrf_matches(session, form["csrf"]):
        return error_page(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"),
                          session)
    if form["status"] not in {s.value for s in FindingStatus} or len(form["note"]) > MAX_NOTE \
            or not form["release"].isdigit():
        return error_page(request, HTTPStatus.BAD_REQUEST, message(
            "websession_form_invalid", fields="status, note, release, after"), session)
    try:
        after = _cursor(form["after"] or None)
        await run_in_threadpool(tenancy.change_finding_status, services_of(request),
                                session.caller, finding_id, FindingStatus(form["status"]),
                                form["note"] or None, datetime.now(UTC))
    except CpstrustError as refused:
        return error_page(request, status_of(refused), refused.told(), session)
    page = f"?after={after[0]}.{after[1]}" if after else ""
    return RedirectResponse(f"{UI}/releases/{int(form['release'])}{page}#finding-{finding_id}",
                            status_code=HTTPStatus.SEE_OTHER)


@dataclass(frozen=True, slots=True)
class Stored:
    """What the upload page says of an SBOM it stored."""

    product: str
    version: str
    release_id: int
    components: int
    findings: int  # new ones
    replaced: bool


@router.get("/upload")
def upload_page(request: Request) -> Response:
    session = session_of(request)
    if session is None:
        return to_login()
    return _upload_form(request, session, HTTPStatus.OK)


@router.post("/upload")
async def upload(request: Request) -> Response:
    """The SBOM of the form, through the same use case, limits and temporary file as
    ``POST /api/v1/sboms``; the role is checked before the body is read, the CSRF token
    before anything is stored."""
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    settings = settings_of(request)
    try:
        tenancy.require(session.caller, Action.UPLOAD)
        path, name, fields = await multipart_form_to_file(
            request, settings.limits.max_bytes, settings.upload_dir, "file",
            ("csrf", "product", "version"))
    except CpstrustError as refused:
        return _upload_form(request, session, status_of(refused), error=refused.told())
    try:
        if not websessions.csrf_matches(session, fields["csrf"]):
            return error_page(request, HTTPStatus.FORBIDDEN,
                              message("websession_csrf_refused"), session)
        product, version = fields["product"].strip(), fields["version"].strip()
        if not (0 < len(product) <= MAX_NAME and 0 < len(version) <= MAX_NAME):
            return _upload_form(request, session, HTTPStatus.BAD_REQUEST, error=message(
                "pages_upload_names", maximum=MAX_NAME))
        done = await run_in_threadpool(
            tenancy.upload_sbom, services_of(request), session.caller, path,
            source_name=source_name(name, product, version), product_name=product,
            version=version, at=datetime.now(UTC), limits=settings.limits)
    except CpstrustError as refused:
        return _upload_form(request, session, status_of(refused), error=refused.told())
    finally:
        path.unlink(missing_ok=True)
    stored = Stored(product, version, done.stored.release_id, done.stored.components,
                    len(done.evaluation.new), done.stored.replaced)
    return _upload_form(request, session, HTTPStatus.CREATED, done=stored)


def _upload_form(request: Request, session: websessions.WebSession, status: HTTPStatus,
                 error: Message | None = None, done: Stored | None = None) -> Response:
    limit = settings_of(request).limits.max_bytes
    return render_page(request, "upload.html", status, session=session, error=error,
                       done=done, limit_mib=limit // (1024 * 1024),
                       can_read=permits(session.caller, Action.READ))


@router.get("/devices/{name:path}")
def device_page(request: Request, name: str) -> Response:
    """A device at one of the caller's sites, by its name (any character, "/" too): the
    same use case as ``GET /api/v1/devices/{name}``."""
    return _shown(request, "device.html", lambda s: tenant_chain.device_history(
        services_of(request), s.caller, name, ATTESTATIONS_SHOWN))


@router.get("/advisories/{identifier:path}")
def impact_page(request: Request, identifier: str) -> Response:
    """The blast radius of a vulnerability (any alias) within what the caller may see:
    the same use case as ``GET /api/v1/impact/{identifier}``."""
    return _shown(request, "impact.html", lambda s: tenant_chain.impact(
        services_of(request), s.caller, identifier))
