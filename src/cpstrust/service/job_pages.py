"""The web UI's jobs page: the organisation's background jobs with their progress, the
table refreshed by htmx every two seconds while one is unfinished, and a button that
starts a re-evaluation of every release of the organisation's products (the same use
cases as ``/api/v1/jobs``)."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from cpstrust.app import jobs, websessions
from cpstrust.errors import CpstrustError
from cpstrust.messages import message
from cpstrust.model.identity import Action, permits
from cpstrust.model.pages import PageRequest
from cpstrust.service.api import services_of
from cpstrust.service.problems import status_of
from cpstrust.service.web import UI, error_page, read_form, render_page, session_of, to_login

router = APIRouter(include_in_schema=False)

JOBS_SHOWN = 50  # the newest; the API pages through the rest


@router.get("/jobs")
def jobs_page(request: Request) -> Response:
    return _jobs(request, "jobs.html")


@router.get("/jobs/table")
def jobs_table(request: Request) -> Response:
    """The table alone, for the page's polling (htmx)."""
    return _jobs(request, "jobs_table.html")


@router.post("/jobs/reevaluation")
async def start_reevaluation(request: Request) -> Response:
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    form = await read_form(request, ("csrf",))
    if form is None or not websessions.csrf_matches(session, form["csrf"]):
        return error_page(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"),
                          session)
    try:
        await run_in_threadpool(jobs.start_reevaluation, services_of(request), session.caller,
                                datetime.now(UTC))
    except CpstrustError as refused:
        return error_page(request, status_of(refused), refused.told(), session)
    return RedirectResponse(f"{UI}/jobs", status_code=HTTPStatus.SEE_OTHER)


@router.post("/jobs/advisory-update")
async def start_advisory_update(request: Request) -> Response:
    """The operator's form (ADR 0029): the ecosystems to update, separated by commas or
    spaces."""
    session = await run_in_threadpool(session_of, request)
    if session is None:
        return to_login()
    form = await read_form(request, ("csrf", "ecosystems"))
    if form is None or not websessions.csrf_matches(session, form["csrf"]):
        return error_page(request, HTTPStatus.FORBIDDEN, message("websession_csrf_refused"),
                          session)
    try:
        await run_in_threadpool(jobs.start_advisory_update, services_of(request),
                                session.caller, form["ecosystems"].replace(",", " ").split(),
                                datetime.now(UTC))
    except CpstrustError as refused:
        return error_page(request, status_of(refused), refused.told(), session)
    return RedirectResponse(f"{UI}/jobs", status_code=HTTPStatus.SEE_OTHER)


def _jobs(request: Request, template: str) -> Response:
    session = session_of(request)
    if session is None:
        return to_login()
    page = jobs.jobs(services_of(request), session.caller, PageRequest(limit=JOBS_SHOWN))
    return render_page(request, template, HTTPStatus.OK, session=session, jobs=page.items,
                       polling=any(not j.state.finished for j in page.items),
                       may_reevaluate=permits(session.caller, Action.SCAN),
                       may_update=permits(session.caller, Action.IMPORT_ADVISORIES))
