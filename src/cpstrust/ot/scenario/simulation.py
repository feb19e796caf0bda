"""The shared state of a running scenario: the time-ordered frame queue, each host's
endpoint and IP identification counter, setpoints written, and the windows in which an
attack changes what normal traffic carries (spoofed values, faster polling)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from random import Random

from cpstrust.model.ot_scenario import Frame, Host, Network, Signal
from cpstrust.ot.scenario.packets import Endpoint, IpIdentities, TcpConnection

_TAU = 2 * math.pi
_IRWIN_HALL_SCALE = math.sqrt(3.0)


@dataclass(frozen=True, slots=True)
class Spoof:
    """Between ``start`` and ``end`` the values that ``key`` names are reported as
    ``value`` instead of the process's, by episode ``episode``."""

    start: float
    end: float
    value: float
    episode: int


@dataclass(frozen=True, slots=True)
class Speedup:
    start: float
    end: float
    factor: float
    episode: int


@dataclass(slots=True)
class Simulation:
    network: Network
    rng_seed: int
    frames: list[tuple[int, int, bytes, int | None]] = field(default_factory=list)
    ids: IpIdentities = field(default_factory=IpIdentities)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    setpoints: dict[tuple[str, int, int], int] = field(default_factory=dict)
    spoofs: dict[tuple[object, ...], Spoof] = field(default_factory=dict)
    speedups: dict[int, Speedup] = field(default_factory=dict)  # by poll plan index
    label: int | None = None  # the episode of the frames being emitted, None if normal
    _count: int = 0
    _ports: dict[str, int] = field(default_factory=dict)

    def rng(self, name: str) -> Random:
        """A generator of its own for each process: adding one leaves the others alone."""
        return Random(f"{self.rng_seed}:{name}")

    def endpoint(self, host: Host) -> Endpoint:
        found = self.endpoints.get(host.ip)
        if found is None:
            found = self.endpoints[host.ip] = Endpoint.of(host.mac, host.ip)
        return found

    def emit(self, ts: float, data: bytes) -> None:
        """Queue a frame at ``ts`` (kept to the microsecond, as pcap does) under the
        current label."""
        self._count += 1
        heapq.heappush(self.frames, (round(ts * 1e6), self._count, data, self.label))

    def ready(self, before: float) -> Iterator[Frame]:
        """The queued frames earlier than ``before``, oldest first: every process has
        moved past that time, so no earlier frame can still come."""
        limit = math.floor(before * 1e6)
        frames = self.frames
        while frames and frames[0][0] < limit:
            micros, _, data, episode = heapq.heappop(frames)
            yield Frame(micros / 1e6, data, episode)

    def ephemeral_port(self, ip: str, rng: Random) -> int:
        """The host's next ephemeral port, as Linux and Windows hand them out in turn."""
        port = self._ports.get(ip)
        port = rng.randrange(32768, 60000) if port is None else port + rng.randint(1, 3)
        if port > 65535:
            port = 49152
        self._ports[ip] = port
        return port

    def connection(self, client: Host, server: Host, dport: int, rng: Random) -> TcpConnection:
        return TcpConnection(self.endpoint(client), self.endpoint(server),
                             self.ephemeral_port(client.ip, rng), dport, self.ids, self.emit)

    def spoofed(self, key: tuple[object, ...], ts: float) -> Spoof | None:
        spoof = self.spoofs.get(key)
        if spoof is not None and spoof.start <= ts <= spoof.end:
            return spoof
        return None


def sample(signal: Signal, ts: float, rng: Random) -> float:
    """The process value at ``ts``: a slow cycle plus noise, inside [low, high]."""
    value = signal.centre + signal.amplitude * math.sin(_TAU * ts / signal.period
                                                        + signal.phase)
    if signal.noise:
        value += signal.noise * _noise(rng)
    return min(max(value, signal.low), signal.high)


def _noise(rng: Random) -> float:
    """Close to a standard normal deviate (Irwin-Hall of four uniforms, variance 1/3
    scaled to 1) at a fifth of the cost of ``Random.gauss``; bounded at ±3.46."""
    draw = rng.random
    return (draw() + draw() + draw() + draw() - 2.0) * _IRWIN_HALL_SCALE


def raw(signal: Signal, ts: float, rng: Random) -> int:
    """A register's raw value, or a bit (coils and discrete inputs)."""
    if signal.high == 1:
        return 1 if sample(signal, ts, rng) >= 0.5 else 0
    return round(sample(signal, ts, rng))


def raw_values(signals: tuple[Signal, ...], ts: float, rng: Random) -> list[int]:
    """``raw`` of each signal: the hot loop of every poll, kept in one frame."""
    sin, draw = math.sin, rng.random
    values = []
    for s in signals:
        value = s.centre + s.amplitude * sin(_TAU * ts / s.period + s.phase)
        if s.noise:
            value += s.noise * (draw() + draw() + draw() + draw() - 2.0) * _IRWIN_HALL_SCALE
        value = min(max(value, s.low), s.high)
        values.append((1 if value >= 0.5 else 0) if s.high == 1 else round(value))
    return values
