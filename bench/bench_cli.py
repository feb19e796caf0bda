"""Whole `cpstrust` processes, as a user or a CI job waits for them: imports, start-up and
teardown included.

- `cpstrust --help`;
- a cold `cpstrust scan bom.json --format json` of a 10,000-component SBOM against the
  whole imported PyPA + Go database (every scan from the command line is cold: a new
  process; database pages in the OS cache, as after any earlier command);
- the reference, in the same run: a Python process that only reads the same SBOM with
  orjson (`python -c "import orjson; orjson.loads(...)"`).

Each figure is the median of several runs, in wall time and in CPU time (user + system
of the child, which other work on the machine disturbs less); the load is printed with
them. Targets (issue 11): --help under 0.2 s; the cold scan under 1.0 s and within 4x
the reference.

The commands run with their bytecode cached, as an installed package has it (pip
compiles it at install): the first run writes it under the work directory
(``PYTHONPYCACHEPREFIX``), whatever ``PYTHONDONTWRITEBYTECODE`` says. Without it, an
editable checkout compiles every module of ours in every process (~215 M instructions,
~6% of a cold scan).

    .venv/bin/python bench/bench_cli.py [--runs 7] [--components 10000]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CPSTRUST = Path(sys.executable).with_name("cpstrust")


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def medians(commands: list[list[str]], runs: int, env: dict[str, str],
            ) -> list[tuple[float, float]]:
    """Median wall and median CPU seconds of each command, the commands run in turn
    (``runs`` rounds), so that a change of load falls on all of them alike."""
    times: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for command, taken in zip(commands, times, strict=True):
            taken.append(_timed(command, env))
    return [(statistics.median(w for w, _ in taken), statistics.median(c for _, c in taken))
            for taken in times]


def _row(label: str, wall: float, cpu: float) -> str:
    return f"{label:36s}{wall * 1000:6.0f} ms ({cpu * 1000:4.0f} ms)"


def _load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


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
               "CPSTRUST_DATABASE_URL": f"sqlite:///{work / 'scan.db'}",
               "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        sbom = work / "bom-7.json"
        size_mb = sbom.stat().st_size / 1e6
        scan = [str(CPSTRUST), "scan", str(sbom), "--format", "json"]
        parse = [sys.executable, "-c",
                 f"import orjson; orjson.loads(open({str(sbom)!r}, 'rb').read())"]
        for warm_up in ([str(CPSTRUST), "--help"], scan, parse):  # OS cache, bytecode
            subprocess.run(warm_up, check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"before: {_load()}")
        (help_s, help_cpu), (scan_s, scan_cpu), (parse_s, parse_cpu) = medians(
            [[str(CPSTRUST), "--help"], scan, parse], args.runs, env)
    finally:
        shutil.rmtree(work)
    print(f"after: {_load()}; median of {args.runs} runs each (in turn), wall (CPU); SBOM of "
          f"{args.components:,} components ({size_mb:.1f} MB)")
    print(_row("cpstrust --help", help_s, help_cpu) + "   target < 200 ms")
    print(_row("reference: python + orjson parse", parse_s, parse_cpu))
    print(_row("cpstrust scan --format json (cold)", scan_s, scan_cpu)
          + f"   {scan_s / parse_s:.2f}x ({scan_cpu / parse_cpu:.2f}x) the reference "
          "(targets < 1000 ms, <= 4x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
