"""What a tenant reads through the service: organisations, products and releases it
may see, the trail of status changes on a finding, its supplier relations, and the sites,
zones and devices it operates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.attestation import AttestationVerdict, DeviceFinding
from cpstrust.model.trustpolicy import Verdict


class Access(StrEnum):
    """Why the caller sees a thing."""

    OWN = "own"  # its own organisation's
    GRANTED = "granted"  # shown to it by a grant of the supplier's


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: int
    name: str
    country: str | None
    access: Access


@dataclass(frozen=True, slots=True)
class ProductView:
    id: int
    name: str
    supplier: str
    kind: str
    description: str | None
    access: Access


@dataclass(frozen=True, slots=True)
class ReleaseView:
    id: int
    product: str
    version: str
    sbom_sha256: str | None  # the current SBOM's, None before one is stored
    components: int


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    finding_id: int
    actor: str
    at: datetime
    old_status: str
    new_status: str
    note: str | None


class RelationSide(StrEnum):
    """Which end of its supplier relations a tenant lists."""

    SUPPLIERS = "suppliers"  # the organisations that supply it
    CUSTOMERS = "customers"  # the organisations it supplies


@dataclass(frozen=True, slots=True)
class SupplierRelationView:
    """One supplier relation of the viewer's: ``organisation`` is the other end."""

    organisation_id: int
    organisation: str
    side: RelationSide
    tier: int


@dataclass(frozen=True, slots=True)
class SiteView:
    id: int
    name: str
    kind: str
    zones: int
    devices: int


@dataclass(frozen=True, slots=True)
class ZoneView:
    id: int
    site: str
    name: str
    criticality: int | None
    devices: int


@dataclass(frozen=True, slots=True)
class DeviceView:
    """A device at one of the viewer's sites: its latest attestation verdict and its
    trust verdict (None before the first of each), and the product and version it runs
    (None unless the viewer may see the product: its own, or granted)."""

    id: int
    name: str
    site: str
    zone: str | None
    product: str | None
    version: str | None
    attestation: AttestationVerdict | None
    appraised_at: datetime | None
    trust_verdict: Verdict | None
    open_findings: int


@dataclass(frozen=True, slots=True)
class AttestationEntry:
    id: int
    verdict: AttestationVerdict
    reasons: tuple[Message, ...]
    signer_keyid: str | None
    appraised_at: datetime


@dataclass(frozen=True, slots=True)
class DeviceHistory:
    device: DeviceView
    attestations: tuple[AttestationEntry, ...]  # newest first
    findings: tuple[DeviceFinding, ...]  # open first, then worst, then by path
