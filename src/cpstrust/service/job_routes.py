"""The routes of background jobs under ``/api/v1/jobs``: a POST starts one and answers
202 with its ``Location``; a GET follows it (state, progress, result, or why it failed,
in the caller's language). A job of another organisation is not found."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from cpstrust.app import jobs
from cpstrust.app.tenancy import require
from cpstrust.errors import InputError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.messages import Lang
from cpstrust.model.identity import Action
from cpstrust.model.jobs import Job
from cpstrust.service.api import API, OPERATOR_ONLY, CallerDep, services_of
from cpstrust.service.paging import json_with_etag, page_request, paged
from cpstrust.service.problems import language_of
from cpstrust.service.routes import Cursor, Limit, read_small_body, with_uploaded_sbom
from cpstrust.service.uploads import SBOM_REQUEST_BODY, ProductName, VersionName

router = APIRouter()

MAX_UPDATE_REQUEST = 16 * 1024  # bytes: a list of ecosystem names


@router.post("/jobs/reevaluation", status_code=202,
             summary="Re-evaluate every stored release of your products in the background")
def start_reevaluation(request: Request, caller: CallerDep) -> Response:
    return _accepted(request, jobs.start_reevaluation(services_of(request), caller,
                                                      datetime.now(UTC)))


@router.post("/jobs/advisory-update", status_code=202,
             summary="Update the shared advisory database from OSV's exports (the server's "
                     "operator only)",
             openapi_extra={**OPERATOR_ONLY, "requestBody": {"required": True, "content": {
                 "application/json": {"schema": {
                     "type": "object", "required": ["ecosystems"],
                     "properties": {"ecosystems": {"type": "array",
                                                   "items": {"type": "string"}}},
                     "additionalProperties": False}}}}})
async def start_advisory_update(request: Request, caller: CallerDep) -> Response:
    require(caller, Action.IMPORT_ADVISORIES)  # before the body is read
    ecosystems = _ecosystems(await read_small_body(request, MAX_UPDATE_REQUEST))
    started = await run_in_threadpool(jobs.start_advisory_update, services_of(request),
                                      caller, ecosystems, datetime.now(UTC))
    return _accepted(request, started)


@router.post("/jobs/sbom-upload", status_code=202,
             summary="Store a large SBOM for a release of yours in the background (the "
                     "body, or a multipart field named file)",
             openapi_extra=SBOM_REQUEST_BODY)
async def start_sbom_upload(request: Request, caller: CallerDep, product: ProductName,
                            version: VersionName) -> Response:
    started = await with_uploaded_sbom(request, caller, product, version,
                                       jobs.start_sbom_upload)
    return _accepted(request, started)


@router.get("/jobs", summary="Your organisation's background jobs, newest first")
def list_jobs(request: Request, caller: CallerDep, limit: Limit = 50,
              cursor: Cursor = None) -> Response:
    page = jobs.jobs(services_of(request), caller, page_request("-id", cursor, limit, int))
    lang = _lang(request)
    return json_with_etag(request, paged(page, "-id", [job_body(j, lang) for j in page.items]))


@router.get("/jobs/{job_id}", summary="One background job: its state, progress and outcome")
def get_job(request: Request, caller: CallerDep, job_id: int) -> Response:
    found = jobs.job(services_of(request), caller, job_id)
    return json_with_etag(request, job_body(found, _lang(request)))


def job_body(job: Job, lang: Lang) -> dict[str, Any]:
    """A job as the API and the UI's polling show it."""
    failure = None if job.failure is None else {
        "code": job.failure.code,
        "detail": job.failure.japanese if lang is Lang.JA else job.failure.english}
    return {"id": job.id, "kind": job.kind.value, "organisation": job.organisation,
            "requested_by": job.requested_by, "state": job.state.value,
            "stage": None if job.stage is None else job.stage.value, "done": job.done,
            "total": job.total, "runs": job.runs, "created_at": job.created_at.isoformat(),
            "started_at": _instant(job.started_at), "finished_at": _instant(job.finished_at),
            "result": dict(job.result), "failure": failure}


def _instant(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _accepted(request: Request, job: Job) -> Response:
    return Response(orjson.dumps(job_body(job, _lang(request))),
                    status_code=HTTPStatus.ACCEPTED, media_type="application/json",
                    headers={"Location": f"{API}/jobs/{job.id}"})


def _ecosystems(body: bytes) -> list[str]:
    document = parse_json_strict(body, "request")
    named = document.get("ecosystems") if isinstance(document, dict) else None
    if (not isinstance(document, dict) or set(document) != {"ecosystems"}
            or not isinstance(named, list) or not all(isinstance(e, str) for e in named)):
        raise InputError("jobs_update_request_shape", source="request")
    return named


def _lang(request: Request) -> Lang:
    return language_of(request.headers.get("accept-language"))
