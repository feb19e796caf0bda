"""HTTP status codes of the application layer's outcomes, and the RFC 9457 problem
documents that carry them: the service's one mapping, as ``cli/exits.py`` and the root
command's error handler are the CLI's (a refusal exits 1, any cpstrust error 2).

A problem says what went wrong in the caller's language (``Accept-Language``: ja or
en), with the catalogue code for a client that renders its own text; nothing in it
names another tenant's data, and an unexpected error says only that it happened.
"""

from __future__ import annotations

from http import HTTPStatus

import orjson
from starlette.responses import Response

from cpstrust.errors import (
    AuthenticationError,
    ConflictError,
    CpstrustError,
    InputError,
    LimitExceededError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
    TooManyAttemptsError,
    UnsupportedMediaTypeError,
)
from cpstrust.messages import Lang, Message

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:cpstrust:problem:"  # + the catalogue code: stable, not a URL to fetch

# Most specific first: the first class an error is an instance of decides.
STATUS_OF_ERROR: tuple[tuple[type[CpstrustError], HTTPStatus], ...] = (
    (AuthenticationError, HTTPStatus.UNAUTHORIZED),
    (PermissionDeniedError, HTTPStatus.FORBIDDEN),
    (NotFoundError, HTTPStatus.NOT_FOUND),
    (ConflictError, HTTPStatus.CONFLICT),
    (TooManyAttemptsError, HTTPStatus.TOO_MANY_REQUESTS),
    (LimitExceededError, HTTPStatus.REQUEST_ENTITY_TOO_LARGE),
    (UnsupportedMediaTypeError, HTTPStatus.UNSUPPORTED_MEDIA_TYPE),
    (InputError, HTTPStatus.BAD_REQUEST),
    (StoreError, HTTPStatus.SERVICE_UNAVAILABLE),
)
# A use case's ``Refused`` (a signature, a release, a device turned down): the request
# was understood and the policy said no.
STATUS_OF_REFUSAL = HTTPStatus.UNPROCESSABLE_ENTITY


def status_of(error: CpstrustError) -> HTTPStatus:
    for kind, status in STATUS_OF_ERROR:
        if isinstance(error, kind):
            return status
    return HTTPStatus.INTERNAL_SERVER_ERROR


def language_of(accept_language: str | None) -> Lang:
    """Japanese when the caller's first choice is; English otherwise."""
    first = (accept_language or "").split(",")[0].strip().lower()
    return Lang.JA if first.startswith("ja") else Lang.EN


def problem(status: HTTPStatus, told: Message, lang: Lang, instance: str,
            headers: dict[str, str] | None = None, code: str | None = None) -> Response:
    """An ``application/problem+json`` response; ``code`` is the problem's (default: the
    message's), where ``told`` may wrap it with its place."""
    code = code or told.code
    body = {
        "type": TYPE_BASE + code,
        "title": status.phrase,
        "status": int(status),
        "detail": told.text(lang),
        "code": code,
        "instance": instance,
    }
    if status is HTTPStatus.UNAUTHORIZED:
        headers = {**(headers or {}), "WWW-Authenticate": 'Bearer realm="cpstrust"'}
    return Response(orjson.dumps(body), status_code=int(status), media_type=PROBLEM_JSON,
                    headers=headers)


def error_problem(error: CpstrustError, lang: Lang, instance: str) -> Response:
    """The problem for an error of the family. An error in the store says no more than
    that (its text may name a table, a URL or a path of the server's)."""
    status = status_of(error)
    if status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        from cpstrust.messages import message

        return problem(status, message("service_internal_error"), lang, instance)
    return problem(status, error.told(), lang, instance, code=error.code)
