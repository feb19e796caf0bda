"""ARP as records of its own (requests, replies; malformed ones counted) and ARP sweeps
detected as host scans; the flow table kept within its bound by evicting the least
recently seen flows, so that a new talker is still seen once it is full."""

from __future__ import annotations

from pathlib import Path

from frames import write_pcap
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import ARP, Dot1Q, Ether

from cpstrust.app.monitor import analyze_capture, decode_capture, learn_baseline, load_baseline
from cpstrust.formats.pcap import CaptureReader
from cpstrust.limits import CaptureLimits
from cpstrust.model.ot import ArpMessage, MalformedKind
from cpstrust.model.ot_detect import AlertKind
from cpstrust.ot.decoder import OtDecoder

MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"


def arp_request(sender: str, target: str, mac: str = MAC_A) -> bytes:
    return bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
                 / ARP(op=1, hwsrc=mac, psrc=sender, pdst=target))


def arp_reply(sender: str, target: str) -> bytes:
    return bytes(Ether(src=MAC_B, dst=MAC_A)
                 / ARP(op=2, hwsrc=MAC_B, psrc=sender, hwdst=MAC_A, pdst=target))


def udp(src: str, dst: str, sport: int = 40000, dport: int = 9999) -> bytes:
    return bytes(Ether() / IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / b"x")


def decode(path: Path, limits: CaptureLimits = CaptureLimits()) -> tuple[OtDecoder,
                                                                          list[ArpMessage]]:
    decoder = OtDecoder(limits)
    seen: list[ArpMessage] = []
    decoder.arp_sink = seen.append
    with path.open("rb") as f:
        for _message in decoder.messages(CaptureReader(f, str(path)).records()):
            pass
    return decoder, seen


def test_arp_requests_and_replies_are_records(tmp_path: Path) -> None:
    tagged = bytes(Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=7)
                   / ARP(op=1, hwsrc=MAC_A, psrc="10.0.0.1", pdst="10.0.0.9"))
    path = write_pcap(tmp_path / "arp.pcap", [
        arp_request("10.0.0.1", "10.0.0.2"), arp_reply("10.0.0.2", "10.0.0.1"), tagged,
        arp_request("10.0.0.1", "10.0.0.3")[:30],  # the ARP body cut short
        bytes(Ether(type=0x88CC) / (b"lldp" * 10))])  # not ARP: non-IP, not a record
    decoder, seen = decode(path)
    assert [(m.operation, m.sender_ip, m.target_ip) for m in seen] == [
        (1, "10.0.0.1", "10.0.0.2"), (2, "10.0.0.2", "10.0.0.1"), (1, "10.0.0.1", "10.0.0.9")]
    assert seen[0].sender_mac == MAC_A and seen[0].target_mac == "00:00:00:00:00:00"
    assert seen[1].target_mac == MAC_A
    assert seen[0].ts == 1_700_000_000.0
    assert decoder.arp_messages == 3
    assert decoder.malformed == {MalformedKind.TRUNCATED_FRAME: 1}
    assert decoder.non_ip == 5  # every frame without IP, ARP or not, as before
    report = decode_capture(path)
    assert report.protocols["arp"] == 3 and report.protocols["non_ip"] == 5


def _normal(tmp_path: Path) -> Path:
    """Two hosts that talk and ask each other's MAC: the baseline."""
    frames = []
    for _ in range(5):
        frames += [arp_request("10.0.0.1", "10.0.0.2"), arp_reply("10.0.0.2", "10.0.0.1"),
                   udp("10.0.0.1", "10.0.0.2")]
    path = write_pcap(tmp_path / "normal.pcap", frames)
    learn_baseline([path], tmp_path / "baseline.json")
    return tmp_path / "baseline.json"


def test_an_arp_sweep_is_a_host_scan_and_normal_arp_is_not(tmp_path: Path) -> None:
    baseline = load_baseline(_normal(tmp_path))
    normal = write_pcap(tmp_path / "again.pcap", [arp_request("10.0.0.1", "10.0.0.2"),
                                                  arp_request("10.0.0.2", "10.0.0.1"),
                                                  arp_request("10.0.0.5", "10.0.0.5")])
    assert analyze_capture(normal, baseline, model=False).alerts == ()
    # ARP only, nothing else follows: invisible to a flow table
    sweep = write_pcap(tmp_path / "sweep.pcap", [arp_request("10.0.0.66", f"10.0.0.{i}")
                                                 for i in range(3, 20)])
    alerts = analyze_capture(sweep, baseline, model=False).alerts
    assert [(a.kind, a.src, a.dst) for a in alerts] == [(AlertKind.HOST_SCAN, "10.0.0.66",
                                                         None)]
    assert alerts[0].count == 17 - 3  # from the fourth new peer on, one burst


def test_a_full_flow_table_evicts_the_least_recent_and_still_sees_new_talkers(
        tmp_path: Path) -> None:
    baseline = load_baseline(_normal(tmp_path))
    limits = CaptureLimits(max_flows=20)
    # the known pair first, then many flows of the known client to other ports
    # (known hosts, new services: talkers, but never a scan of peers), then a new host
    frames = [udp("10.0.0.1", "10.0.0.2")]
    frames += [udp("10.0.0.1", "10.0.0.2", sport=41000 + i) for i in range(100)]
    frames += [udp("10.0.0.77", "10.0.0.2")]
    path = write_pcap(tmp_path / "long.pcap", frames)
    decoder, _ = decode(path, limits)
    assert len(decoder.flows) <= 20
    assert decoder.flows_evicted >= 100 + 2 - 20
    assert any(key[0] == bytes([10, 0, 0, 77]) for key in decoder.flows)
    alerts = analyze_capture(path, baseline, model=False, limits=limits).alerts
    talkers = {a.src for a in alerts if a.kind is AlertKind.NEW_TALKER}
    assert "10.0.0.77" in talkers


def test_eviction_takes_the_least_recently_seen_flow(tmp_path: Path) -> None:
    # a's flow is refreshed after b's and c's opened: b goes first
    frames = [udp("10.0.0.1", "10.0.0.2"), udp("10.0.0.3", "10.0.0.4"),
              udp("10.0.0.5", "10.0.0.6"), udp("10.0.0.1", "10.0.0.2"),
              udp("10.0.0.7", "10.0.0.8")]
    decoder, _ = decode(write_pcap(tmp_path / "lru.pcap", frames), CaptureLimits(max_flows=3))
    sources = {key[0][-1] for key in decoder.flows}
    assert sources == {1, 5, 7} and decoder.flows_evicted == 1
