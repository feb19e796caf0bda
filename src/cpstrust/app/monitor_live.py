"""`monitor live`: a long-running watch of an interface. dumpcap captures into a ring
buffer (``capture.live``); the files are decoded and run through the detectors as they
are written; each alert is told the moment its burst opens and stored as a finding
(``app.ot_findings``), and a burst's further occurrences update the same finding when
it closes. Stops when ``stop`` is set (SIGINT, SIGTERM): dumpcap is stopped and what it
wrote is drained first.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from cpstrust.app.monitor import load_baseline
from cpstrust.app.ot_findings import (
    OtFindingChanges,
    alert_observation,
    check_site,
    record_alerts,
)
from cpstrust.app.services import Services
from cpstrust.capture.dumpcap import RingSettings
from cpstrust.capture.live import LiveCapture, LiveCounters
from cpstrust.formats.pcap import PacketRecord
from cpstrust.limits import DEFAULT_CAPTURE_LIMITS, CaptureLimits
from cpstrust.model.events import Cause, CauseKind
from cpstrust.model.ot import MalformedKind
from cpstrust.model.ot_detect import Alert
from cpstrust.model.ot_inventory import DEFAULT_RESOLVE_AFTER_HOURS, OtObservation
from cpstrust.ot.alerts import DEFAULT_GAP
from cpstrust.ot.decoder import OtDecoder
from cpstrust.ot.detect import OtDetection

STALE_CHECK = 60.0  # seconds between looks for alert findings to resolve as stale


@dataclass(frozen=True, slots=True)
class LiveRequest:
    interface: str
    baseline: Path
    site: str = ""
    store: bool = True
    model: bool = True
    ring_dir: Path | None = None  # a temporary directory, removed at the end, by default
    ring_filesize_kb: int = 8192
    ring_files: int = 8
    capture_filter: str | None = None
    resolve_after_hours: float = DEFAULT_RESOLVE_AFTER_HOURS
    dumpcap: str = "dumpcap"


class NoticeKind(StrEnum):
    CAPTURE_STARTED = "capture_started"  # dumpcap writes its first file (detail: its pid)
    ALERT = "alert"  # a deviation seen for the first time in a while: a burst opened
    ALERT_UPDATED = "alert_updated"  # a burst closed after more occurrences
    CAPTURE_RESTARTED = "capture_restarted"  # dumpcap died and was started again


@dataclass(frozen=True, slots=True)
class LiveNotice:
    kind: NoticeKind
    alert: Alert | None = None
    restarts: int = 0
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LiveSummary:
    """What a live run did, told when it stops."""

    interface: str
    packets: int
    alerts: int
    capture: LiveCounters
    findings: OtFindingChanges
    malformed: dict[MalformedKind, int] = field(default_factory=dict)


def run_live(services: Services, request: LiveRequest, stop: threading.Event,
             notify: Callable[[LiveNotice], None],
             limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS) -> LiveSummary:
    """Watch ``request.interface`` until ``stop`` is set."""
    baseline = load_baseline(request.baseline)
    if request.store:
        with services.store.transaction() as session:
            check_site(session, request.site)
    ring_dir = request.ring_dir or Path(tempfile.mkdtemp(prefix="cpstrust-live-"))
    ring_dir.mkdir(parents=True, exist_ok=True)
    watch = _Watch(services, request, notify)
    decoder = OtDecoder(limits)
    detection = OtDetection(baseline, decoder, model=request.model)
    detection.aggregator.opened = []
    watch.detection = detection
    capture = LiveCapture(
        request.interface,
        RingSettings(ring_dir, request.ring_filesize_kb, request.ring_files,
                     request.capture_filter, request.dumpcap),
        stop, on_tick=watch.tick, limits=limits,
        on_restart=lambda n, why: notify(LiveNotice(NoticeKind.CAPTURE_RESTARTED,
                                                    restarts=n, detail=why)),
        on_start=lambda pid: notify(LiveNotice(NoticeKind.CAPTURE_STARTED,
                                               restarts=capture.counters.restarts,
                                               detail=str(pid))))
    try:
        detection.run(decoder.messages(watch.timed(capture.records())))
        watch.flush(final=True)
    finally:
        if request.ring_dir is None:
            shutil.rmtree(ring_dir, ignore_errors=True)
    return LiveSummary(request.interface, decoder.packets, watch.alerts, capture.counters,
                       watch.changes, dict(decoder.malformed))


class _Watch:
    """Between packets: alerts out to ``notify`` and into the store as they happen."""

    def __init__(self, services: Services, request: LiveRequest,
                 notify: Callable[[LiveNotice], None]) -> None:
        self.services = services
        self.request = request
        self.notify = notify
        self.detection: OtDetection | None = None
        self.ts = 0.0  # capture time of the newest packet
        self.alerts = 0
        self.changes = OtFindingChanges()
        self._stale_checked = time.monotonic()

    def timed(self, records: Iterator[PacketRecord]) -> Iterator[PacketRecord]:
        for record in records:
            self.ts = record[0]
            yield record

    def tick(self) -> None:
        self.flush(final=False)

    def flush(self, *, final: bool) -> None:
        detection = self.detection
        assert detection is not None
        aggregator = detection.aggregator
        if final:
            closing = list(detection.alerts())  # every burst still open, closed
            opened = aggregator.take_opened()
        else:
            detection.rules.flows()
            opened = aggregator.take_opened()
            closing = aggregator.take_closed(self.ts - DEFAULT_GAP)
        observations: list[OtObservation] = []
        site = self.request.site
        for alert in opened:
            self.alerts += 1
            self.notify(LiveNotice(NoticeKind.ALERT, alert))
            observations.append(alert_observation(alert, site, 1))
        for alert in closing:
            if alert.count > 1:  # its first occurrence was told and stored when it opened
                self.notify(LiveNotice(NoticeKind.ALERT_UPDATED, alert))
                observations.append(alert_observation(alert, site, alert.count - 1))
        self._store(observations, final)

    def _store(self, observations: list[OtObservation], final: bool) -> None:
        if not self.request.store:
            return
        stale = None
        if final or time.monotonic() - self._stale_checked >= STALE_CHECK:
            self._stale_checked = time.monotonic()
            stale = self.ts - self.request.resolve_after_hours * 3600 if self.ts else None
        if not observations and stale is None:
            return
        with self.services.store.transaction() as session:
            self.changes += record_alerts(
                session, observations, self.request.site, stale_before=stale,
                counted_by_time=False,
                cause=Cause(CauseKind.OT, f"live:{self.request.interface}"),
                at=datetime.now(UTC))
