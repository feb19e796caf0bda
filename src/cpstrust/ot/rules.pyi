"""Types of the compiled rule detectors (rules.pyx, ADR 0033)."""

from cpstrust.model.ot import ArpMessage, BacnetMessage, ModbusMessage
from cpstrust.model.ot_detect import AlertKind, Baseline
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.decoder import OtDecoder

SCAN_SECONDS: float
SCAN_COUNT: int
HOST_SCAN_COUNT: int
FLOOD_FACTOR: float
UNKNOWN_PAIR_WINDOW: float
MAX_STATE: int

class RuleDetector:
    raised: int  # alerts raised so far

    def __init__(self, baseline: Baseline, alerts: AlertAggregator, decoder: OtDecoder,
                 ) -> None: ...
    def raise_alert(self, ts: float, kind: AlertKind, src: str | None, dst: str | None,
                    detail: str, **facts: str) -> None: ...
    def modbus(self, m: ModbusMessage) -> None: ...
    def bacnet(self, m: BacnetMessage) -> None: ...
    def arp(self, m: ArpMessage) -> None:
        """An ARP request for a host the sender never talked to is a peer it looks for:
        many within ``SCAN_SECONDS`` (counted with the new flows' peers) are a host
        scan, even when nothing but ARP goes out (an ARP sweep)."""
    def flows(self) -> None:
        """Flows opened since the last call: a pair of hosts that never spoke, or not
        with this service, is a new talker; many new peers of one source, a host scan."""
