"""The captures a scenario writes, read back with dpkt: valid frames, whole TCP streams
of whole Modbus ADUs, BACnet/IP lengths, time order, normal and test apart."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from pathlib import Path

import dpkt
import pytest
from scenario_reading import Direction, check_frame, modbus_adus, records

from cpstrust.app.ot_scenario import ScenarioRequest, ScenarioWritten, generate_scenario
from cpstrust.formats.pcap_write import CaptureFormat
from cpstrust.model.ot_scenario import AttackKind, Frame
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario.packets import Endpoint, checksum, ipv4_frame, tcp_segment
from cpstrust.ot.scenario.repeat import moved_port, repeat_frames

CONFIG = ScenarioConfig(seed=7, normal_seconds=300, test_seconds=16 * 120,
                        segment_split=0.05, coalesce=0.1)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> ScenarioWritten:
    return generate_scenario(ScenarioRequest(CONFIG, tmp_path_factory.mktemp("scenario")))


def _read(path: Path) -> tuple[list[tuple[float, bytes]], dict[tuple[bytes, int, bytes, int],
                                                                    Direction], Counter[str]]:
    flows: dict[tuple[bytes, int, bytes, int], Direction] = {}
    kinds: Counter[str] = Counter()
    frames = list(records(path))
    for _, frame in frames:
        kinds[check_frame(frame, flows)] += 1
    return frames, flows, kinds


def test_every_frame_has_valid_lengths_checksums_and_continuous_tcp_streams(
        written: ScenarioWritten) -> None:
    for summary in written.captures:
        frames, _, kinds = _read(written.truth_json.parent / summary.file)
        assert len(frames) == summary.frames
        assert kinds["tcp"] > 1000 and kinds["udp"] > 10
    _, _, test_kinds = _read(written.truth_json.parent / "test.pcap")
    assert test_kinds["arp"] > 0  # the host scan's ARP requests


def test_modbus_streams_hold_whole_adus_answered_by_transaction(
        written: ScenarioWritten) -> None:
    _, flows, _ = _read(written.truth_json.parent / "normal.pcap")
    to_server = {key: d for key, d in flows.items() if key[3] == 502 and d.stream}
    assert len(to_server) >= 4
    functions: Counter[int] = Counter()
    for (src, sport, dst, dport), direction in to_server.items():
        requests = modbus_adus(bytes(direction.stream))
        answers = modbus_adus(bytes(flows[(dst, dport, src, sport)].stream))
        answered = {(t, u) for t, u, _ in answers}
        assert all((t, u) in answered for t, u, _ in requests)
        functions.update(pdu[0] for _, _, pdu in requests)
    assert {3, 4} <= set(functions)
    assert functions[6] + functions[16] > 0  # operator writes
    assert not {8, 17, 43} & set(functions)  # no attack in the training capture


def test_split_and_coalesced_pdus_occur(written: ScenarioWritten) -> None:
    """Some segments carry part of an ADU, some more than one."""
    partial = several = 0
    for _, frame in records(written.truth_json.parent / "normal.pcap"):
        tcp = dpkt.ethernet.Ethernet(frame).data.data
        if isinstance(tcp, dpkt.tcp.TCP) and 502 in (tcp.sport, tcp.dport) and tcp.data:
            length = int.from_bytes(tcp.data[4:6], "big") + 6 if len(tcp.data) >= 6 else 0
            partial += len(tcp.data) < 6 or length > len(tcp.data)
            several += 8 <= length < len(tcp.data)
    assert partial > 0 and several > 0


def test_frames_are_in_time_order_and_the_captures_do_not_overlap(
        written: ScenarioWritten) -> None:
    normal, test = written.captures
    for summary in written.captures:
        times = [ts for ts, _ in records(written.truth_json.parent / summary.file)]
        assert times == sorted(times)
    assert normal.end is not None and test.start is not None
    assert normal.end < CONFIG.split <= test.start
    assert normal.attack_frames == 0 < test.attack_frames


def test_same_seed_writes_the_same_bytes_and_pcapng_the_same_frames(
        written: ScenarioWritten, tmp_path: Path) -> None:
    again = generate_scenario(ScenarioRequest(CONFIG, tmp_path / "pcap"))
    for first, second in zip(written.captures, again.captures, strict=True):
        assert _digest(written.truth_json.parent / first.file) == \
            _digest(tmp_path / "pcap" / second.file)
    assert written.truth_json.read_bytes() == again.truth_json.read_bytes()
    assert written.truth_csv.read_bytes() == again.truth_csv.read_bytes()
    ng = generate_scenario(ScenarioRequest(CONFIG, tmp_path / "ng", CaptureFormat.PCAPNG))
    assert (tmp_path / "ng" / "test.pcapng").read_bytes()[:4] == b"\x0a\x0d\x0d\x0a"
    assert list(records(tmp_path / "ng" / "test.pcapng")) == \
        list(records(written.truth_json.parent / "test.pcap"))
    assert ng.episodes == written.episodes


def test_scale_mode_fills_the_size_asked_for(tmp_path: Path) -> None:
    target = 3 * 1024 * 1024
    scaled = generate_scenario(ScenarioRequest(ScenarioConfig(seed=2), tmp_path,
                                               scale_bytes=target))
    (capture,) = scaled.captures
    assert target <= capture.bytes == (tmp_path / "scale.pcap").stat().st_size
    assert sum(1 for _ in records(tmp_path / "scale.pcap")) == capture.frames


def test_scale_mode_repeats_a_block_into_valid_traffic(tmp_path: Path) -> None:
    """A block of 1 MiB or more (two episodes need four minutes of traffic) repeated
    into 8 MiB: every frame's checksums valid (the moved ports' included), every TCP
    stream continuous, time in order, each repetition's connections new ones, the
    episodes of every repetition in the truth."""
    config = ScenarioConfig(seed=2, attacks=(AttackKind.FLOOD, AttackKind.HOST_SCAN))
    scaled = generate_scenario(ScenarioRequest(config, tmp_path, scale_bytes=8 << 20,
                                               scale_block_bytes=1 << 20))
    frames, flows, kinds = _read(tmp_path / "scale.pcap")
    assert kinds["tcp"] > 10_000 and kinds["udp"] > 100
    times = [ts for ts, _ in frames]
    assert times == sorted(times)
    modbus_clients = {(src, sport) for src, sport, _dst, dport in flows if dport == 502}
    per_client_host = Counter(src for src, _port in modbus_clients)
    assert max(per_client_host.values()) >= 4  # one host, new ports each repetition
    episodes = scaled.episodes
    assert len({e.episode_id for e in episodes}) == len(episodes)
    kinds_seen = Counter(e.kind for e in episodes)
    assert set(kinds_seen) == {AttackKind.FLOOD, AttackKind.HOST_SCAN}
    assert min(kinds_seen.values()) >= 2  # in two repetitions at least
    first = min(e.start for e in episodes)
    assert all(first <= e.start <= e.end <= times[-1] for e in episodes)


@pytest.mark.parametrize("port", [32768, 47807, 47824, 50000, 65535])
def test_a_moved_port_keeps_the_tcp_checksum_valid(port: int) -> None:
    client = Endpoint.of(bytes(6), "10.0.0.1")
    server = Endpoint.of(bytes(6), "10.0.0.2")
    for payload in (b"", b"\x00\x01" * 7, b"\xff" * 13):
        segment = tcp_segment(client, server, port, 502, 1, 0, 0x18, payload)
        frame = ipv4_frame(client, server, 6, segment, 1)
        _, moved = repeat_frames([Frame(0.0, frame, None)], 1.0, 2)
        new_port = moved_port(port, 1)
        assert new_port != port and not 47808 <= new_port <= 47823
        assert moved.data[34:36] == new_port.to_bytes(2, "big")
        check_frame(moved.data, {})
        answer = ipv4_frame(server, client, 6, tcp_segment(server, client, 502, port, 1, 0,
                                                           0x18, payload), 2)
        _, moved = repeat_frames([Frame(0.0, answer, None)], 1.0, 2)
        assert moved.data[36:38] == new_port.to_bytes(2, "big")
        check_frame(moved.data, {})


@pytest.mark.parametrize("length", [0, 1, 2, 3, 20, 21, 1500])
def test_checksum_agrees_with_dpkt(length: int) -> None:
    data = random.Random(length).randbytes(length)
    assert checksum(data) == dpkt.in_cksum(data)
    ones = b"\xff\xff" * (length // 2 + 1)  # sums to one's-complement zero
    assert checksum(ones) == dpkt.in_cksum(ones)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
