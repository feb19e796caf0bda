"""Ground truth: intervals hold their episodes' frames, the training part has none, the
techniques exist in ATT&CK for ICS, seeds decide the network, and bad configurations and
truth files are refused with the place named."""

from __future__ import annotations

import itertools
import socket
from pathlib import Path

import dpkt
import orjson
import pytest

from cpstrust.errors import InputError
from cpstrust.formats.ot_scenario import read_config, read_episodes, truth_json
from cpstrust.model.ot_scenario import TECHNIQUE, AttackKind, Frame
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario.engine import scenario

CONFIG = ScenarioConfig(seed=11, normal_seconds=300, test_seconds=16 * 120)


@pytest.fixture(scope="module")
def frames() -> tuple[list[Frame], object]:
    run = scenario(CONFIG)
    return list(run.frames()), run


def _addresses(frame: Frame) -> set[str]:
    eth = dpkt.ethernet.Ethernet(frame.data)
    if isinstance(eth.data, dpkt.ip.IP):
        return {socket.inet_ntoa(eth.data.src), socket.inet_ntoa(eth.data.dst)}
    return {socket.inet_ntoa(eth.data.spa), socket.inet_ntoa(eth.data.tpa)}  # ARP


def test_every_attack_frame_lies_in_its_interval_and_none_in_training(frames) -> None:
    taken, run = frames
    episodes = {e.episode_id: e for e in run.episodes()}
    assert {e.kind for e in episodes.values()} == set(AttackKind)
    labelled = [f for f in taken if f.episode is not None]
    assert all(f.ts >= CONFIG.split for f in labelled)
    for frame in labelled:
        episode = episodes[frame.episode]
        assert episode.start <= frame.ts <= episode.end
        assert episode.src in _addresses(frame)
        assert episode.dst is None or episode.dst in _addresses(frame) or \
            episode.kind is AttackKind.HOST_SCAN
    for episode in episodes.values():
        assert CONFIG.split <= episode.start <= episode.end <= CONFIG.end


def test_episodes_do_not_overlap(frames) -> None:
    episodes = sorted(frames[1].episodes(), key=lambda e: e.start)
    assert all(a.end < b.start for a, b in itertools.pairwise(episodes))


def test_every_technique_is_in_attack_for_ics(shared_data: Path) -> None:
    bundle = orjson.loads((shared_data / "attack" / "ics-attack.json").read_bytes())
    patterns = [o for o in bundle["objects"] if o["type"] == "attack-pattern"
                and not o.get("revoked") and not o.get("x_mitre_deprecated")]
    known = {ref["external_id"] for o in patterns for ref in o.get("external_references", [])
             if ref.get("source_name") == "mitre-attack"}
    assert set(TECHNIQUE.values()) <= known
    assert set(TECHNIQUE) == set(AttackKind)


def test_other_seeds_draw_other_networks() -> None:
    first, second = (scenario(ScenarioConfig(seed=s)).network for s in (1, 2))
    assert {h.ip for h in first.hosts}.isdisjoint({h.ip for h in second.hosts}) or \
        first.subnet != second.subnet
    assert [b.address for s in first.modbus_servers for u in s.units for b in u.blocks] != \
        [b.address for s in second.modbus_servers for u in s.units for b in u.blocks]
    assert [p.period for p in first.polls] != [p.period for p in second.polls]


def test_variation_scales_the_noise() -> None:
    quiet, loud = (scenario(ScenarioConfig(seed=3, variation=v)).network for v in (0.0, 2.0))
    assert all(s.noise == 0 for srv in quiet.modbus_servers for u in srv.units
               for b in u.blocks for s in b.signals)
    assert any(s.noise > 0 for srv in loud.modbus_servers for u in srv.units
               for b in u.blocks for s in b.signals)


def test_truth_reads_back(frames) -> None:
    _, run = frames
    data = truth_json(run.config, run.network, [], run.episodes())
    assert read_episodes(data, "truth.json") == run.episodes()


def test_truth_with_a_repeated_id_is_refused(frames) -> None:
    document = orjson.loads(truth_json(frames[1].config, frames[1].network, [],
                                       frames[1].episodes()))
    document["episodes"][1]["episode_id"] = document["episodes"][0]["episode_id"]
    with pytest.raises(InputError, match="appears twice") as raised:
        read_episodes(orjson.dumps(document), "t.json")
    assert raised.value.source == "t.json" and raised.value.location == "/episodes/1/episode_id"


@pytest.mark.parametrize(("change", "where"), [
    (lambda e: e.pop("kind"), "/episodes/0"),
    (lambda e: e.update(start=e["end"] + 1), "/episodes/0"),
    (lambda e: e.update(kind="teleport"), "/episodes/0/kind"),
])
def test_truth_with_a_bad_episode_is_refused(frames, change, where: str) -> None:
    document = orjson.loads(truth_json(frames[1].config, frames[1].network, [],
                                       frames[1].episodes()))
    change(document["episodes"][0])
    with pytest.raises(InputError) as raised:
        read_episodes(orjson.dumps(document), "t.json")
    assert raised.value.location == where


def test_config_file_sets_parameters_and_options_override_it() -> None:
    config = read_config(b'{"seed": 4, "variation": 0.5, "attacks": ["flood"], '
                         b'"poll_period": [1, 2]}', "c.json", seed=9)
    assert (config.seed, config.variation, config.attacks, config.poll_period) == \
        (9, 0.5, (AttackKind.FLOOD,), (1, 2))


@pytest.mark.parametrize(("text", "problem", "where"), [
    (b'{"sead": 1}', "'sead' is not a scenario parameter", "/sead"),
    (b'{"seed": "1"}', "seed must be an integer", "/seed"),
    (b'{"variation": true}', "variation must be a number", "/variation"),
    (b'{"poll_period": [1]}', r"poll_period must be \[low, high\]", "/poll_period"),
    (b'{"attacks": ["teleport"]}', "unknown attack kind", "/attacks"),
    (b'{"seed": 1, "seed": 2}', "seed", None),
    (b'[1]', "must be a JSON object", None),
    (b'{"amplitude": 100}', "amplitude cannot be 100", None),
    (b'{"test_seconds": 600}', "test_seconds cannot be 600", None),
])
def test_bad_config_is_refused_naming_the_file(text: bytes, problem: str,
                                               where: str | None) -> None:
    with pytest.raises(InputError, match=problem) as raised:
        read_config(text, "c.json")
    assert raised.value.source == "c.json"
    if where:
        assert raised.value.location == where
