"""Types of the compiled pcap record loop (pcap_loop.pyx, ADR 0033)."""

from collections.abc import Iterator
from typing import Any

def pcap_records(reader: Any, chunks: Any, order: str, scale: float,
                 max_len: int) -> Iterator[tuple[float, int, bytes, int]]: ...
