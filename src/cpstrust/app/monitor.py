"""OT monitoring use cases: what a capture holds (``decode_capture``), a baseline of
normal traffic (``learn_baseline``) and the alerts of a capture against it
(``analyze_capture``). Reads captures as streams; stores nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cpstrust.errors import InputError
from cpstrust.formats.files import read_limited, write_whole
from cpstrust.formats.ot_baseline import MAX_BYTES as BASELINE_MAX_BYTES
from cpstrust.formats.ot_baseline import read_baseline, write_baseline
from cpstrust.formats.pcap import CaptureReader
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits, ReadLimits
from cpstrust.model.ot import DecodeReport, ModbusMessage
from cpstrust.model.ot_detect import Alert, Baseline
from cpstrust.ot.baseline import BaselineLearner
from cpstrust.ot.decoder import OtDecoder, OtMessage
from cpstrust.ot.detect import OtDetection
from cpstrust.ot.summary import DecodeSummary


def decode_capture(path: Path, limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
                   ) -> DecodeReport:
    """Decode the pcap or pcapng file at ``path`` as a stream: its Modbus and BACnet
    messages summed up, its assets, flows and malformed traffic."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError("pcap_unreadable", source=str(path), error=exc.strerror or str(exc)
                         ) from None
    with stream:
        reader = CaptureReader(stream, str(path), limits)
        decoder = OtDecoder(limits)
        summary = DecodeSummary(decoder)
        try:
            for message in decoder.messages(reader.records()):
                summary.add(message)
        except OSError as exc:
            raise InputError("pcap_unreadable", source=str(path),
                             error=exc.strerror or str(exc)) from None
        return summary.report(str(path), reader.stats)


@dataclass(frozen=True, slots=True)
class LearnedBaseline:
    baseline: Baseline
    out: Path
    packets: int


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """The alerts of one capture against a baseline, and what was read."""

    source: str
    packets: int
    first_ts: float | None
    last_ts: float | None
    alerts: tuple[Alert, ...]  # the rules', and the learned model's beside them
    alerts_dropped: int
    model_alerts: tuple[Alert, ...] = ()  # the learned model's on its own (comparison)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError("pcap_unreadable", source=str(path), error=exc.strerror or str(exc)
                         ) from None


def _decode(path: Path, decoder: OtDecoder, sink: Callable[[Iterator[OtMessage]], None],
            limits: CaptureLimits) -> None:
    """Stream the capture's messages into ``sink``: the file is never held whole."""
    with _open(path) as stream:
        reader = CaptureReader(stream, str(path), limits)
        try:
            sink(decoder.messages(reader.records()))
        except OSError as exc:
            raise InputError("pcap_unreadable", source=str(path),
                             error=exc.strerror or str(exc)) from None


def learn_baseline(captures: Sequence[Path], out: Path,
                   limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> LearnedBaseline:
    """Learn a baseline from captures of normal operation and write it to ``out``."""
    learner = BaselineLearner()

    def learn(messages: Iterator[OtMessage]) -> None:
        modbus, bacnet = learner.modbus, learner.bacnet
        for m in messages:
            if m.__class__ is ModbusMessage:
                modbus(m)
            else:
                bacnet(m)  # type: ignore[arg-type]

    for path in captures:
        decoder = OtDecoder(limits)
        decoder.arp_sink = learner.arp
        _decode(path, decoder, learn, limits)
        learner.add_flows(decoder)
    baseline = learner.baseline()
    write_whole(out, write_baseline(baseline))
    return LearnedBaseline(baseline, out, baseline.packets)


def load_baseline(path: Path) -> Baseline:
    return read_baseline(read_limited(path, ReadLimits(max_bytes=BASELINE_MAX_BYTES)),
                         str(path))


def analyze_capture(capture: Path, baseline: Baseline, *, model: bool = True,
                    limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> AnalysisResult:
    """Every alert of ``capture`` against ``baseline``, rules and (with ``model``) the
    learned model, in bounded memory."""
    decoder = OtDecoder(limits)
    detection = OtDetection(baseline, decoder, model=model)
    _decode(capture, decoder, detection.run, limits)
    alerts = detection.alerts()
    return AnalysisResult(str(capture), decoder.packets, decoder.first_ts, decoder.last_ts,
                          alerts, detection.aggregator.dropped,
                          detection.model_alone.alerts())
