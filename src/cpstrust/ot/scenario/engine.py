"""A scenario run: the network drawn from the seed, every process stepped in time order,
frames handed out oldest first with the episode each belongs to, and the ground truth."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from random import Random

from cpstrust.model.ot_scenario import Episode, Frame, Network, Role
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario.attacks import plan_attacks
from cpstrust.ot.scenario.network import draw_network
from cpstrust.ot.scenario.normal import BacnetDiscovery, BacnetPoller, ModbusPoller, Process
from cpstrust.ot.scenario.packets import BROADCAST_MAC, Endpoint
from cpstrust.ot.scenario.simulation import Simulation


@dataclass(slots=True)
class ScenarioRun:
    """One scenario. ``frames()`` yields its frames; ``episodes()`` tells, for the frames
    taken so far, each attack's interval (episodes with no frame taken are left out)."""

    config: ScenarioConfig
    network: Network
    _planned: dict[int, Episode] = field(default_factory=dict)
    _bounds: dict[int, list[float]] = field(default_factory=dict)

    def frames(self) -> Iterator[Frame]:
        sim = Simulation(self.network, self.config.seed)
        queue: list[tuple[float, int, Process]] = []
        for order, (ts, process) in enumerate(self._processes(sim)):
            queue.append((ts, order, process))
        heapq.heapify(queue)
        bounds = self._bounds
        end = self.config.end
        while queue and queue[0][0] < end:
            ts, order, process = heapq.heappop(queue)
            for frame in sim.ready(ts):
                _note(bounds, frame)
                yield frame
            following = process.step(sim, ts)
            if following is not None:
                heapq.heappush(queue, (following, order, process))
        for frame in sim.ready(end):
            _note(bounds, frame)
            yield frame

    def episodes(self) -> tuple[Episode, ...]:
        return tuple(replace(self._planned[number], start=first, end=last)
                     for number, (first, last) in sorted(self._bounds.items()))

    def _processes(self, sim: Simulation) -> Iterator[tuple[float, Process]]:
        config, network = self.config, self.network
        start = config.start
        rng = sim.rng("start")
        for index, plan in enumerate(network.polls):
            yield start + rng.uniform(0, plan.period), ModbusPoller.of(
                sim, plan, index, config.segment_split, config.coalesce)
        for index, bplan in enumerate(network.bacnet_plans):
            yield start + rng.uniform(1.0, 1.0 + bplan.period), BacnetPoller.of(sim, bplan, index)
        bms = next(h for h in network.hosts if h.role is Role.BMS)
        broadcast = Endpoint.of(BROADCAST_MAC, network.subnet.replace(".0/24", ".255"))
        devices = tuple((sim.endpoint(d.host), d.instance, d.vendor_id)
                        for d in network.bacnet_devices)
        yield start + rng.uniform(0.0, 0.5), BacnetDiscovery(sim.endpoint(bms), broadcast,
                                                             devices, sim.rng("discovery"))
        for ts, attack in plan_attacks(sim, config):
            self._planned[attack.episode.episode_id] = attack.episode
            yield ts, attack


def _note(bounds: dict[int, list[float]], frame: Frame) -> None:
    if frame.episode is not None:
        seen = bounds.get(frame.episode)
        if seen is None:
            bounds[frame.episode] = [frame.ts, frame.ts]
        else:
            seen[1] = frame.ts


def scenario(config: ScenarioConfig) -> ScenarioRun:
    """The scenario that ``config`` (and its seed) describes."""
    return ScenarioRun(config, draw_network(config, Random(f"{config.seed}:network")))
