"""The job queue's own cost: how fast `cpstrust worker` processes take and finish jobs,
on SQLite (the job table, claimed by lease) and on PostgreSQL (procrastinate), with one
and with two workers, and whether each job ran exactly once.

The jobs are re-evaluations of an organisation that holds no release: each is a claim,
the bookkeeping of a run (running, progress, done) and nothing else, so what is timed is
the queue. All N are queued first (through the use case the API calls), then the workers
start; reported: the time from the workers' start to the last job done (jobs/s), each
job's time from its claim to its end (p50, p95), and the sum of runs (N when each ran
once). The workers poll every second on SQLite when idle; here they never are.

    .venv/bin/python bench/bench_jobs.py              # 300 jobs, both stores, 1 and 2 workers
    .venv/bin/python bench/bench_jobs.py --jobs 100 --backend sqlite
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bench_service import _admin, cli_env, postgres_cluster
from cpstrust.app import jobs
from cpstrust.app.identity import authenticate, create_api_key
from cpstrust.app.services import Services
from cpstrust.model.identity import Role
from cpstrust.settings import Settings
from cpstrust.store import graph
from cpstrust.store.db import Store


def queue(url: str, home: Path, count: int) -> None:
    services = Services(Settings(home=home, database_url=url), store=Store.open(url))
    with services.store.transaction() as session:
        graph.organization(session, "Bench Org", create=True)
    at = datetime.now(UTC)
    key = create_api_key(services, at=at, organisation="Bench Org", role=Role.ANALYST).secret
    caller = authenticate(services, key, at)
    for _ in range(count):
        jobs.start_reevaluation(services, caller, at)
    services.close()


def run(url: str, home: Path, count: int, workers: int) -> None:
    queue(url, home, count)
    engine = create_engine(url)
    started = time.monotonic()
    processes = [subprocess.Popen([sys.executable, "-m", "cpstrust", "worker"],
                                  env=cli_env(url, home), stdout=subprocess.DEVNULL,
                                  stderr=(home / f"worker-{n}.log").open("wb"))
                 for n in range(workers)]
    try:
        while True:
            with engine.connect() as connection:
                done = connection.execute(text(
                    "SELECT count(*) FROM job WHERE state = 'done'")).scalar_one()
            if done >= count:
                break
            if any(p.poll() is not None for p in processes):
                raise SystemExit(f"a worker ended: see {home}/worker-*.log")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT started_at, finished_at, runs FROM job")).all()
    engine.dispose()
    spans = sorted((_instant(end) - _instant(start)).total_seconds() * 1000
                   for start, end, _ in rows)
    runs = sum(r for *_, r in rows)
    p95 = spans[int(len(spans) * 0.95) - 1]
    print(f"  {workers} worker(s): {count} jobs in {elapsed:.1f} s "
          f"({count / elapsed:.0f} jobs/s incl. the workers' start), "
          f"claim to done p50 {statistics.median(spans):.0f} ms, p95 {p95:.0f} ms, "
          f"runs {runs} (each once: {runs == count})")


def _instant(value: object) -> datetime:
    if isinstance(value, str):  # SQLite through a plain connection: text
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as scratch:
        work = Path(scratch)
        work.chmod(0o755)  # initdb runs as the postgres user when we are root
        if args.backend in ("sqlite", "both"):
            print("SQLite (the job table, claimed by lease):")
            for workers in (1, 2):
                home = work / f"sqlite-{workers}"
                home.mkdir()
                run(f"sqlite:///{home / 'cpstrust.db'}", home, args.jobs, workers)
        if args.backend in ("postgresql", "both"):
            print("PostgreSQL (procrastinate):")
            with postgres_cluster(work / "pg", fsync=True) as server:
                for workers in (1, 2):
                    _admin(server, f"CREATE DATABASE run{workers}")
                    home = work / f"pg-{workers}"
                    home.mkdir()
                    run(f"{server}/run{workers}", home, args.jobs, workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
