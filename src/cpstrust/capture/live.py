"""Records of a live interface: dumpcap writes a ring of pcapng files, and each file is
read as it grows (the streaming ``CaptureReader`` over a stream that waits for more
bytes), then the next. A dumpcap that dies is started again (a new generation of
files), counted and reported; a stop drains the last file.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from cpstrust.capture.dumpcap import CaptureCounters, DumpcapRun, RingSettings, alive_for
from cpstrust.errors import InputError
from cpstrust.formats.pcap import CaptureReader, PacketRecord
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits

POLL = 0.05  # seconds between looks at a file that has not grown
TICK = 0.25  # seconds between calls of ``on_tick`` while packets keep coming
START_WAIT = 10.0  # seconds dumpcap may take to open its first file
QUICK_FAILURE = 5.0  # a dumpcap that dies sooner than this after its start...
MAX_QUICK_FAILURES = 3  # ...this many times in a row: the capture cannot run


@dataclass(slots=True)
class LiveCounters:
    """What the live capture did so far."""

    files_read: int = 0
    files_lost: int = 0  # ring files overwritten before they could be read
    restarts: int = 0
    stopped_early: int = 0  # files whose reading stopped at a bad record
    runs: list[CaptureCounters | None] = field(default_factory=list)  # per dumpcap run

    @property
    def received(self) -> int:
        return sum(r.received for r in self.runs if r is not None)

    @property
    def dropped(self) -> int:
        return sum(r.dropped for r in self.runs if r is not None)

    @property
    def runs_uncounted(self) -> int:
        """dumpcap runs that died without saying what they dropped."""
        return sum(1 for r in self.runs if r is None)


class LiveCapture:
    """``records()`` until ``stop`` is set; ``on_tick`` is called at least every
    ``TICK`` seconds in between records, ``on_start`` with dumpcap's pid once it writes
    (at the start and after each restart, which ``on_restart`` tells first)."""

    def __init__(self, interface: str, ring: RingSettings, stop: threading.Event, *,
                 on_tick: Callable[[], None] = lambda: None,
                 on_restart: Callable[[int, str], None] = lambda restarts, why: None,
                 on_start: Callable[[int], None] = lambda pid: None,
                 limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> None:
        self.interface = interface
        self.ring = ring
        self.stop = stop
        self.on_tick = on_tick
        self.on_restart = on_restart
        self.on_start = on_start
        self.limits = limits
        self.counters = LiveCounters()
        self.run: DumpcapRun | None = None
        self._runs: list[DumpcapRun] = []
        self._quick_failures = 0
        self._last_tick = time.monotonic()

    def records(self) -> Iterator[PacketRecord]:
        """Every packet captured, in ring order, until a stop has been asked for and the
        last file is drained."""
        self._start(0)
        try:
            for run in self._generations():
                for path in self._files(run):
                    yield from self._read(run, path)
        finally:
            self._stop_all()

    # dumpcap runs ------------------------------------------------------------------

    def _start(self, generation: int) -> None:
        run = DumpcapRun(self.interface, self.ring, generation)
        self.run = run
        self._runs.append(run)
        deadline = time.monotonic() + START_WAIT
        while not run.files():
            if run.exited() or time.monotonic() > deadline:
                run.stop()
                raise InputError("live_dumpcap_failed", interface=self.interface,
                                 error=run.error_text() or "-")
            time.sleep(POLL)
        self.on_start(run.pid)

    def _generations(self) -> Iterator[DumpcapRun]:
        index = 0
        while index < len(self._runs):
            yield self._runs[index]
            index += 1

    def _supervise(self) -> None:
        """Stop dumpcap when asked; start it again when it died on its own."""
        run = self.run
        if run is None:
            return
        if self.stop.is_set():
            self._finish(run)
            return
        if not run.exited():
            return
        self._finish(run)
        self._quick_failures = self._quick_failures + 1 if alive_for(run) < QUICK_FAILURE else 0
        if self._quick_failures >= MAX_QUICK_FAILURES:
            raise InputError("live_dumpcap_failed", interface=self.interface,
                             error=run.error_text() or "-")
        self.counters.restarts += 1
        self.on_restart(self.counters.restarts, run.error_text())
        self._start(run.generation + 1)

    def _finish(self, run: DumpcapRun) -> None:
        run.stop()
        self.run = None
        self.counters.runs.append(run.counters())
        run.remove_files()

    def _stop_all(self) -> None:
        if self.run is not None:
            self._finish(self.run)

    # files ---------------------------------------------------------------------------

    def _files(self, run: DumpcapRun) -> Iterator[Path]:
        """The run's files in ring order, each once, waiting for the next while the run
        goes on."""
        number = 0
        while True:
            later = [p for p in run.files() if run.ring_number(p) > number]
            if later:
                path = later[0]
                self.counters.files_lost += run.ring_number(path) - number - 1
                number = run.ring_number(path)
                yield path
            elif run is not self.run:
                return  # stopped or replaced, and every file it wrote was read
            else:
                self._wait()

    def _read(self, run: DumpcapRun, path: Path) -> Iterator[PacketRecord]:
        try:
            stream = path.open("rb")
        except FileNotFoundError:  # overwritten by the ring before it was opened
            self.counters.files_lost += 1
            return
        with stream:
            follow = _GrowingFile(stream, lambda: self._finished(run, path), self._wait,
                                  self._tick)
            # the reader only calls read(): a growing file needs nothing more of BinaryIO
            reader = CaptureReader(cast(BinaryIO, follow), str(path), self.limits)
            yield from reader.records()
            self.counters.files_read += 1
            if reader.stats.stopped_at is not None:
                self.counters.stopped_early += 1
        if run is not self.run or self._finished(run, path):
            path.unlink(missing_ok=True)

    def _finished(self, run: DumpcapRun, path: Path) -> bool:
        """dumpcap writes no more to ``path``: it moved to a later file, or stopped."""
        if run is not self.run:
            return True
        number = run.ring_number(path)
        return any(run.ring_number(p) > number for p in run.files())

    def _wait(self) -> None:
        self._tick(force=True)
        time.sleep(POLL)

    def _tick(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last_tick >= TICK:
            self._last_tick = now
            self._supervise()
            self.on_tick()


class _GrowingFile:
    """A file dumpcap is still writing, read as a stream: ``read`` waits for more bytes
    until the file is finished, then reads to its end and says end of file."""

    def __init__(self, stream: BinaryIO, finished: Callable[[], bool],
                 wait: Callable[[], None], tick: Callable[[], None]) -> None:
        self._stream = stream
        self._finished = finished
        self._wait = wait
        self._tick = tick

    def read(self, size: int = -1) -> bytes:
        while True:
            data = self._stream.read(size)
            if data:
                self._tick()
                return data
            if self._finished():
                return self._stream.read(size)  # what was written before it finished
            self._wait()
