"""Device addresses in the supply-chain file: normalised as the monitor writes them,
bad ones and one address on two devices of a site refused with the place named."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.supplychain import read_supply_chain
from cpstrust.model.graph import SupplyChain

HEAD = """
organizations: [{name: Op}, {name: Vendor}]
products: [{name: PLC, supplier: Vendor, releases: [{version: "1"}]}]
sites: [{name: Site A, operator: Op}, {name: Site B, operator: Op}]
devices:
"""


def _read(devices: str) -> SupplyChain:
    return read_supply_chain((HEAD + devices).encode(), source="chain.yaml")


def test_addresses_are_normalised() -> None:
    chain = _read('  - {name: d1, product: PLC, version: "1", site: Site A, '
                  'ip: "2001:DB8::0:1", mac: "02-AB-00-00-00-01"}\n')
    (device,) = chain.devices
    assert (device.ip, device.mac) == ("2001:db8::1", "02:ab:00:00:00:01")


@pytest.mark.parametrize(("field", "value"), [("ip", "10.0.0.300"), ("ip", "host.example"),
                                              ("mac", "02:00:00:00:00"),
                                              ("mac", "02:00-00:00:00:01")])
def test_a_bad_address_names_its_place(field: str, value: str) -> None:
    with pytest.raises(InputError) as error:
        _read(f'  - {{name: d1, product: PLC, version: "1", site: Site A, {field}: "{value}"}}\n')
    assert error.value.location == f"/devices/0/{field}"


def test_one_address_on_two_devices_of_a_site_is_refused() -> None:
    same_site = ('  - {name: d1, product: PLC, version: "1", site: Site A, ip: 10.0.0.5}\n'
                 '  - {name: d2, product: PLC, version: "1", site: Site A, ip: 10.0.0.5}\n')
    with pytest.raises(InputError) as error:
        _read(same_site)
    assert error.value.location == "/devices/1/ip"
    other_site = same_site.replace("d2, product: PLC, version: \"1\", site: Site A",
                                   "d2, product: PLC, version: \"1\", site: Site B")
    assert len(_read(other_site).devices) == 2
