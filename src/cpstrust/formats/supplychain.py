"""The declarative supply-chain file (YAML) <-> cpstrust.model.graph.SupplyChain.

The file is validated against a JSON schema first, so every error names its place
(``/products/2/releases/0/version``); then cross-references (a device's product and
site, a relation's organisations) are checked, again with the place named.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

import jsonschema_rs

from cpstrust.errors import InputError
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.graph import (
    Device,
    Organization,
    Product,
    Release,
    SbomReference,
    Site,
    SupplierRelation,
    SupplyChain,
)

_NAME = {"type": "string", "minLength": 1, "maxLength": 255}
_TEXT = {"type": "string", "maxLength": 10000}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "organizations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "country": {"type": "string", "maxLength": 8},
                    "description": _TEXT,
                },
            },
        },
        "suppliers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["supplier", "customer"],
                "additionalProperties": False,
                "properties": {
                    "supplier": _NAME,
                    "customer": _NAME,
                    "tier": {"type": "string", "pattern": "^([1-9]|1[0-9]|20)$"},
                },
            },
        },
        "products": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "supplier"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "supplier": _NAME,
                    "description": _TEXT,
                    "kind": {"enum": ["device", "firmware", "software", "service"]},
                    "releases": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["version"],
                            "additionalProperties": False,
                            "properties": {
                                "version": _NAME,
                                "sbom": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                },
            },
        },
        "sites": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "operator"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "operator": _NAME,
                    "kind": {"enum": ["factory", "building", "plant", "line", "other"]},
                    # A zone is its name, or its name with the criticality the operator
                    # declares for it (1-5, the risk register's impact scale).
                    "zones": {"type": "array", "maxItems": 1000, "items": {"oneOf": [
                        _NAME,
                        {"type": "object", "required": ["name"], "additionalProperties": False,
                         "properties": {"name": _NAME,
                                        "criticality": {"type": "string",
                                                        "pattern": "^[1-5]$"}}},
                    ]}},
                },
            },
        },
        "devices": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "product", "version", "site"],
                "additionalProperties": False,
                "properties": {
                    "name": _NAME,
                    "product": _NAME,
                    "version": _NAME,
                    "site": _NAME,
                    "zone": _NAME,
                    "serial": _NAME,
                    "ip": {"type": "string", "minLength": 2, "maxLength": 45},
                    "mac": {"type": "string", "minLength": 12, "maxLength": 17},
                },
            },
        },
    },
}


@functools.cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(SCHEMA)


def _pointer(path: Sequence[str | int]) -> str:
    return "/" + "/".join(str(p) for p in path)


def read_supply_chain(
    data: bytes, *, source: str, limits: ReadLimits = DEFAULT_LIMITS
) -> SupplyChain:
    """Parse and check a supply-chain file; raise InputError naming file and place."""
    # The project's safe builder: no recursion in C (deep nesting crashed libyaml's
    # composer), no tags, and scalars stay strings, so version 1.10 is not 1.1.
    doc = load_yaml_file(data, source=source, limits=limits,
                         too_large="supply_chain_too_large", not_yaml="supply_chain_not_yaml")
    if doc is None:
        doc = {}
    for error in _validator().iter_errors(doc):
        raise InputError("supply_chain_schema_violation", detail=error.message, source=source,
                         location=_pointer(error.instance_path))
    return _build(cast(Mapping[str, Any], doc), source)  # the schema requires an object


def _build(doc: Mapping[str, Any], source: str) -> SupplyChain:
    orgs = tuple(
        Organization(o["name"], o.get("country"), o.get("description"))
        for o in doc.get("organizations", [])
    )
    relations = tuple(
        SupplierRelation(r["supplier"], r["customer"], int(r.get("tier", "1")))
        for r in doc.get("suppliers", [])
    )
    products, releases, sboms = [], [], []
    for p in doc.get("products", []):
        products.append(
            Product(p["name"], p["supplier"], p.get("kind", "device"), p.get("description"))
        )
        for r in p.get("releases", []):
            releases.append(Release(p["name"], r["version"]))
            if "sbom" in r:
                sboms.append(SbomReference(p["name"], r["version"], r["sbom"]))
    sites = tuple(_site(s) for s in doc.get("sites", []))
    devices = tuple(
        Device(d["name"], d["product"], d["version"], d["site"], d.get("zone"), d.get("serial"),
               _ip(d.get("ip"), source, f"/devices/{i}/ip"),
               _mac(d.get("mac"), source, f"/devices/{i}/mac"))
        for i, d in enumerate(doc.get("devices", []))
    )
    chain = SupplyChain(
        orgs, relations, tuple(products), tuple(releases), sites, devices, tuple(sboms)
    )
    _check_references(chain, source)
    return chain


def _site(entry: Mapping[str, Any]) -> Site:
    zones = [z if isinstance(z, str) else z["name"] for z in entry.get("zones", [])]
    criticality = tuple((z["name"], int(z["criticality"])) for z in entry.get("zones", [])
                        if not isinstance(z, str) and "criticality" in z)
    return Site(entry["name"], entry["operator"], entry.get("kind", "factory"), tuple(zones),
                criticality)


def _ip(text: str | None, source: str, where: str) -> str | None:
    """An address as the monitor writes it (``ipaddress``'s compressed text)."""
    if text is None:
        return None
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InputError("supply_chain_bad_address", value=text, source=source,
                         location=where) from None


_MAC = re.compile(r"[0-9a-f]{2}([:-]?)[0-9a-f]{2}(\1[0-9a-f]{2}){4}")


def _mac(text: str | None, source: str, where: str) -> str | None:
    """A MAC address as the monitor writes it: lower case, colons."""
    if text is None:
        return None
    lowered = text.lower()
    if not _MAC.fullmatch(lowered):
        raise InputError("supply_chain_bad_address", value=text, source=source,
                         location=where)
    digits = re.sub("[:-]", "", lowered)
    return ":".join(digits[i:i + 2] for i in range(0, 12, 2))


def _check_addresses(chain: SupplyChain, source: str) -> None:
    """One address names one device of a site: two would make the monitor guess."""
    seen: dict[tuple[str, str], str] = {}
    for i, d in enumerate(chain.devices):
        for field, value in (("ip", d.ip), ("mac", d.mac)):
            if value is None:
                continue
            other = seen.setdefault((d.site, value), d.name)
            if other != d.name:
                raise InputError("supply_chain_duplicate_address", value=value, name=other,
                                 source=source, location=f"/devices/{i}/{field}")


def _check_references(chain: SupplyChain, source: str) -> None:
    """Names used must be declared in the same file; the store adds nothing implicitly."""
    orgs = {o.name for o in chain.organizations}
    products = {p.name for p in chain.products}
    releases = {(r.product, r.version) for r in chain.releases}
    zones = {s.name: set(s.zones) for s in chain.sites}

    def unknown_organisation(name: str, where: str) -> InputError:
        return InputError("supply_chain_unknown_organisation", name=name, source=source,
                          location=where)

    for i, r in enumerate(chain.relations):
        if r.supplier not in orgs:
            raise unknown_organisation(r.supplier, f"/suppliers/{i}/supplier")
        if r.customer not in orgs:
            raise unknown_organisation(r.customer, f"/suppliers/{i}/customer")
        if r.supplier == r.customer:
            raise InputError("supply_chain_self_supply", source=source,
                             location=f"/suppliers/{i}")
    for i, p in enumerate(chain.products):
        if p.supplier not in orgs:
            raise unknown_organisation(p.supplier, f"/products/{i}/supplier")
    for i, s in enumerate(chain.sites):
        if s.operator not in orgs:
            raise unknown_organisation(s.operator, f"/sites/{i}/operator")
        _check_zones(s, i, source)
    for i, d in enumerate(chain.devices):
        if d.product not in products:
            raise InputError("supply_chain_unknown_product", name=d.product, source=source,
                             location=f"/devices/{i}/product")
        if (d.product, d.version) not in releases:
            raise InputError("supply_chain_unknown_release", product=d.product,
                             version=d.version, source=source, location=f"/devices/{i}/version")
        if d.site not in zones:
            raise InputError("supply_chain_unknown_site", name=d.site, source=source,
                             location=f"/devices/{i}/site")
        if d.zone is not None and d.zone not in zones[d.site]:
            raise InputError("supply_chain_unknown_zone", site=d.site, zone=d.zone,
                             source=source, location=f"/devices/{i}/zone")
    _check_unique(chain, source)
    _check_addresses(chain, source)


def _check_zones(site: Site, index: int, source: str) -> None:
    """A zone named twice in one site would leave its criticality to chance."""
    seen: set[str] = set()
    for j, zone in enumerate(site.zones):
        if zone in seen:
            raise InputError("supply_chain_duplicate_zone", site=site.name, zone=zone,
                             source=source, location=f"/sites/{index}/zones/{j}")
        seen.add(zone)


def _check_unique(chain: SupplyChain, source: str) -> None:
    for kind, names in (
        ("organizations", [o.name for o in chain.organizations]),
        ("products", [p.name for p in chain.products]),
        ("sites", [s.name for s in chain.sites]),
        ("devices", [d.name for d in chain.devices]),
    ):
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise InputError("supply_chain_duplicate_name", name=name, source=source,
                                 location=f"/{kind}/{i}/name")
            seen.add(name)
