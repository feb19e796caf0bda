"""The routes of ``/api/v1`` that take documents besides SBOMs: the advisory database's
status and imports (shared by every tenant), and signed releases with their signature
verdict. Bodies are streamed to the server's temporary files as SBOM uploads are."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from cpstrust.app import tenancy, tenant_imports
from cpstrust.app.tenant_imports import Upload
from cpstrust.errors import UnsupportedMediaTypeError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS
from cpstrust.model.identity import Action
from cpstrust.model.trust import Refused
from cpstrust.service.api import OPERATOR_ONLY, CallerDep, services_of, settings_of
from cpstrust.service.paging import fields_of, json_with_etag
from cpstrust.service.problems import STATUS_OF_REFUSAL, language_of, problem
from cpstrust.service.uploads import (
    client_file_name,
    multipart_files_to_files,
    raw_body_to_file,
    temporary_directory,
)

router = APIRouter()

# Content type of an advisory upload -> the suffix the importer reads it by.
ADVISORY_TYPES = {"application/json": ".json", "application/zip": ".zip"}


@router.get("/advisories/status", summary="The shared advisory database: its sources and "
                                          "how many advisories it holds")
def advisory_status(request: Request, caller: CallerDep) -> Response:
    status = tenant_imports.advisory_status(services_of(request), caller)
    body = fields_of(status)
    body["sources"] = [{**fields_of(s), "imported_at": s.imported_at.isoformat()}
                       for s in status.sources]
    return json_with_etag(request, body)


@router.post("/advisories", status_code=201,
             summary="Import an OSV record (JSON) or export (zip) into the advisory "
                     "database every tenant shares (the server's operator only)",
             openapi_extra={**OPERATOR_ONLY, "requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "object"}},
                 "application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_advisories(request: Request, caller: CallerDep) -> Response:
    tenancy.require(caller, Action.IMPORT_ADVISORIES)  # before a byte of the body is read
    settings = settings_of(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = ADVISORY_TYPES.get(media_type)
    if suffix is None:
        raise UnsupportedMediaTypeError("service_content_type_unsupported",
                                        content_type=media_type[:100],
                                        supported=", ".join(ADVISORY_TYPES), source="request")
    path = await raw_body_to_file(request, settings.limits.max_bytes,
                                  temporary_directory(settings.upload_dir), suffix)
    try:
        done = await run_in_threadpool(tenant_imports.import_advisories, services_of(request),
                                       caller, Upload(path, f"upload{suffix}"), settings.limits)
    finally:
        path.unlink(missing_ok=True)
    result = done.result
    body = {"added": result.added, "updated": result.updated, "unchanged": result.unchanged,
            "older": result.older, "withdrawn": result.withdrawn,
            "skipped": [e.code for e in done.skipped], "findings_changed": done.events}
    return Response(orjson.dumps(body), status_code=201, media_type="application/json")


@router.post("/releases", status_code=201,
             summary="Import a signed release of yours (DSSE envelope, and the SBOM it "
                     "signed) with its signature verdict: 201 kept, 422 refused, 409 a "
                     "product another organisation holds",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"type": "object"}},
                 "multipart/form-data": {"schema": {
                     "type": "object", "required": ["envelope"],
                     "properties": {"envelope": {"type": "string", "format": "binary"},
                                    "sbom": {"type": "string", "format": "binary"}}}}}}})
async def import_release(request: Request, caller: CallerDep) -> Response:
    tenancy.require(caller, Action.UPLOAD)  # before a byte of the body is read
    settings = settings_of(request)
    directory = temporary_directory(settings.upload_dir)
    limit = DEFAULT_ENVELOPE_LIMITS.max_bytes + settings.limits.max_bytes
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        files = await multipart_files_to_files(request, limit, directory, "envelope", "sbom")
    else:
        files = {"envelope": (await raw_body_to_file(
            request, DEFAULT_ENVELOPE_LIMITS.max_bytes, directory), None)}
    envelope = _upload(files["envelope"], "release.json")
    sbom = _upload(files["sbom"], "sbom") if "sbom" in files else None
    try:
        done = await run_in_threadpool(tenant_imports.import_release, services_of(request),
                                       caller, envelope, sbom, at=datetime.now(UTC),
                                       limits=settings.limits)
    finally:
        for path, _name in files.values():
            path.unlink(missing_ok=True)
    if isinstance(done, Refused):
        return problem(STATUS_OF_REFUSAL, done.message,
                       language_of(request.headers.get("accept-language")), request.url.path)
    body: dict[str, Any] = {
        "product": done.release.product, "version": done.version, "verdict": "verified",
        "signers": [k.keyid for k in done.release.signers], "evidence_id": done.evidence_id,
        "sbom": None if done.sbom is None else {"sha256": done.sbom.sha256,
                                                 "components": done.sbom.components},
        "new_findings": 0 if done.evaluation is None else len(done.evaluation.new)}
    return Response(orjson.dumps(body), status_code=201, media_type="application/json")


def _upload(written: tuple[Path, str | None], default: str) -> Upload:
    path, given = written
    return Upload(path, client_file_name(given) or default)

