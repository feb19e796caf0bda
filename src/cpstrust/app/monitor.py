"""OT monitoring use cases: what a capture holds (``decode_capture``). Reads the file;
stores nothing."""

from __future__ import annotations

from pathlib import Path

from cpstrust.errors import InputError
from cpstrust.formats.pcap import CaptureReader
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
from cpstrust.model.ot import DecodeReport
from cpstrust.ot.decoder import OtDecoder
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
