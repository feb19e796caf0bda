"""The routes of ``/api/v1``: parse, call one use case for the caller, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from cpstrust.app import tenancy
from cpstrust.app.dashboard import dashboard
from cpstrust.app.sboms import SbomImport
from cpstrust.errors import InputError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.identity import Action, Caller
from cpstrust.model.reports import StoredFinding
from cpstrust.service.api import CallerDep, services_of, settings_of
from cpstrust.service.paging import fields_of, json_with_etag, listing, page_request, paged
from cpstrust.service.uploads import (
    SBOM_REQUEST_BODY,
    ProductName,
    VersionName,
    check_announced_length,
    counted,
    sbom_body_to_file,
    source_name,
)

router = APIRouter()

Done = TypeVar("Done")

MAX_STATUS_CHANGE = 16 * 1024  # bytes of a PATCH body: a status and a note
MAX_NOTE = 4096

Limit = Annotated[int, Query(description="Items per page (1–500).")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page.")]


class ByName(StrEnum):
    ASCENDING = "name"
    DESCENDING = "-name"


class ByVersion(StrEnum):
    ASCENDING = "version"
    DESCENDING = "-version"


class FindingSort(StrEnum):
    WORST_FIRST = "-severity"
    MILDEST_FIRST = "severity"
    OLDEST_FIRST = "id"
    NEWEST_FIRST = "-id"


@router.get("/organisations", summary="Your organisation, and those that granted you "
                                       "their products")
def list_organisations(request: Request, caller: CallerDep, limit: Limit = 50,
                       cursor: Cursor = None) -> Response:
    page = tenancy.organisations(services_of(request), caller,
                                 page_request("name", cursor, limit, str))
    return listing(request, page, "name")


@router.get("/products", summary="Your products and those granted to you")
def list_products(request: Request, caller: CallerDep, supplier: str | None = None,
                  sort: ByName = ByName.ASCENDING, limit: Limit = 50,
                  cursor: Cursor = None) -> Response:
    page = tenancy.products(services_of(request), caller,
                            page_request(sort.value, cursor, limit, str), supplier)
    return listing(request, page, sort.value)


@router.get("/products/{name}", summary="One product you own or were granted")
def get_product(request: Request, caller: CallerDep, name: str) -> Response:
    found = tenancy.product(services_of(request), caller, name)
    return json_with_etag(request, fields_of(found))


@router.get("/products/{name}/releases", summary="The releases of a product")
def list_releases(request: Request, caller: CallerDep, name: str,
                  sort: ByVersion = ByVersion.ASCENDING, limit: Limit = 50,
                  cursor: Cursor = None) -> Response:
    page = tenancy.releases(services_of(request), caller, name,
                            page_request(sort.value, cursor, limit, str))
    return listing(request, page, sort.value)


@router.post("/products/{name}/releases/{version}/scan",
             summary="Re-evaluate a release of yours against the advisories as they are now")
def scan_release(request: Request, caller: CallerDep, name: str, version: str) -> Response:
    done = tenancy.scan_release(services_of(request), caller, name, version)
    body = {"releases": done.releases, "components": done.evaluation.components,
            "matches": len(done.evaluation.matches), "new": len(done.evaluation.new),
            "cleared": done.evaluation.cleared,
            "advisories_present": done.advisories_present}
    return json_with_etag(request, body)


@router.get("/dashboard", summary="Your open findings by severity, the most widespread "
                                   "vulnerabilities, your devices by verdict, what "
                                   "changed since yesterday")
def get_dashboard(request: Request, caller: CallerDep) -> Response:
    board = dashboard(services_of(request), caller, datetime.now(UTC))
    body = fields_of(board)
    body["since"] = board.since.isoformat()
    body["by_severity"] = [{"severity": c.severity.label, "findings": c.findings}
                           for c in board.by_severity]
    body["widespread"] = [{**fields_of(w), "severity": w.severity.label}
                          for w in board.widespread]
    body["changes_by_kind"] = {kind.value: n for kind, n in board.changes_by_kind}
    body["recent"] = [{**fields_of(r), "at": r.at.isoformat(),
                       "severity": r.severity.label} for r in board.recent]
    return json_with_etag(request, body)


@router.get("/findings", summary="Findings of your products and of those granted to you")
def list_findings(request: Request, caller: CallerDep, product: str | None = None,
                  status: FindingStatus | None = None, kind: FindingKind | None = None,
                  min_severity: Annotated[str, Query(
                      description="unknown, low, medium, high or critical")] = "unknown",
                  sort: FindingSort = FindingSort.WORST_FIRST, limit: Limit = 50,
                  cursor: Cursor = None) -> Response:
    which = tenancy.FindingQuery(
        product=product, status=status, kind=kind, min_severity=_severity(min_severity),
        by_severity=sort in (FindingSort.WORST_FIRST, FindingSort.MILDEST_FIRST))
    page = tenancy.findings(services_of(request), caller,
                            page_request(sort.value, cursor, limit, int), which)
    return json_with_etag(request, paged(page, sort.value,
                                         [_finding(f) for f in page.items]))


@router.patch("/findings/{finding_id}", summary="Decide on a finding of your products",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {
                      "type": "object", "required": ["status"],
                      "properties": {"status": {"enum": [s.value for s in FindingStatus]},
                                     "note": {"type": "string", "maxLength": MAX_NOTE}},
                      "additionalProperties": False}}}}})
async def change_finding(request: Request, caller: CallerDep, finding_id: int) -> Response:
    status, note = _status_change(await read_small_body(request, MAX_STATUS_CHANGE))
    after = await run_in_threadpool(tenancy.change_finding_status, services_of(request),
                                    caller, finding_id, status, note, datetime.now(UTC))
    return json_with_etag(request, _finding(after))


@router.get("/findings/{finding_id}/audit",
            summary="Who changed a finding's status, when and why")
def finding_audit(request: Request, caller: CallerDep, finding_id: int) -> Response:
    trail = tenancy.finding_history(services_of(request), caller, finding_id)
    items = [{**fields_of(e), "at": e.at.isoformat()} for e in trail]
    return json_with_etag(request, {"items": items})


@router.post("/sboms", status_code=201,
             summary="Store an SBOM for a release of yours (the body, or a multipart "
                     "field named file)",
             openapi_extra=SBOM_REQUEST_BODY)
async def upload_sbom(request: Request, caller: CallerDep, product: ProductName,
                      version: VersionName) -> Response:
    done = await with_uploaded_sbom(request, caller, product, version, tenancy.upload_sbom)
    return Response(_json(_stored(done, product, version)), status_code=201,
                    media_type="application/json")


async def with_uploaded_sbom(request: Request, caller: Caller, product: str, version: str,
                             use_case: Callable[..., Done]) -> Done:
    """Spool an SBOM upload's body to a temporary file and hand it to ``use_case`` (in
    the thread pool) as ``tenancy.upload_sbom`` takes it; the file goes afterwards."""
    tenancy.require(caller, Action.UPLOAD)  # before a byte of the body is read
    settings = settings_of(request)
    path, name = await sbom_body_to_file(request, settings.limits.max_bytes,
                                         settings.upload_dir)
    try:
        return await run_in_threadpool(
            use_case, services_of(request), caller, path,
            source_name=source_name(name, product, version), product_name=product,
            version=version, at=datetime.now(UTC), limits=settings.limits)
    finally:
        path.unlink(missing_ok=True)


def _stored(done: SbomImport, product: str, version: str) -> dict[str, Any]:
    return {"product": product, "version": version, "sha256": done.stored.sha256,
            "components": done.stored.components, "replaced": done.stored.replaced,
            "matches": len(done.evaluation.matches), "new_findings": len(done.evaluation.new)}


async def read_small_body(request: Request, limit: int) -> bytes:
    check_announced_length(request, limit)
    chunks = [chunk async for chunk in
              Request(request.scope, counted(request.receive, limit)).stream()]
    return b"".join(chunks)


def _status_change(body: bytes) -> tuple[FindingStatus, str | None]:
    document = parse_json_strict(body, "request")
    if not isinstance(document, dict) or set(document) - {"status", "note"}:
        raise InputError("service_status_change_shape", source="request")
    status, note = document.get("status"), document.get("note")
    if status not in {s.value for s in FindingStatus}:
        raise InputError("service_status_unknown", status=str(status), source="request",
                         location="/status")
    if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
        raise InputError("service_note_invalid", maximum=MAX_NOTE, source="request",
                         location="/note")
    return FindingStatus(status), note


def _severity(label: str) -> Severity:
    try:
        return Severity.parse(label)
    except ValueError:
        raise InputError("service_severity_unknown", severity=label, source="query",
                         location="min_severity") from None


def _finding(f: StoredFinding) -> dict[str, Any]:
    return {**fields_of(f), "severity": f.severity.label}


def _json(body: object) -> bytes:
    return orjson.dumps(body)
