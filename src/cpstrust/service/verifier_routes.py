"""The attestation verifier inside `cpstrust serve`, at the paths `verifier serve`
answers (an agent pointed at either works): the same ``Verifier`` operations, the body
counted against the same limit, errors as problem documents (``detail`` where the
standalone verifier says ``error``; the agent reads both). Devices authenticate by their
signed or TPM-quoted reports, as before, not by API keys."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.service.api import services_of, settings_of
from cpstrust.service.routes import read_small_body
from cpstrust.service.verifier import Verifier

router = APIRouter(tags=["verifier"])


async def _verifier_and_body(request: Request) -> tuple[Verifier, Any]:
    settings = settings_of(request).verifier
    body = parse_json_strict(await read_small_body(request, settings.max_body), "request")
    return Verifier(services_of(request), settings), body


@router.post("/v1/challenge", summary="A nonce for a device to measure against")
async def challenge(request: Request) -> Response:
    verifier, body = await _verifier_and_body(request)
    answer = await run_in_threadpool(verifier.challenge, body)
    return Response(orjson.dumps(answer), media_type="application/json")


@router.post("/v1/attest", summary="Appraise a device's signed measurement report")
async def attest(request: Request) -> Response:
    verifier, body = await _verifier_and_body(request)
    answer = await run_in_threadpool(verifier.attest, body)
    return Response(orjson.dumps(answer), media_type="application/json")
