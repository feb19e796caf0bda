"""The supply-chain graph: the CPSF components organisations, things and systems.

Organisations supply products; products have releases; a release contains components;
devices are instances of a release at a site (a CPSF System) in a zone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Organization:
    name: str
    country: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class SupplierRelation:
    """``supplier`` supplies ``customer``; tier 1 is a direct supplier of the buyer."""

    supplier: str
    customer: str
    tier: int = 1


@dataclass(frozen=True, slots=True)
class Product:
    name: str
    supplier: str
    kind: str = "device"  # device | firmware | software | service
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Release:
    product: str
    version: str


@dataclass(frozen=True, slots=True)
class Site:
    """A CPSF System: a factory, building or line, divided into zones.
    ``zone_criticality`` holds the criticality (1-5) the operator declares for some of its
    zones, as the factory guideline's step 1-7 rates what a threat to a zone would do."""

    name: str
    operator: str
    kind: str = "factory"
    zones: tuple[str, ...] = ()
    zone_criticality: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Device:
    """An instance of a release installed at a site, in one of its zones; ``ip`` and
    ``mac`` (normalised text) match it with what the OT monitor sees on the network."""

    name: str
    product: str
    version: str
    site: str
    zone: str | None = None
    serial: str | None = None
    ip: str | None = None
    mac: str | None = None


@dataclass(frozen=True, slots=True)
class SbomReference:
    """A release's SBOM named in a supply-chain file (path relative to that file)."""

    product: str
    version: str
    path: str


@dataclass(frozen=True, slots=True)
class SupplyChain:
    """Everything a declarative supply-chain file describes."""

    organizations: tuple[Organization, ...]
    relations: tuple[SupplierRelation, ...]
    products: tuple[Product, ...]
    releases: tuple[Release, ...]
    sites: tuple[Site, ...]
    devices: tuple[Device, ...]
    sboms: tuple[SbomReference, ...] = ()


@dataclass(frozen=True, slots=True)
class GraphCounts:
    organizations: int
    relations: int
    products: int
    releases: int
    sites: int
    devices: int
