"""Zones in the supply-chain file: a name, or a name with its declared criticality
(1-5); a criticality off the scale and a zone named twice in one site are refused with
the place; loading again keeps the declaration current."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.supplychain import read_supply_chain

HEAD = """organizations: [{name: Op}]
sites:
  - name: Plant
    operator: Op
    zones:
"""


def test_zones_carry_their_declared_criticality() -> None:
    chain = read_supply_chain((HEAD + "      - {name: cell, criticality: 5}\n      - yard\n")
                              .encode(), source="chain.yaml")
    (site,) = chain.sites
    assert site.zones == ("cell", "yard")
    assert site.zone_criticality == (("cell", 5),)


@pytest.mark.parametrize(("zones", "code", "place"), [
    ("      - {name: cell, criticality: 6}\n", "supply_chain_schema_violation",
     "/sites/0/zones/0"),
    ("      - {name: cell, criticality: high}\n", "supply_chain_schema_violation",
     "/sites/0/zones/0"),
    ("      - {name: cell, level: 3}\n", "supply_chain_schema_violation", "/sites/0/zones/0"),
    ("      - cell\n      - {name: cell, criticality: 2}\n", "supply_chain_duplicate_zone",
     "/sites/0/zones/1"),
])
def test_malformed_zones_are_refused_with_the_place(zones: str, code: str, place: str) -> None:
    with pytest.raises(InputError) as refused:
        read_supply_chain((HEAD + zones).encode(), source="chain.yaml")
    assert refused.value.code == code
    assert refused.value.location == place and refused.value.source == "chain.yaml"
