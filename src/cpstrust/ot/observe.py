"""How learning and detection read a message alike: the register table a Modbus
function addresses, the class a function belongs to, the values a message reports or
writes, and the service port that names a flow's service."""

from __future__ import annotations

from collections.abc import Iterator

from cpstrust.model.ot import ArpMessage, BacnetMessage, ModbusMessage

MODBUS_PORT = 502
_TABLES = {1: "coil", 5: "coil", 15: "coil", 2: "discrete_input", 3: "holding",
           6: "holding", 16: "holding", 22: "holding", 23: "holding", 4: "input"}
# a single and a multiple write of the same table are one operation to an operator
_FUNCTION_CLASS = {15: 5, 16: 6}
_SUB_FUNCTIONS = (8, 43)  # diagnostics, encapsulated interface: the sub-function matters
REGISTER_TABLES = ("holding", "input")  # values with a range; coils are 0/1
BACNET_WRITE_PROPERTY = 15
_OT_PORTS = frozenset({MODBUS_PORT, *range(47808, 47824)})
# ARP in the talkers table: its ethertype where an IP protocol number stands (no IP
# protocol has a number that large), service port 0
ARP_TALKER = 0x0806


def arp_asks(m: ArpMessage) -> bool:
    """A request that asks for another host: not a gratuitous announcement (asking for
    its own address) nor an address probe (RFC 5227: from 0.0.0.0)."""
    return m.operation == 1 and m.sender_ip != m.target_ip and m.sender_ip != "0.0.0.0"


def table_of(function: int) -> str | None:
    return _TABLES.get(function)


def function_key(m: ModbusMessage) -> tuple[int, int]:
    """(function class, sub-function or -1)."""
    sub = -1
    if m.function in _SUB_FUNCTIONS and m.detail is not None \
            and m.detail.sub_function is not None:
        sub = m.detail.sub_function
    return _FUNCTION_CLASS.get(m.function, m.function), sub


def modbus_values(m: ModbusMessage) -> Iterator[tuple[int, int]]:
    """(address, value) of the registers a read response reports or a write request
    writes; nothing for bits, exceptions or functions without an address."""
    if m.address is None or not m.values or m.exception is not None:
        return
    if _TABLES.get(m.function) not in REGISTER_TABLES:
        return
    if m.response and m.function not in (3, 4, 23):
        return  # a write's echo says nothing new
    address = m.address
    for offset, value in enumerate(m.values):
        yield address + offset, value


def bacnet_values(m: BacnetMessage) -> Iterator[tuple[int, int, int, float]]:
    """(object type, instance, property, value) of each numeric value the message
    carries: a read's answer, a change-of-value notification, a write."""
    for ref in m.references:
        value = ref.value
        if ref.instance is None or value is None or value.__class__ not in (int, float) \
                or ref.object_type is None:
            continue
        yield ref.object_type, ref.instance, ref.property_id or 0, float(value)


def bacnet_reports(m: BacnetMessage) -> bool:
    """An answer or notification from a device, whose values are its reports."""
    # complex ACK; unconfirmed COV notification (2); confirmed COV notification (1)
    return m.apdu_type == 3 or (m.apdu_type == 1 and m.service == 2) \
        or (m.apdu_type == 0 and m.service == 1)


def service_port(sport: int, dport: int) -> int:
    """The port that names the service of a flow in either direction: an OT port when
    one end has it, else the lower (ephemeral ports are high)."""
    if dport in _OT_PORTS:
        return dport
    if sport in _OT_PORTS:
        return sport
    return min(sport, dport)
