"""What a tenant reads through the service: organisations, products and releases it
may see, and the trail of status changes on a finding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
