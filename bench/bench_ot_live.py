"""Live capture: does `cpstrust monitor live lo` keep up at a packet rate without drops?

A scenario's test capture (``monitor scenario``) has its addresses moved into 127/8
(``tcprewrite --pnat``, checksums fixed) so that nothing leaves the machine, and is
replayed onto loopback by ``tcpreplay --pps RATE``; `monitor live lo` (dumpcap with a
ring buffer, decoding and detection as the files grow) runs meanwhile, and is stopped
with SIGINT once the replay is over. Reported in the same run: packets sent (tcpreplay),
received and dropped (dumpcap's own counters), read and decoded by the monitor, alerts.

Needs root (capturing, injecting on lo) and Debian's tshark and tcpreplay
(`scripts/setup-env.sh test` installs both).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PNAT = "10.0.0.0/8:127.0.0.0/8,172.16.0.0/12:127.16.0.0/12,192.168.0.0/16:127.168.0.0/16"


def _cpstrust(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cpstrust", *args], env=env, check=False,
                          capture_output=True, text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pps", type=int, default=5000)
    parser.add_argument("--packets", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-ot-live-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CPSTRUST_HOME=str(work / "home"))
    env.pop("CPSTRUST_DATABASE_URL", None)
    scenario = work / "scenario"
    _cpstrust("monitor", "scenario", "--seed", str(args.seed), "--out", str(scenario),
              "--normal-minutes", "5", "--test-minutes", "40", env=env).check_returncode()
    for name in ("normal", "test"):
        subprocess.run(["tcprewrite", f"--pnat={_PNAT}", "--fixcsum",
                        f"--infile={scenario / name}.pcap",
                        f"--outfile={scenario / name}-lo.pcap"], check=True)
    baseline = work / "baseline.json"
    _cpstrust("monitor", "learn", str(scenario / "normal-lo.pcap"), "--out", str(baseline),
              env=env).check_returncode()
    live = subprocess.Popen(
        [sys.executable, "-m", "cpstrust", "monitor", "live", "lo", "--baseline",
         str(baseline), "--format", "json", "--filter", "net 127.0.0.0/8 and not port 5432"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert live.stdout is not None
    for line in live.stdout:
        if json.loads(line)["event"] == "capture_started":
            break
    started = time.monotonic()
    replay = subprocess.run(["tcpreplay", "-i", "lo", f"--pps={args.pps}",
                             f"--limit={args.packets}", str(scenario / "test-lo.pcap")],
                            check=True, capture_output=True, text=True)
    replay_seconds = time.monotonic() - started
    time.sleep(2.0)  # let dumpcap write out its last buffer
    live.send_signal(signal.SIGINT)
    alerts, summary = 0, {}
    for line in live.stdout:
        record = json.loads(line)
        alerts += record["event"] == "alert"
        if record["event"] == "stopped":
            summary = record
    live.wait(60)
    sent = re.search(r"Actual: (\d+) packets", replay.stdout)
    rated = re.search(r"Rated: .*?([\d.]+) pps", replay.stdout)
    print(f"replayed {sent.group(1) if sent else '?'} packets at {args.pps}/s asked "
          f"({replay_seconds:.1f} s, tcpreplay rated {rated.group(1) if rated else '?'} pps)")
    print(f"dumpcap received {summary.get('received')}, dropped {summary.get('dropped')}; "
          f"monitor read {summary.get('packets')} packets from {summary.get('files_read')} "
          f"ring files ({summary.get('files_lost')} lost), {alerts} alerts, "
          f"{summary.get('restarts')} restarts, findings {summary.get('findings')}")


if __name__ == "__main__":
    main()
