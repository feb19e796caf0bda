"""`cpstrust serve`: the REST API (``/api/v1``, OpenAPI 3.1 at ``/openapi.json``) and
the attestation verifier (``/v1/challenge``, ``/v1/attest``, as ``verifier serve``
answers them) in one FastAPI application.

Routes parse, call one use case of ``app.tenancy`` for the caller the bearer key stands
for, and render; errors are RFC 9457 problems (``service.problems``). Handlers are plain
functions, run in the thread pool: the use cases are synchronous and each is one store
transaction. Only the uploads are coroutines, to count the body as it arrives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from cpstrust.app.identity import authenticate
from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Lang, message
from cpstrust.model.identity import Caller
from cpstrust.service.problems import error_problem, language_of, problem, status_of
from cpstrust.service.verifier import VerifierSettings

logger = logging.getLogger(__name__)

API = "/api/v1"


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    limits: ReadLimits = DEFAULT_LIMITS  # an upload's: the CLI's `sbom import` limits
    upload_dir: Path | None = None  # temporary files of uploads (default: the system's)
    verifier: VerifierSettings = field(default_factory=VerifierSettings)


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def settings_of(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


def caller_of(request: Request) -> Caller:
    """The caller the ``Authorization: Bearer <key>`` header stands for."""
    scheme, _, key = (request.headers.get("authorization") or "").partition(" ")
    presented = key.strip() if scheme.lower() == "bearer" else None
    return authenticate(services_of(request), presented, datetime.now(UTC))


CallerDep = Annotated[Caller, Depends(caller_of)]

# Marks, in the OpenAPI document, an operation that changes what every tenant shares:
# the server's operator's alone (ADR 0029); the tenancy matrix tries each one so marked.
OPERATOR_ONLY = {"x-cpstrust-operator-only": True}


def create_app(services: Services, settings: ServiceSettings | None = None) -> FastAPI:
    from starlette.staticfiles import StaticFiles

    from cpstrust.service import (
        job_pages,
        job_routes,
        pages,
        routes,
        routes_chain,
        routes_imports,
        verifier_routes,
        web,
    )

    app = FastAPI(title="cpstrust", version="1", openapi_url="/openapi.json",
                  docs_url=None, redoc_url=None,
                  description="Supply-chain trust: organisations as tenants, their "
                              "products, releases, SBOMs and findings.")
    app.state.services = services
    app.state.settings = settings or ServiceSettings()
    app.include_router(routes.router, prefix=API)
    app.include_router(job_routes.router, prefix=API)
    app.include_router(routes_chain.router, prefix=API)
    app.include_router(routes_imports.router, prefix=API)
    app.include_router(verifier_routes.router)
    app.state.templates = web.templates()
    app.include_router(web.router, prefix=web.UI)
    app.include_router(pages.router, prefix=web.UI)
    app.include_router(job_pages.router, prefix=web.UI)
    app.mount(f"{web.UI}/static", StaticFiles(directory=web.STATIC), name="static")
    _problems(app)
    return app


def _problems(app: FastAPI) -> None:
    """Every error as problem+json: ours, the framework's and the unexpected."""

    async def cpstrust_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CpstrustError)
        if status_of(exc) >= HTTPStatus.INTERNAL_SERVER_ERROR:
            logger.error("%s %s failed: %s", request.method, request.url.path,
                         exc.diagnostics())
        return error_problem(exc, _lang(request), request.url.path)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = "/".join(str(p) for p in first.get("loc", ()))
        told = message("service_request_invalid", where=where,
                       problem=str(first.get("msg", "")))
        return problem(HTTPStatus.BAD_REQUEST, told, _lang(request), request.url.path)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        status = HTTPStatus(exc.status_code)
        told = message("service_http_status", status=int(status), phrase=status.phrase)
        return problem(status, told, _lang(request), request.url.path,
                       dict(exc.headers or {}))

    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.exception("%s %s failed", request.method, request.url.path)
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, message("service_internal_error"),
                       _lang(request), request.url.path)

    app.add_exception_handler(CpstrustError, cpstrust_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def _lang(request: Request) -> Lang:
    return language_of(request.headers.get("accept-language"))
