"""The routes of ``/api/v1`` over a tenant's supply chain: supplier relations, sites,
zones, devices and the impact of an advisory. Parse, call one use case, render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from cpstrust.app import tenant_chain
from cpstrust.messages import Lang, Message
from cpstrust.model.attestation import AttestationVerdict, DeviceFinding
from cpstrust.model.reports import Impact
from cpstrust.model.tenancy import DeviceView, RelationSide
from cpstrust.service.api import CallerDep, services_of
from cpstrust.service.paging import fields_of, json_with_etag, listing, page_request, paged
from cpstrust.service.problems import language_of
from cpstrust.service.routes import ByName, Cursor, Limit

router = APIRouter()

MAX_HISTORY = 500


@router.get("/supplier-relations", summary="The organisations that supply yours, or those "
                                            "yours supplies")
def list_supplier_relations(request: Request, caller: CallerDep,
                            side: RelationSide = RelationSide.SUPPLIERS,
                            sort: ByName = ByName.ASCENDING, limit: Limit = 50,
                            cursor: Cursor = None) -> Response:
    page = tenant_chain.supplier_relations(services_of(request), caller, side,
                                           page_request(sort.value, cursor, limit, str))
    return listing(request, page, sort.value)


@router.get("/sites", summary="The sites your organisation operates")
def list_sites(request: Request, caller: CallerDep, sort: ByName = ByName.ASCENDING,
               limit: Limit = 50, cursor: Cursor = None) -> Response:
    page = tenant_chain.sites(services_of(request), caller,
                              page_request(sort.value, cursor, limit, str))
    return listing(request, page, sort.value)


@router.get("/sites/{site}/zones", summary="The zones of a site you operate")
def list_zones(request: Request, caller: CallerDep, site: str,
               sort: ByName = ByName.ASCENDING, limit: Limit = 50,
               cursor: Cursor = None) -> Response:
    page = tenant_chain.zones(services_of(request), caller, site,
                              page_request(sort.value, cursor, limit, str))
    return listing(request, page, sort.value)


@router.get("/devices", summary="The devices at your sites, with their latest verdicts")
def list_devices(request: Request, caller: CallerDep, site: str | None = None,
                 attestation: AttestationVerdict | None = None,
                 sort: ByName = ByName.ASCENDING, limit: Limit = 50,
                 cursor: Cursor = None) -> Response:
    page = tenant_chain.devices(services_of(request), caller,
                                page_request(sort.value, cursor, limit, str), site=site,
                                attestation=attestation)
    return json_with_etag(request, paged(page, sort.value, [_device(d) for d in page.items]))


@router.get("/devices/{device}", summary="A device at one of your sites: its verdicts, "
                                         "attestation history and findings")
def get_device(request: Request, caller: CallerDep, device: str,
               history: Annotated[int, Query(ge=1, le=MAX_HISTORY, description=(
                   "How many of the newest attestations to list."))] = 50) -> Response:
    found = tenant_chain.device_history(services_of(request), caller, device, history)
    lang = language_of(request.headers.get("accept-language"))
    body = _device(found.device)
    body["attestations"] = [
        {"id": a.id, "verdict": a.verdict.value, "reasons": _told(a.reasons, lang),
         "signer_keyid": a.signer_keyid, "appraised_at": a.appraised_at.isoformat()}
        for a in found.attestations]
    body["findings"] = [_device_finding(f, lang) for f in found.findings]
    return json_with_etag(request, body)


@router.get("/impact/{advisory_id}", summary="The blast radius of a vulnerability (any "
                                             "alias) within what you may see")
def get_impact(request: Request, caller: CallerDep, advisory_id: str) -> Response:
    return json_with_etag(request, _impact(tenant_chain.impact(services_of(request), caller,
                                                               advisory_id)))


def _device(d: DeviceView) -> dict[str, Any]:
    return {**fields_of(d),
            "appraised_at": d.appraised_at.isoformat() if d.appraised_at else None}


def _told(messages: tuple[Message, ...], lang: Lang) -> list[dict[str, str]]:
    return [{"code": m.code, "text": m.text(lang)} for m in messages]


def _device_finding(f: DeviceFinding, lang: Lang) -> dict[str, Any]:
    return {"kind": f.kind, "path": f.path, "expected": f.expected, "actual": f.actual,
            "severity": f.severity.label, "status": f.status.value,
            "reason": _told((f.reason,), lang)[0], "first_seen": f.first_seen.isoformat(),
            "last_seen": f.last_seen.isoformat()}


def _impact(found: Impact) -> dict[str, Any]:
    body = fields_of(found)
    body["severity"] = found.severity.label
    body["components"] = [{**fields_of(c), "severity": c.severity.label}
                          for c in found.components]
    body["releases"] = [{"product": p, "version": v} for p, v in found.releases]
    return body
