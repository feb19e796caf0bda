"""Types of the compiled per-flow windows (features.pyx, ADR 0033)."""

from collections.abc import Callable
from typing import TypeAlias

from cpstrust.model.ot import BacnetMessage, ModbusMessage

WINDOW_SECONDS: float
FlowWindowKey: TypeAlias = tuple[str, str, str]  # client, server, protocol
# what a closed window yields: the flow, its first and last message time, the vector
WindowSink: TypeAlias = Callable[[FlowWindowKey, float, float, tuple[float, ...]], None]

def round4(x: float) -> float:
    """``round(x, 4)``, computed in C away from ties."""

class FlowWindows:
    """Per-flow windows of ``WINDOW_SECONDS``; ``sink`` receives each as it closes."""

    @property
    def sink(self) -> WindowSink: ...
    @property
    def expected(self) -> Callable[[str, str], float | None]: ...
    @property
    def max_flows(self) -> int: ...
    def __init__(self, sink: WindowSink,
                 expected: Callable[[str, str], float | None] = ...,
                 max_flows: int = 100_000) -> None: ...
    def modbus(self, m: ModbusMessage) -> None: ...
    def bacnet(self, m: BacnetMessage) -> None: ...
    def flush_before(self, ts: float) -> None:
        """Close every window that ended before ``ts`` (or all, with ``math.inf``)."""

def against_expected(requests: float, expected: float | None) -> float:
    """How many times more (positive) or fewer requests than expected, as a log."""
