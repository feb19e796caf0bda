"""`cpstrust monitor live` with dumpcap really capturing on loopback: alerts printed as
they happen, findings stored, a killed dumpcap restarted, a clean stop on SIGINT; and
`monitor assets` / `analyze --store` from the command line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from clirun import Home, ok, run

SRC = Path(__file__).resolve().parents[2] / "src"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ot"))
from frames import adu, modbus_segment, write_pcap  # noqa: E402


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """A baseline of a plant on 10.0.0.0/24: anything on loopback deviates from it."""
    request = modbus_segment(adu(1, 1, bytes([3, 0, 0, 0, 2])), 1)
    response = modbus_segment(adu(1, 1, bytes([3, 4, 0, 1, 0, 2])), 1, response=True)
    normal = write_pcap(tmp_path / "normal.pcap", [request, response] * 3)
    out = tmp_path / "baseline.json"
    ok("monitor", "learn", str(normal), "--out", str(out))
    return out


class Live:
    """`monitor live lo` in its own process, its JSON lines read as they come."""

    def __init__(self, home: Path, baseline: Path, *extra: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(SRC), CPSTRUST_HOME=str(home))
        env.pop("CPSTRUST_DATABASE_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cpstrust", "monitor", "live", "lo", "--baseline",
             str(baseline), "--format", "json", "--filter", "tcp port 502", "--no-model",
             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert self.process.stdout is not None
        self.stdout: IO[bytes] = self.process.stdout

    def next_event(self, event: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.stdout.readline()
            if not line:
                break
            record: dict[str, Any] = json.loads(line)
            if record["event"] == event:
                return record
        raise AssertionError(f"no {event} line; stderr: {self.stop_now()}")

    def stop_now(self) -> str:
        self.process.kill()
        _, err = self.process.communicate()
        return err.decode()


@pytest.fixture
def modbus_server() -> Iterator[socket.socket]:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 502))
    server.listen()
    yield server
    server.close()


def send_restart_commands(server: socket.socket, count: int) -> None:
    """Modbus diagnostics 'restart communications' (fc 8/1) to 127.0.0.1:502, answered."""
    client = socket.create_connection(("127.0.0.1", 502))
    peer, _ = server.accept()
    for transaction in range(1, count + 1):
        message = adu(transaction, 1, bytes([8, 0, 1, 0, 0]))
        client.sendall(message)
        peer.recv(64)
        peer.sendall(message)
        client.recv(64)
    client.close()
    peer.close()


def test_live_prints_the_alert_stores_the_finding_and_stops_on_sigint(
        home: Home, baseline: Path, modbus_server: socket.socket) -> None:
    store_home = home("site")
    live = Live(store_home, baseline)
    started = live.next_event("capture_started")
    send_restart_commands(modbus_server, 5)
    alert = live.next_event("alert")
    while alert["kind"] != "modbus_restart":
        alert = live.next_event("alert")
    assert alert["src"] == alert["dst"] == "127.0.0.1" and alert["technique"] == "T0816"
    live.process.send_signal(signal.SIGINT)
    summary = live.next_event("stopped")
    assert live.process.wait(30) == 1  # alerts were raised
    assert summary["packets"] >= 10 and summary["dropped"] == 0  # 5 requests, 5 answers
    assert summary["received"] == summary["packets"]  # every packet dumpcap took was read
    assert summary["restarts"] == 0 and summary["findings"]["opened"] >= 2
    with pytest.raises(ProcessLookupError):
        os.kill(started["dumpcap_pid"], 0)  # the child is gone
    findings = json.loads(ok("findings", "list", "--kind", "ot", "--format", "json"))
    kinds = {f["kind"]: f for f in findings["ot_findings"]}
    assert kinds["modbus_restart"]["count"] == 5 and kinds["modbus_restart"]["id"].startswith("ot-")


def test_live_survives_a_killed_dumpcap(home: Home, baseline: Path,
                                        modbus_server: socket.socket) -> None:
    live = Live(home("restart"), baseline, "--no-store")
    first = live.next_event("capture_started")
    os.kill(first["dumpcap_pid"], signal.SIGKILL)
    restarted = live.next_event("capture_restarted")
    assert restarted["restarts"] == 1
    second = live.next_event("capture_started")
    assert second["dumpcap_pid"] != first["dumpcap_pid"]
    send_restart_commands(modbus_server, 3)
    alert = live.next_event("alert")
    assert alert["dst"] == "127.0.0.1"
    live.process.send_signal(signal.SIGTERM)
    summary = live.next_event("stopped")
    live.process.wait(30)
    assert summary["restarts"] == 1 and summary["runs_uncounted"] == 1  # killed: no counters


def test_live_on_a_missing_interface_or_baseline_exits_2(home: Home, baseline: Path,
                                                         tmp_path: Path) -> None:
    code, _, err = run("monitor", "live", "no-such-if0", "--baseline", str(baseline),
                       "--no-store")
    assert code == 2 and "no-such-if0" in err
    code, _, err = run("monitor", "live", "lo", "--baseline", str(tmp_path / "none.json"))
    assert code == 2 and "none.json" in err


def test_assets_and_analyze_store_from_the_command_line(home: Home, baseline: Path,
                                                        tmp_path: Path) -> None:
    home("cli")
    capture = tmp_path / "normal.pcap"
    report = json.loads(run("monitor", "assets", "--capture", str(capture),
                            "--format", "json")[1])
    assert {a["ip"] for a in report["assets"]} == {"10.0.0.1", "10.0.0.2"}
    assert len(report["unknown_devices"]) == 2 and report["findings"]["opened"] == 2
    odd = write_pcap(tmp_path / "odd.pcap", [modbus_segment(adu(7, 9, bytes([8, 0, 1, 0, 0])), 1)])
    code, out, _ = run("monitor", "analyze", str(odd), "--baseline", str(baseline),
                       "--store", "--format", "json")
    assert code == 1 and json.loads(out)["findings"]["opened"] >= 1
    again = json.loads(run("monitor", "analyze", str(odd), "--baseline", str(baseline),
                           "--store", "--format", "json")[1])
    assert again["findings"]["opened"] == 0 and again["findings"]["events"] == 0
    code, _, err = run("monitor", "assets", "--site", "Nowhere")
    assert code == 2 and "Nowhere" in err
