"""Detection over a stream of decoded messages: the rules and the learned model side
by side, their alerts aggregated. Nothing of the capture is held: per-pair and
per-flow state only, each bounded."""

from __future__ import annotations

from collections.abc import Iterable

from cpstrust.model.ot import ModbusMessage
from cpstrust.model.ot_detect import Alert, Baseline
from cpstrust.ot.alerts import AlertAggregator
from cpstrust.ot.decoder import OtDecoder, OtMessage
from cpstrust.ot.features import WINDOW_SECONDS, FlowWindows
from cpstrust.ot.rules import RuleDetector
from cpstrust.ot.window_model import WindowModel


class OtDetection:
    """``run`` the decoder's messages through it, then ``alerts``."""

    def __init__(self, baseline: Baseline, decoder: OtDecoder, *, model: bool = True,
                 ) -> None:
        self.decoder = decoder
        self.aggregator = AlertAggregator()
        self.rules = RuleDetector(baseline, self.aggregator, decoder)
        self.model_alone = AlertAggregator()  # the learned model's alerts on its own
        self.model = WindowModel(baseline.model if model else None, self.aggregator,
                                 self.model_alone)
        expected = {pair: r.per_window for pair, r in baseline.rates.items()}
        self.windows = FlowWindows(self.model.window,
                                   lambda c, s: expected.get((c, s)))

    def run(self, messages: Iterable[OtMessage]) -> None:
        rules_modbus, rules_bacnet = self.rules.modbus, self.rules.bacnet
        windows_modbus, windows_bacnet = self.windows.modbus, self.windows.bacnet
        modbus_type = ModbusMessage
        boundary = 0.0
        for m in messages:
            if type(m) is modbus_type:  # compiled, a pointer compare: no attribute lookup
                rules_modbus(m)
                windows_modbus(m)
            else:
                rules_bacnet(m)  # type: ignore[arg-type]
                windows_bacnet(m)  # type: ignore[arg-type]
            ts = m.ts
            if ts >= boundary:  # a window ended: close the flows' that did
                self.windows.flush_before(ts)
                boundary = (ts // WINDOW_SECONDS + 1) * WINDOW_SECONDS
        self.rules.flows()

    def alerts(self) -> tuple[Alert, ...]:
        """The rules' alerts and the model's beside them (its strict threshold); the
        model's alone, at its own threshold, are ``model_alone.alerts()`` after."""
        self.windows.flush_before(float("inf"))
        self.model.flush()
        return self.aggregator.alerts()
