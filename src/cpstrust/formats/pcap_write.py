"""Captures written as pcap or pcapng with dpkt's writers, whole or not at all: frames
go to a temporary file beside the target, renamed over it when complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import dpkt

from cpstrust.errors import InputError

SNAPLEN = 65535


class CaptureFormat(StrEnum):
    PCAP = "pcap"
    PCAPNG = "pcapng"


class CaptureWriter:
    """``with CaptureWriter(path, format) as capture: capture.write(frames)``; the file
    appears at ``path`` only if the block ends without an exception."""

    def __init__(self, path: Path, capture_format: CaptureFormat) -> None:
        self.path = path
        try:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".tmp")
        except OSError as exc:
            raise InputError("output_unwritable", error=exc.strerror or str(exc),
                             source=str(path)) from None
        self._temporary = Path(temporary)
        self._stream: IO[bytes] = os.fdopen(handle, "wb", buffering=1 << 20)
        writer: Any = (dpkt.pcap.Writer if capture_format is CaptureFormat.PCAP
                       else dpkt.pcapng.Writer)
        self._writer = writer(self._stream, snaplen=SNAPLEN)

    def write(self, frames: Iterable[tuple[float, bytes]]) -> None:
        """Append ``(timestamp, frame)`` records, timestamps in epoch seconds."""
        try:
            self._writer.writepkts(frames)
        except OSError as exc:
            raise InputError("output_unwritable", error=exc.strerror or str(exc),
                             source=str(self.path)) from None

    @property
    def size(self) -> int:
        """Bytes written so far (what is still buffered included)."""
        return self._stream.tell()

    def __enter__(self) -> CaptureWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None:
                self._stream.flush()
                os.fsync(self._stream.fileno())
                os.fchmod(self._stream.fileno(), 0o644)
            self._stream.close()
            if kind is None:
                self._temporary.replace(self.path)
        except OSError as exc:
            raise InputError("output_unwritable", error=exc.strerror or str(exc),
                             source=str(self.path)) from None
        finally:
            self._temporary.unlink(missing_ok=True)
