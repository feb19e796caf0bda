"""The supply-chain graph: declarative loading, idempotence, errors naming the place."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust.errors import InputError
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.tables import DeviceRow, OrganizationRow, SupplierRelationRow, ZoneRow

CHAIN = b"""
organizations: [{name: Buyer}, {name: Tier1}, {name: Tier2}]
suppliers:
  - {supplier: Tier1, customer: Buyer, tier: 1}
  - {supplier: Tier2, customer: Tier1, tier: 2}
products:
  - {name: PLC, supplier: Tier1, releases: [{version: "1.0"}, {version: 2.0}]}
sites: [{name: Plant, operator: Buyer, zones: [cell-1, dmz]}]
devices:
  - {name: plc-1, product: PLC, version: "1.0", site: Plant, zone: cell-1}
  - {name: plc-2, product: PLC, version: "2.0", site: Plant}
"""


def _count(store: Store, table: type) -> int:
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_loading_the_same_chain_twice_duplicates_nothing(store: Store) -> None:
    chain = read_supply_chain(CHAIN, source="chain.yaml")
    for _ in range(2):
        with store.transaction() as session:
            counts = load_supply_chain(session, chain)
    assert (counts.organizations, counts.products, counts.releases, counts.devices) == (3, 1, 2, 2)
    assert _count(store, OrganizationRow) == 3
    assert _count(store, SupplierRelationRow) == 2
    assert _count(store, ZoneRow) == 2
    assert _count(store, DeviceRow) == 2


def test_numeric_versions_in_yaml_are_kept_as_text() -> None:
    chain = read_supply_chain(CHAIN, source="chain.yaml")
    assert {r.version for r in chain.releases} == {"1.0", "2.0"}


@pytest.mark.parametrize(
    ("text", "location", "problem"),
    [
        (
            b"products: [{name: X, supplier: Nobody}]",
            "/products/0/supplier",
            "unknown organisation",
        ),
        (
            b"organizations: [{name: A}]\nsuppliers: [{supplier: A, customer: A}]",
            "/suppliers/0",
            "cannot supply itself",
        ),
        (b"organizations: [{name: A}, {name: A}]", "/organizations/1/name", "duplicate name"),
        (b"organizations: [{nam: A}]", "/organizations/0", "'nam' was unexpected"),
        (
            b"organizations: [{name: A}]\n"
            b"products: [{name: P, supplier: A, releases: [{version: '1'}]}]"
            b"\nsites: [{name: S, operator: A, zones: [z]}]"
            b"\ndevices: [{name: d, product: P, version: '2', site: S}]",
            "/devices/0/version",
            "has no release",
        ),
        (
            b"organizations: [{name: A}]\n"
            b"products: [{name: P, supplier: A, releases: [{version: '1'}]}]"
            b"\nsites: [{name: S, operator: A, zones: [z]}]"
            b"\ndevices: [{name: d, product: P, version: '1', site: S, zone: other}]",
            "/devices/0/zone",
            "has no zone",
        ),
        (b"organizations: [{name: A}\n", "line", "not valid YAML"),
        (b"!!python/object/apply:os.system ['true']", "line", "not valid YAML"),
    ],
)
def test_bad_chain_file_names_file_place_and_problem(
    text: bytes, location: str, problem: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_supply_chain(text, source="chain.yaml")
    message = caught.value.diagnostics()
    assert message.startswith("chain.yaml: at ")
    assert location in message
    assert problem in message


def test_demo_chain_file_is_valid() -> None:
    demo = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo" / "supply-chain.yaml"
    chain = read_supply_chain(demo.read_bytes(), source=str(demo))
    assert len(chain.sboms) == 4
    assert {d.site for d in chain.devices} == {"Mikawa Assembly Plant", "Nagoya Head Office"}


def test_versions_keep_their_text_even_where_yaml_would_make_a_float() -> None:
    text = CHAIN.replace(b'{version: "1.0"}', b"{version: 1.10}").replace(
        b'version: "1.0", site', b"version: 1.10, site"
    )
    chain = read_supply_chain(text, source="chain.yaml")
    assert {r.version for r in chain.releases} == {"1.10", "2.0"}


def test_deeply_nested_chain_file_is_refused_not_crashed() -> None:
    with pytest.raises(InputError, match=r"nest|deep"):
        read_supply_chain(b"organizations: " + b"[" * 100_000, source="chain.yaml")
