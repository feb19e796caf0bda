"""What a scenario is drawn from: a seed and these parameters. A held-out scenario is
another seed (other hosts, addresses, registers, periods) and, where wanted, other
amounts of normal variation, attack mix and amplitudes."""

from __future__ import annotations

from dataclasses import dataclass

from cpstrust.errors import InputError
from cpstrust.model.ot_scenario import AttackKind

MAX_SECONDS = 30 * 24 * 3600.0  # a month of simulated traffic in one capture
MAX_HOSTS = 250  # one /24


@dataclass(frozen=True, slots=True)
class ScenarioConfig:
    """Every knob of a scenario; the seed draws the concrete network and timings."""

    seed: int = 1
    start: float = 1_767_225_600.0  # 2026-01-01T00:00:00Z, the first frame's time
    normal_seconds: float = 3600.0  # the training capture
    test_seconds: float = 3600.0  # the capture with attack episodes
    modbus_servers: tuple[int, int] = (4, 8)  # drawn in [low, high]
    bacnet_devices: tuple[int, int] = (2, 5)
    bystanders: tuple[int, int] = (2, 6)
    poll_period: tuple[float, float] = (0.5, 5.0)  # seconds, per plan
    bacnet_period: tuple[float, float] = (5.0, 30.0)
    variation: float = 1.0  # scales noise, jitter, reconnects and operator writes
    segment_split: float = 0.01  # share of Modbus PDUs split over two TCP segments
    coalesce: float = 0.02  # share of poll cycles whose two requests share one segment
    attacks: tuple[AttackKind, ...] = tuple(AttackKind)
    episodes_per_kind: int = 1
    amplitude: float = 1.0  # scales how far attacks go (rates, out-of-range distances)

    def __post_init__(self) -> None:
        _check(0 <= self.seed < 2**63, "seed", self.seed)
        _check(0 < self.start < 4e9, "start", self.start)
        _check(60 <= self.normal_seconds <= MAX_SECONDS, "normal_seconds", self.normal_seconds)
        _check(0 <= self.test_seconds <= MAX_SECONDS, "test_seconds", self.test_seconds)
        for name in ("modbus_servers", "bacnet_devices", "bystanders"):
            low, high = getattr(self, name)
            _check(0 <= low <= high <= 60, name, (low, high))
        _check(self.modbus_servers[0] >= 2, "modbus_servers", self.modbus_servers)
        _check(self.bacnet_devices[0] >= 1, "bacnet_devices", self.bacnet_devices)
        _check(0.05 <= self.poll_period[0] <= self.poll_period[1] <= 600, "poll_period",
               self.poll_period)
        _check(0.5 <= self.bacnet_period[0] <= self.bacnet_period[1] <= 3600,
               "bacnet_period", self.bacnet_period)
        _check(0 <= self.variation <= 10, "variation", self.variation)
        _check(0 <= self.segment_split <= 1, "segment_split", self.segment_split)
        _check(0 <= self.coalesce <= 1, "coalesce", self.coalesce)
        _check(0 <= self.episodes_per_kind <= 20, "episodes_per_kind", self.episodes_per_kind)
        _check(len(set(self.attacks)) == len(self.attacks), "attacks", list(self.attacks))
        _check(0.2 <= self.amplitude <= 10, "amplitude", self.amplitude)
        episodes = len(self.attacks) * self.episodes_per_kind
        _check(not episodes or self.test_seconds >= 120 * episodes, "test_seconds",
               self.test_seconds)

    @property
    def end(self) -> float:
        return self.start + self.normal_seconds + self.test_seconds

    @property
    def split(self) -> float:
        """Where the training capture ends and the test capture begins."""
        return self.start + self.normal_seconds


def _check(holds: bool, name: str, value: object) -> None:
    if not holds:
        raise InputError("scenario_parameter_invalid", parameter=name, value=str(value))
