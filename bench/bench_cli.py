"""Whole `cpstrust` processes, as a user or a CI job waits for them: imports, start-up and
teardown included.

- `cpstrust --help`;
- a cold `cpstrust scan bom.json --format json` of a 10,000-component SBOM against the
  whole imported PyPA + Go database (every scan from the command line is cold: a new
  process; database pages in the OS cache, as after any earlier command);
- the reference, in the same run: a Python process that only reads the same SBOM with
  orjson (`python -c "import orjson; orjson.loads(...)"`).

Each figure is the median of several runs. Targets (issue 11): --help under 0.2 s; the
cold scan under 1.0 s and within 4x the reference.

    .venv/bin/python bench/bench_cli.py [--runs 7] [--components 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CPSTRUST = Path(sys.executable).with_name("cpstrust")


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--components", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cpstrust-cli-"))
    try:
        # The advisories and the SBOM, made as bench_scan makes them (a child process).
        subprocess.run([sys.executable, str(BENCH / "bench_scan.py"), "--prepare", str(work),
                        "--components", str(args.components)], check=True)
        env = {**os.environ, "CPSTRUST_HOME": str(work / "home"),
               "CPSTRUST_DATABASE_URL": f"sqlite:///{work / 'scan.db'}"}
        sbom = work / "bom-7.json"
        size_mb = sbom.stat().st_size / 1e6
        scan = [str(CPSTRUST), "scan", str(sbom), "--format", "json"]
        subprocess.run(scan, check=True, env=env, stdout=subprocess.DEVNULL)  # OS cache warm
        help_s = median_seconds([str(CPSTRUST), "--help"], args.runs, env)
        scan_s = median_seconds(scan, args.runs, env)
        parse = [sys.executable, "-c",
                 f"import orjson; orjson.loads(open({str(sbom)!r}, 'rb').read())"]
        parse_s = median_seconds(parse, args.runs, env)
    finally:
        shutil.rmtree(work)
    print(f"median of {args.runs} runs each; SBOM of {args.components:,} components "
          f"({size_mb:.1f} MB)")
    print(f"cpstrust --help                         {help_s * 1000:8.0f} ms   (target < 200 ms)")
    print(f"reference: python + orjson parse        {parse_s * 1000:8.0f} ms")
    print(f"cpstrust scan --format json (cold)      {scan_s * 1000:8.0f} ms   "
          f"{scan_s / parse_s:.2f}x the reference (targets < 1000 ms, <= 4x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
