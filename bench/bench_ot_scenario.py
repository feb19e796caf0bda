"""OT scenario generation speed: frames per second of the engine alone and with the
pcap written, against the floor of writing the same frames with dpkt alone; and the
cost of building one TCP frame with ``struct`` (what the generator does) against
building it through dpkt's packet classes.

Usage: python bench/bench_ot_scenario.py [--minutes 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import gc
import io
import tempfile
import time
from pathlib import Path

import dpkt

from cpstrust.app.ot_scenario import ScenarioRequest, generate_scenario
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.scenario.engine import scenario
from cpstrust.ot.scenario.packets import PROTO_TCP, Endpoint, ipv4_frame, tcp_segment


def _engine(config: ScenarioConfig) -> tuple[int, int, float]:
    began = time.perf_counter()
    frames = list(scenario(config).frames())
    seconds = time.perf_counter() - began
    write_began = time.perf_counter()
    writer = dpkt.pcap.Writer(io.BytesIO(), snaplen=65535)
    writer.writepkts((f.ts, f.data) for f in frames)
    floor = time.perf_counter() - write_began
    print(f"engine only: {len(frames):,} frames in {seconds:.2f} s: "
          f"{len(frames) / seconds:,.0f} frames/s "
          f"({sum(len(f.data) for f in frames) / seconds / 1e6:.1f} MB/s of frames)")
    print(f"floor, dpkt pcap writer alone on the same frames: {len(frames) / floor:,.0f} "
          f"frames/s")
    return len(frames), sum(len(f.data) for f in frames), seconds


def _written(config: ScenarioConfig) -> None:
    with tempfile.TemporaryDirectory() as out:
        result = generate_scenario(ScenarioRequest(config, Path(out)))
        size = sum(c.bytes for c in result.captures)
        print(f"monitor scenario (normal + test pcap, truth): {result.seconds:.2f} s, "
              f"{result.frames_per_second:,.0f} frames/s, {size / result.seconds / 1e6:.1f} "
              f"MB/s of pcap, {len(result.episodes)} episodes")


def _frame_building(count: int = 100_000) -> None:
    client = Endpoint.of(b"\x00\x1b\x1b\x01\x02\x03", "10.0.0.2")
    server = Endpoint.of(b"\x00\x80\xf4\x04\x05\x06", "10.0.0.3")
    payload = bytes(range(17))
    began = time.perf_counter()
    for i in range(count):
        ipv4_frame(client, server, PROTO_TCP,
                   tcp_segment(client, server, 40000, 502, i, i, 0x18, payload), i & 0xFFFF)
    ours = time.perf_counter() - began
    began = time.perf_counter()
    for i in range(count):
        tcp = dpkt.tcp.TCP(sport=40000, dport=502, seq=i, ack=i, flags=0x18, data=payload)
        ip = dpkt.ip.IP(src=client.ip, dst=server.ip, p=PROTO_TCP, id=i & 0xFFFF, ttl=64,
                        data=tcp)
        ip.len = 20 + len(bytes(tcp))  # dpkt fills the checksums on bytes()
        bytes(dpkt.ethernet.Ethernet(src=client.mac, dst=server.mac, data=ip))
    theirs = time.perf_counter() - began
    print(f"one TCP frame: struct {ours / count * 1e6:.2f} µs, dpkt classes "
          f"{theirs / count * 1e6:.2f} µs ({theirs / ours:.1f}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0,
                        help="simulated minutes of the test capture (as many of training)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    gc.disable()  # as the command runs (cli.entry)
    config = ScenarioConfig(seed=args.seed, normal_seconds=args.minutes * 60,
                            test_seconds=args.minutes * 60)
    _frame_building()
    _engine(config)
    _written(config)


if __name__ == "__main__":
    main()
