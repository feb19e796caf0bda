"""The supply chain as one tenant sees it through the service: its supplier relations,
the sites it operates with their zones and devices, a device's attestation history, and
the blast radius of an advisory limited to what it may see.

A site, and the zones and devices in it, are its operator's; nobody else reads them
(the supplier of the release a device runs included: where its products stand is the
operator's to tell). Another tenant's site or device is answered as not found.
"""

from __future__ import annotations

from cpstrust.app.services import Services
from cpstrust.app.tenancy import require
from cpstrust.errors import NotFoundError
from cpstrust.model.attestation import AttestationVerdict
from cpstrust.model.identity import Action, Caller
from cpstrust.model.pages import Page, PageRequest
from cpstrust.model.reports import Impact
from cpstrust.model.tenancy import (
    DeviceHistory,
    DeviceView,
    RelationSide,
    SiteView,
    SupplierRelationView,
    ZoneView,
)
from cpstrust.store import attestation as attestation_store
from cpstrust.store import tenant_chain as chain_store
from cpstrust.store.impact import impact as impact_query


def supplier_relations(services: Services, caller: Caller, side: RelationSide,
                       page: PageRequest) -> Page[SupplierRelationView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return chain_store.supplier_relations(session, caller.organisation_id, side, page)


def sites(services: Services, caller: Caller, page: PageRequest) -> Page[SiteView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return chain_store.sites(session, caller.organisation_id, page)


def zones(services: Services, caller: Caller, site: str, page: PageRequest) -> Page[ZoneView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        if chain_store.operated_site(session, caller.organisation_id, site) is None:
            raise NotFoundError("tenancy_no_site", site=site)
        return chain_store.zones(session, caller.organisation_id, site, page)


def devices(services: Services, caller: Caller, page: PageRequest, *, site: str | None = None,
            attestation: AttestationVerdict | None = None) -> Page[DeviceView]:
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return chain_store.devices(session, caller.organisation_id, page, site=site,
                                   attestation=attestation)


def device_history(services: Services, caller: Caller, name: str,
                   most: int) -> DeviceHistory:
    """A device at one of the caller's sites: its verdicts, its newest ``most``
    attestations and its findings."""
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        device = chain_store.operated_device(session, caller.organisation_id, name)
        if device is None:
            raise NotFoundError("tenancy_no_device", device=name)
        return DeviceHistory(device, tuple(chain_store.attestations(session, device.id, most)),
                             tuple(attestation_store.device_findings(session, name)))


def impact(services: Services, caller: Caller, identifier: str) -> Impact:
    """The blast radius of a vulnerability (any alias) within what the caller may see:
    its own and granted products, itself and the organisations that granted it, the
    devices at its sites. The advisory database is shared, so a vulnerability nobody
    knows is not found, and one that hits nothing the caller sees is an empty radius."""
    require(caller, Action.READ)
    with services.tenant_transaction(caller) as session:
        return impact_query(session, identifier, caller.organisation_id)
