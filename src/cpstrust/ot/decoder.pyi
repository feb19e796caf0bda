"""Types of the compiled OT decoder (decoder.pyx, ADR 0033)."""

from collections.abc import Callable, Iterable, Iterator
from typing import TypeAlias

from cpstrust.limits import CaptureLimits
from cpstrust.model.ot import (
    ArpMessage,
    BacnetMessage,
    MalformedKind,
    ModbusMessage,
    StreamEvent,
)

MODBUS_PORT: int
BACNET_LOW: int
BACNET_HIGH: int
MAX_REMEMBERED_PDUS: int
EVICT_SHARE: int
OtMessage: TypeAlias = ModbusMessage | BacnetMessage
# timestamp (epoch seconds), link type, captured bytes, length on the wire
Record: TypeAlias = tuple[float, int, bytes, int]
# source, destination (4 or 16 address bytes), IP protocol, source port, destination port
FlowKey: TypeAlias = tuple[bytes, bytes, int, int, int]

class OtDecoder:
    """Decodes one capture (or one live stream); ``messages`` once, then read the
    counters and tables."""

    limits: CaptureLimits
    packets: int
    first_ts: float | None
    last_ts: float | None
    flows_evicted: int
    opened: list[FlowKey] | None
    non_ip: int
    arp_messages: int
    arp_sink: Callable[[ArpMessage], None] | None
    malformed: dict[MalformedKind, int]
    stream_events: dict[StreamEvent, int]
    modbus_messages: int
    bacnet_messages: int
    modbus_pairs: int
    modbus_unanswered: int
    modbus_unpaired_responses: int

    def __init__(self, limits: CaptureLimits = ...) -> None: ...
    def count(self, kind: MalformedKind) -> None: ...
    @property
    def flows(self) -> dict[FlowKey, list[object]]:
        """Every flow by its key: packets, bytes, first ts, last ts, source MAC (the
        first frame's)."""
    @property
    def modbus_pending(self) -> int: ...
    def ip_text(self, address: bytes) -> str: ...
    def messages(self, records: Iterable[Record]) -> Iterator[OtMessage]: ...
