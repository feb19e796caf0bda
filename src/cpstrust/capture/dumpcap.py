"""One run of Wireshark's ``dumpcap`` writing a ring buffer of pcapng files: started,
watched, stopped, and its own counters of what the interface received and dropped.

dumpcap 4.0 writes no interface statistics blocks into ring files; the counters come
from the summary it prints when it stops (``Packets received/dropped on interface``),
which the kernel's and libpcap's drop counts make up.
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cpstrust.errors import InputError

_SUMMARY = re.compile(
    rb"Packets received/dropped on interface '[^']*': (\d+)/(\d+) "
    rb"\(pcap:(\d+)/dumpcap:(\d+)/flushed:(\d+)/ps_ifdrop:(\d+)\)")
_RING_NUMBER = re.compile(r"_(\d{5,})_\d{14}\.pcapng$")
STOP_WAIT = 10.0  # seconds dumpcap may take to flush and exit after SIGTERM
_ERROR_TAIL = 2000  # bytes of dumpcap's stderr quoted when it fails


@dataclass(frozen=True, slots=True)
class RingSettings:
    """Where and how dumpcap writes: a file switched at ``filesize_kb``, ``files`` kept."""

    directory: Path
    filesize_kb: int = 8192
    files: int = 8
    capture_filter: str | None = None
    executable: str = "dumpcap"


@dataclass(frozen=True, slots=True)
class CaptureCounters:
    """dumpcap's own count of one run: packets the interface gave it, and dropped (by
    the kernel, libpcap, dumpcap, or the interface)."""

    received: int
    dropped: int
    pcap: int
    dumpcap: int
    flushed: int
    interface: int


class DumpcapRun:
    """dumpcap started for one generation of ring files (``live-<n>_*.pcapng``)."""

    def __init__(self, interface: str, ring: RingSettings, generation: int) -> None:
        self.ring = ring
        self.generation = generation
        self.prefix = f"live-{generation}"
        self._stderr_path = ring.directory / f"{self.prefix}.stderr"
        command = [ring.executable, "-q", "-i", interface, "-w",
                   str(ring.directory / f"{self.prefix}.pcapng"),
                   "-b", f"filesize:{ring.filesize_kb}", "-b", f"files:{ring.files}"]
        if ring.capture_filter:
            command += ["-f", ring.capture_filter]
        with self._stderr_path.open("wb") as stderr:
            try:
                # Its own session: a Ctrl-C at the terminal reaches the monitor, which
                # stops dumpcap itself and then reads what it wrote.
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                                stdout=subprocess.DEVNULL, stderr=stderr,
                                                start_new_session=True)
            except OSError as exc:
                raise InputError("live_dumpcap_unavailable", program=ring.executable,
                                 error=exc.strerror or str(exc)) from None
        self.started = time.monotonic()

    @property
    def pid(self) -> int:
        return self.process.pid

    def exited(self) -> bool:
        return self.process.poll() is not None

    def files(self) -> list[Path]:
        """Its ring files still on disk, oldest first."""
        found = []
        for path in self.ring.directory.glob(f"{self.prefix}_*.pcapng"):
            number = _RING_NUMBER.search(path.name)
            if number is not None:
                found.append((int(number.group(1)), path))
        return [path for _, path in sorted(found)]

    def ring_number(self, path: Path) -> int:
        number = _RING_NUMBER.search(path.name)
        return int(number.group(1)) if number else 0

    def stop(self) -> None:
        """SIGTERM (dumpcap closes its file and prints its counters), SIGKILL if it
        does not exit in time."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def counters(self) -> CaptureCounters | None:
        """What dumpcap counted, once it has stopped cleanly (None when it was killed)."""
        found = _SUMMARY.findall(self._stderr())
        if not found:
            return None
        return CaptureCounters(*(int(v) for v in found[-1]))

    def error_text(self) -> str:
        """The end of what dumpcap said on stderr, for a failure."""
        return self._stderr()[-_ERROR_TAIL:].decode("utf-8", "replace").strip()

    def _stderr(self) -> bytes:
        try:
            return self._stderr_path.read_bytes()
        except OSError:
            return b""

    def remove_files(self) -> None:
        """Its stderr log, once read; ring files are removed as they are read."""
        self._stderr_path.unlink(missing_ok=True)


def alive_for(run: DumpcapRun) -> float:
    return time.monotonic() - run.started

