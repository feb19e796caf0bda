"""Use case: write a labelled OT scenario to a directory — the training capture
(normal traffic only), the test capture (normal traffic and attack episodes) and the
ground truth; or, in scale mode, one large capture for throughput and memory benchmarks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from cpstrust.errors import InputError
from cpstrust.formats.files import write_whole
from cpstrust.formats.ot_scenario import CaptureSummary, truth_csv, truth_json
from cpstrust.formats.pcap_write import CaptureFormat, CaptureWriter
from cpstrust.model.ot_scenario import Episode, Frame
from cpstrust.model.ot_scenario_config import MAX_SECONDS, ScenarioConfig
from cpstrust.ot.scenario.engine import ScenarioRun, scenario
from cpstrust.ot.scenario.repeat import repeat_frames, repeated_episodes

MIN_SCALE_BYTES = 1 << 20
SCALE_BLOCK_BYTES = 32 << 20  # simulated once, then repeated (``scenario.repeat``)
_BATCH = 4096
_PROBE_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class ScenarioRequest:
    config: ScenarioConfig
    out: Path
    capture_format: CaptureFormat = CaptureFormat.PCAP
    scale_bytes: int | None = None  # scale mode: one capture of at least this size
    scale_block_bytes: int = SCALE_BLOCK_BYTES  # scale mode: simulated, then repeated


@dataclass(frozen=True, slots=True)
class ScenarioWritten:
    captures: tuple[CaptureSummary, ...]
    episodes: tuple[Episode, ...]
    truth_json: Path
    truth_csv: Path
    seconds: float  # wall time of the generation

    @property
    def frames_per_second(self) -> float:
        return sum(c.frames for c in self.captures) / self.seconds if self.seconds else 0.0


def generate_scenario(request: ScenarioRequest) -> ScenarioWritten:
    """Write the scenario of ``request`` into ``request.out`` (created if missing)."""
    out = request.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("output_unwritable", error=exc.strerror or str(exc),
                         source=str(out)) from None
    if not out.is_dir():
        raise InputError("scenario_out_not_directory", source=str(out))
    began = time.perf_counter()
    suffix = request.capture_format.value
    if request.scale_bytes is None:
        run = scenario(request.config)
        captures = _write_split(run, out, suffix, request.capture_format)
    else:
        if request.scale_bytes < MIN_SCALE_BYTES:
            raise InputError("scenario_scale_too_small", minimum=MIN_SCALE_BYTES)
        block_bytes = min(request.scale_bytes, request.scale_block_bytes)
        run = scenario(_scale_config(request.config, block_bytes))
        scale, episodes = _write_scale(run, out / f"scale.{suffix}", request.capture_format,
                                       request.scale_bytes)
        captures = (scale,)
    if request.scale_bytes is None:
        episodes = run.episodes()
    json_path, csv_path = out / "truth.json", out / "truth.csv"
    write_whole(json_path, truth_json(run.config, run.network, captures, episodes))
    write_whole(csv_path, truth_csv(episodes))
    return ScenarioWritten(captures, episodes, json_path, csv_path,
                           time.perf_counter() - began)


def _write_split(run: ScenarioRun, out: Path, suffix: str,
                 capture_format: CaptureFormat) -> tuple[CaptureSummary, ...]:
    """Frames before the split into normal.*, the rest into test.*."""
    split = run.config.split
    frames = run.frames()
    held: list[Frame] = []
    normal = _Tally("normal", f"normal.{suffix}")
    with CaptureWriter(out / normal.file, capture_format) as writer:
        for batch in _batches(frames):
            before = [f for f in batch if f.ts < split]
            normal.add(before, writer)
            if len(before) < len(batch):
                held = batch[len(before):]
                break
    test = _Tally("test", f"test.{suffix}")
    with CaptureWriter(out / test.file, capture_format) as writer:
        test.add(held, writer)
        for batch in _batches(frames):
            test.add(batch, writer)
    return normal.summary(), test.summary()


def _write_scale(run: ScenarioRun, path: Path, capture_format: CaptureFormat,
                 target: int) -> tuple[CaptureSummary,
                                                         tuple[Episode, ...]]:
    """``run``'s test part (about ``block_bytes`` of frames, and every episode) as a
    block, repeated until the file holds ``target`` bytes (``scenario.repeat``); the
    episodes of every repetition."""
    split = run.config.split
    block: list[Frame] = []
    size = 0
    for batch in _batches(run.frames()):
        kept = [f for f in batch if f.ts >= split]
        block += kept
        size += sum(16 + len(f.data) for f in kept)
    if not block:
        raise InputError("scenario_scale_too_small", minimum=MIN_SCALE_BYTES)
    gaps = len(block) - 1
    period = block[-1].ts - block[0].ts + ((block[-1].ts - block[0].ts) / gaps if gaps else 1.0)
    repetitions = -(-target // max(size, 1))
    tally = _Tally("scale", path.name)
    with CaptureWriter(path, capture_format) as writer:
        for batch in _batches(repeat_frames(block, period, repetitions)):
            tally.add(batch, writer)
            if writer.size >= target:
                break
    end = tally.end or 0.0
    return tally.summary(), tuple(e for e in repeated_episodes(run.episodes(), period,
                                                               repetitions) if e.end <= end)


def _scale_config(config: ScenarioConfig, target: int) -> ScenarioConfig:
    """``config`` with a test part long enough to fill ``target`` bytes, the length
    estimated from the bytes a two-minute probe of the same network writes."""
    probe = scenario(replace(config, normal_seconds=_PROBE_SECONDS, test_seconds=0,
                             attacks=()))
    rate = sum(16 + len(f.data) for f in probe.frames()) / _PROBE_SECONDS
    episodes = len(config.attacks) * config.episodes_per_kind
    seconds = min(MAX_SECONDS, max(120.0 * episodes,
                                   target / max(rate, 1.0) * 1.3 + _PROBE_SECONDS))
    return replace(config, normal_seconds=60.0, test_seconds=seconds)


def _batches(frames: Iterator[Frame]) -> Iterator[list[Frame]]:
    while batch := list(islice(frames, _BATCH)):
        yield batch


@dataclass(slots=True)
class _Tally:
    name: str
    file: str
    frames: int = 0
    attack_frames: int = 0
    bytes: int = 0
    start: float | None = None
    end: float | None = None

    def add(self, frames: list[Frame], writer: CaptureWriter) -> None:
        if not frames:
            return
        writer.write([(f.ts, f.data) for f in frames])
        self.frames += len(frames)
        self.attack_frames += sum(f.episode is not None for f in frames)
        self.start = frames[0].ts if self.start is None else self.start
        self.end = frames[-1].ts
        self.bytes = writer.size

    def summary(self) -> CaptureSummary:
        return CaptureSummary(self.name, self.file, self.start, self.end, self.frames,
                              self.attack_frames, self.bytes)
