"""Attack episodes: where in the test capture each falls, and the running episode as a
process of the simulation."""

from __future__ import annotations

from dataclasses import dataclass

from cpstrust.model.ot_scenario import TECHNIQUE, AttackKind, Episode
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario import attack_commands as commands
from cpstrust.ot.scenario import attack_scripts as scripts
from cpstrust.ot.scenario.attack_scripts import Factory, Script
from cpstrust.ot.scenario.simulation import Simulation

SCRIPTS: dict[AttackKind, Factory] = {
    AttackKind.NEW_TALKER: scripts.new_talker,
    AttackKind.NEW_FUNCTION_CODE: scripts.new_function_code,
    AttackKind.NEW_BACNET_SERVICE: scripts.new_bacnet_service,
    AttackKind.UNUSUAL_WRITER: scripts.unusual_writer,
    AttackKind.OUT_OF_RANGE_WRITE: scripts.out_of_range_write,
    AttackKind.MODBUS_DIAGNOSTICS: commands.modbus_diagnostics,
    AttackKind.MODBUS_RESTART: commands.modbus_restart,
    AttackKind.MODBUS_LISTEN_ONLY: commands.modbus_listen_only,
    AttackKind.BACNET_REINITIALIZE: commands.bacnet_reinitialize,
    AttackKind.BACNET_COMMUNICATION_CONTROL: commands.bacnet_communication_control,
    AttackKind.OUT_OF_RANGE_VALUE: commands.out_of_range_value,
    AttackKind.RATE_CHANGE: commands.rate_change,
    AttackKind.FLOOD: commands.flood,
    AttackKind.UNIT_ID_SCAN: commands.unit_id_scan,
    AttackKind.HOST_SCAN: commands.host_scan,
    AttackKind.BACNET_OBJECT_SCAN: commands.bacnet_object_scan,
}


@dataclass(slots=True)
class Attack:
    """A running episode: its script, and what the ground truth says of it (its start
    and end are those of its frames, filled in as they are taken)."""

    episode: Episode
    script: Script

    def step(self, sim: Simulation, ts: float) -> float | None:
        sim.label = self.episode.episode_id
        try:
            return self.script.send(ts)
        except StopIteration:
            return None
        finally:
            sim.label = None


def plan_attacks(sim: Simulation, config: ScenarioConfig) -> list[tuple[float, Attack]]:
    """Every episode of the test capture with its start time, one to a slot so that they
    do not overlap, the kinds in an order the seed shuffles."""
    rng = sim.rng("attacks")
    kinds = [kind for kind in config.attacks for _ in range(config.episodes_per_kind)]
    rng.shuffle(kinds)
    if not kinds:
        return []
    slot = config.test_seconds / len(kinds)
    planned = []
    for number, kind in enumerate(kinds):
        start = config.split + slot * number + slot * rng.uniform(0.1, 0.3)
        target = SCRIPTS[kind](sim, rng, config.amplitude, slot * 0.5)
        episode = Episode(episode_id=number + 1, kind=kind, technique=TECHNIQUE[kind],
                          start=start, end=start, src=target.src, dst=target.dst,
                          protocol=target.protocol, detail=target.detail)
        next(target.script)  # primed: its first step is sent the start time
        planned.append((start, Attack(episode, target.script)))
    return planned
