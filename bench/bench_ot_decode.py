"""OT decoding throughput on one core, against a bare ``struct`` loop over the same pcap.

Writes its own pcap of ``--packets`` Ethernet frames (default 1,000,000): 40% Modbus/TCP
(FC 3 reads, FC 16 writes, FC 1 coil reads between 16 clients and 4 servers; every 25th
request split over two segments, every 40th pair of requests in one segment), 20%
BACnet/IP (ReadProperty and its ACK, I-Am, Who-Is, unconfirmed COV notifications) and
40% other traffic (TCP 443 segments, UDP 53 datagrams). Then times, in the same run:

- the reference: a bare ``struct`` loop that only reads the pcap records (1 MiB chunks,
  one ``unpack_from`` and one slice per record);
- dpkt: ``dpkt.pcap.Reader`` and ``dpkt.ethernet.Ethernet`` on every frame, the layers
  reached through attributes (dpkt has no Modbus or BACnet: link, IP and transport only);
- scapy: ``PcapReader`` with ``scapy.contrib.modbus`` loaded, on the first ``--scapy``
  packets, extrapolated to the whole file (said so in the output);
- cpstrust: ``CaptureReader`` + ``OtDecoder.messages`` (every Modbus ADU and BACnet
  message decoded into the model, flows kept), and the same with ``DecodeSummary``;
- cpstrust decode + detect: ``analyze_capture`` (rules and the learned model) against a
  baseline learned (``learn_baseline``, not timed) from the first quarter of the same
  traffic.

Best of ``--repeat`` timings in CPU time (``time.process_time``: the machine is
shared); packets/s and the ratio to the reference.

Usage: python bench/bench_ot_decode.py [--packets 1000000] [--repeat 3] [--scapy 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dpkt

from cpstrust.app.monitor import analyze_capture, learn_baseline, load_baseline
from cpstrust.formats.pcap import CaptureReader
from cpstrust.ot.decoder import OtDecoder
from cpstrust.ot.summary import DecodeSummary

_CLIENT_MAC, _SERVER_MAC = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def _ip(last: int) -> bytes:
    return bytes((10, 0, last // 256, last % 256))


def _frame(src: bytes, dst: bytes, protocol: int, transport: bytes) -> bytes:
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(transport), 0, 0x4000, 64, protocol,
                     0, src, dst)
    return _SERVER_MAC + _CLIENT_MAC + b"\x08\x00" + ip + transport


def _tcp(src: bytes, dst: bytes, sport: int, dport: int, seq: int, payload: bytes) -> bytes:
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 0x50, 0x18, 65535, 0, 0)
    return _frame(src, dst, 6, header + payload)


def _udp(src: bytes, dst: bytes, sport: int, dport: int, payload: bytes) -> bytes:
    return _frame(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
                  + payload)


def _mbap(transaction: int, pdu: bytes) -> bytes:
    return struct.pack("!HHHB", transaction, 0, len(pdu) + 1, 1) + pdu


class _Connection:
    def __init__(self, client: int, server: int, port: int) -> None:
        self.client, self.server, self.port = _ip(client), _ip(server), port
        self.up = self.down = random.getrandbits(32)
        self.transaction = 0

    def request(self, payload: bytes) -> bytes:
        frame = _tcp(self.client, self.server, self.port, 502, self.up, payload)
        self.up = (self.up + len(payload)) & 0xFFFFFFFF
        return frame

    def response(self, payload: bytes) -> bytes:
        frame = _tcp(self.server, self.client, 502, self.port, self.down, payload)
        self.down = (self.down + len(payload)) & 0xFFFFFFFF
        return frame


def _modbus_exchange(c: _Connection, n: int) -> list[bytes]:
    """A request and its response (three or four frames when split or doubled)."""
    c.transaction = (c.transaction + 1) & 0xFFFF
    kind = n % 3
    if kind == 0:
        request = _mbap(c.transaction, struct.pack("!BHH", 3, 100, 10))
        response = _mbap(c.transaction, struct.pack("!BB10H", 3, 20, *range(n % 50, n % 50 + 10)))
    elif kind == 1:
        request = _mbap(c.transaction, struct.pack("!BHHB4H", 16, 200, 4, 8, 1, 2, 3, n % 999))
        response = _mbap(c.transaction, struct.pack("!BHH", 16, 200, 4))
    else:
        request = _mbap(c.transaction, struct.pack("!BHH", 1, 0, 16))
        response = _mbap(c.transaction, struct.pack("!BBH", 1, 2, n & 0xFFFF))
    if n % 25 == 0:
        return [c.request(request[:5]), c.request(request[5:]), c.response(response)]
    if n % 40 == 1:
        c.transaction = (c.transaction + 1) & 0xFFFF
        second = _mbap(c.transaction, struct.pack("!BHH", 3, 300, 2))
        answer = _mbap(c.transaction, struct.pack("!BBHH", 3, 4, 7, 8))
        return [c.request(request + second), c.response(response), c.response(answer)]
    return [c.request(request), c.response(response)]



def _bacnet(n: int) -> bytes:
    client, device = _ip(300 + n % 8), _ip(400 + n % 12)
    kind = n % 4
    if kind == 0:
        invoke = n & 0xFF
        apdu = bytes((0x00, 0x05, invoke, 0x0C, 0x0C, 0x00, 0x00, 0x00, n % 100, 0x19, 0x55))
        return _udp(client, device, 47808, 47808, _bvlc(0x0A, apdu))
    if kind == 1:
        value = struct.pack("!f", 20.0 + (n % 100) / 10)
        apdu = (bytes((0x30, n & 0xFF, 0x0C, 0x0C, 0x00, 0x00, 0x00, n % 100, 0x19, 0x55, 0x3E,
                       0x44)) + value + b"\x3f")
        return _udp(device, client, 47808, 47808, _bvlc(0x0A, apdu))
    if kind == 2:
        instance = 1000 + n % 12
        apdu = (bytes((0x10, 0x00, 0xC4)) + struct.pack("!I", (8 << 22) | instance)
                + bytes((0x22, 0x05, 0xC4, 0x91, 0x00, 0x21, 0x0F)))
        return _udp(device, _ip(65535), 47808, 47808, _bvlc(0x0B, apdu))
    apdu = bytes((0x10, 0x08))
    return _udp(client, _ip(65535), 47808, 47808, _bvlc(0x0B, apdu))


def _bvlc(function: int, apdu: bytes) -> bytes:
    npdu = b"\x01\x00" + apdu
    return struct.pack("!BBH", 0x81, function, 4 + len(npdu)) + npdu


def _other(n: int) -> bytes:
    if n % 2:
        size = 200 + (n * 37) % 1200
        return _tcp(_ip(500 + n % 50), _ip(600 + n % 5), 40000 + n % 1000, 443, n * 1400,
                    bytes(size))
    return _udp(_ip(500 + n % 50), _ip(53), 50000 + n % 2000, 53, bytes(40 + n % 60))


def _frames(count: int) -> Iterator[bytes]:
    random.seed(7)
    connections = [_Connection(100 + i, 200 + i % 4, 30000 + i) for i in range(16)]
    produced = n = bacnet_messages = 0
    while produced < count:
        n += 1
        share = n % 20  # a Modbus exchange is two frames or more: 40% of the frames
        if share < 5:
            group = _modbus_exchange(connections[n % 16], n)
        elif share < 10:
            bacnet_messages += 1
            group = [_bacnet(bacnet_messages)]
        else:
            group = [_other(n)]
        for frame in group[: count - produced]:
            produced += 1
            yield frame


def write_pcap(path: Path, count: int) -> int:
    with path.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        ts = 1_700_000_000.0
        for frame in _frames(count):
            ts += 0.0005
            seconds = int(ts)
            out.write(struct.pack("<IIII", seconds, int((ts - seconds) * 1e6), len(frame),
                                  len(frame)))
            out.write(frame)
    return path.stat().st_size


def bare_struct(path: Path) -> int:
    """The floor: only the pcap records, as a reader at its leanest gets them."""
    header = struct.Struct("<IIII").unpack_from
    records = 0
    with path.open("rb") as f:
        buf = f.read(24)
        buf, pos = b"", 0
        while True:
            if len(buf) - pos < 16:
                more = f.read(1 << 20)
                if not more:
                    return records
                buf, pos = buf[pos:] + more, 0
            _s, _u, caplen, _wire = header(buf, pos)
            end = pos + 16 + caplen
            if end > len(buf):
                more = f.read(1 << 20)
                buf, pos = buf[pos:] + more, 0
                continue
            _frame = buf[pos + 16:end]
            records += 1
            pos = end


def with_dpkt(path: Path) -> int:
    records = 0
    with path.open("rb") as f:
        for _ts, buf in dpkt.pcap.Reader(f):
            eth = dpkt.ethernet.Ethernet(buf)
            ip = eth.data
            if isinstance(ip, dpkt.ip.IP):
                transport = ip.data
                if isinstance(transport, dpkt.tcp.TCP | dpkt.udp.UDP):
                    _ports = transport.sport, transport.dport, transport.data
            records += 1
    return records


def with_scapy(path: Path, limit: int) -> int:
    from scapy.contrib import modbus  # noqa: F401  (binds Modbus/TCP to port 502)
    from scapy.utils import PcapReader

    records = 0
    with PcapReader(str(path)) as reader:
        for packet in reader:
            packet.summary()
            records += 1
            if records >= limit:
                break
    return records


def with_cpstrust(path: Path) -> int:
    with path.open("rb") as f:
        decoder = OtDecoder()
        for _message in decoder.messages(CaptureReader(f, str(path)).records()):
            pass
    return decoder.packets


def with_cpstrust_summary(path: Path) -> int:
    with path.open("rb") as f:
        reader = CaptureReader(f, str(path))
        decoder = OtDecoder()
        summary = DecodeSummary(decoder)
        for message in decoder.messages(reader.records()):
            summary.add(message)
        summary.report(str(path), reader.stats)
    return decoder.packets


def with_detection(path: Path, baseline_path: Path) -> int:
    return analyze_capture(path, load_baseline(baseline_path)).packets


def best(label: str, run: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        start = time.process_time()
        count = run()
        times.append(time.process_time() - start)
    print(f"  {label}: {min(times):.2f} s ({count:,} packets)", flush=True)
    return min(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scapy", type=int, default=20_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.pcap"
        size = write_pcap(path, args.packets)
        print(f"pcap: {args.packets:,} packets, {size / 1e6:.0f} MB (40% Modbus/TCP, "
              f"20% BACnet/IP, 40% other)", flush=True)
        floor, packets = best("bare struct loop", lambda: bare_struct(path), args.repeat)
        dpkt_time, _ = best("dpkt (link/IP/transport only)", lambda: with_dpkt(path), args.repeat)
        scapy_time, scapy_count = best(f"scapy (first {args.scapy:,} packets)",
                                       lambda: with_scapy(path, args.scapy), 1)
        ours, _ = best("cpstrust decode", lambda: with_cpstrust(path), args.repeat)
        summed, _ = best("cpstrust decode + summary", lambda: with_cpstrust_summary(path),
                         args.repeat)
        normal, baseline = Path(tmp) / "normal.pcap", Path(tmp) / "baseline.json"
        write_pcap(normal, args.packets // 4)
        learn_baseline([normal], baseline)
        detected, _ = best("cpstrust decode + detect", lambda: with_detection(path, baseline),
                           args.repeat)
    rate = packets / floor
    print(f"\n{'reader':34} {'packets/s':>12} {'x bare struct':>14}")
    for label, seconds in (("bare struct loop (reference)", floor), ("dpkt", dpkt_time),
                           ("cpstrust decode", ours), ("cpstrust decode + summary", summed),
                           ("cpstrust decode + detect", detected)):
        print(f"{label:34} {packets / seconds:12,.0f} {packets / seconds / rate:14.3f}")
    scapy_rate = scapy_count / scapy_time
    print(f"{'scapy (extrapolated from subset)':34} {scapy_rate:12,.0f} "
          f"{scapy_rate / rate:14.3f}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    sys.exit(main())
