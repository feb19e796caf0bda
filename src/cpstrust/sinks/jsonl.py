"""A JSON Lines file of events: each event appended as one line and synced to disk.

The file is the sink's own record of what it holds: before appending, its last line
names the last event written, so a crash between the write and the cursor's update
writes nothing twice; a torn last line (a crash during the write) is cut back to the
last complete one. One deliverer at a time: the file is locked while it appends.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import orjson

from cpstrust.errors import InputError
from cpstrust.formats.event_json import event_lines
from cpstrust.model.events import Event
from cpstrust.sinks.interface import EventSink

# How far back the last line is looked for: an event line is well under 4 KiB.
_TAIL = 64 * 1024


class JsonlSink(EventSink):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = f"jsonl:{path.resolve()}"
        self._file: BinaryIO | None = None

    def __enter__(self) -> JsonlSink:
        created = not self.path.exists()
        self._file = self.path.open("a+b")
        try:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise InputError("events_jsonl_busy", source=str(self.path)) from None
        if created:  # the new name itself must survive a crash
            directory = os.open(self.path.resolve().parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._file is not None:
            self._file.close()  # releases the lock
            self._file = None

    def _opened(self) -> BinaryIO:
        assert self._file is not None, "used inside its with block"
        return self._file

    def written_up_to(self) -> int:
        out = self._opened()
        size = out.seek(0, os.SEEK_END)
        start = max(0, size - _TAIL)
        out.seek(start)
        tail = out.read()
        end = tail.rfind(b"\n") + 1
        if end != len(tail):  # a torn line: cut back to the last complete one
            if end == 0 and start > 0:
                raise InputError("events_jsonl_not_events", source=str(self.path))
            os.ftruncate(out.fileno(), start + end)
            os.fsync(out.fileno())
            tail = tail[:end]
        lines = tail.rstrip(b"\n").rsplit(b"\n", 1)
        if not lines[-1]:
            return 0
        try:
            last = orjson.loads(lines[-1])
        except orjson.JSONDecodeError:
            last = None
        if not isinstance(last, dict) or not isinstance(last.get("id"), int):
            raise InputError("events_jsonl_not_events", source=str(self.path))
        return int(last["id"])

    def deliver(self, events: Sequence[Event]) -> None:
        out = self._opened()
        out.write(event_lines(events))
        out.flush()
        os.fsync(out.fileno())
