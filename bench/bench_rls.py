"""What PostgreSQL's row-level security costs the service's tenant reads (ADR 0019).

bench_service's store (bench_ingest's SBOMs, their products supplied by suppliers that
grant them to buyers; ``--sboms`` x ``--components``) built in a fresh cluster; then the
use cases behind the API pages (50 findings worst first, the product list, the
dashboard), each called ``--repeat`` times for a buyer and for a supplier, once through
the superuser (policies passed over unevaluated: the application layer's filters
alone) and once through a role the policies bind (both lines). Median and p95 wall time
of a call, in this process: the query and the Python around it, no HTTP.

    .venv/bin/python bench/bench_rls.py                       # 200 x 1,000, 20 tenants
    .venv/bin/python bench/bench_rls.py --sboms 1000 --tenants 100
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bench_service import Scale, _admin, build_store, postgres_cluster, services_over
from cpstrust.app import dashboard, tenancy
from cpstrust.app.identity import authenticate, create_api_key
from cpstrust.app.services import Services
from cpstrust.model.identity import Caller, Role
from cpstrust.model.pages import PageRequest

BOUND_ROLE = "cpstrust_bench"

Call = Callable[[Services, Caller], object]
CALLS: dict[str, Call] = {
    "50 findings": lambda s, c: tenancy.findings(s, c, PageRequest(limit=50, descending=True)),
    "product list": lambda s, c: tenancy.products(s, c, PageRequest(limit=50)),
    "dashboard": lambda s, c: dashboard.dashboard(s, c, datetime.now(UTC)),
}


def timed(services: Services, caller: Caller, call: Call, repeat: int) -> list[float]:
    call(services, caller)  # warm: plans, caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call(services, caller)
        times.append((time.perf_counter() - started) * 1000)
    return times


def bind_role(server: str) -> str:
    """A role row-level security binds, with the rights the service needs; its URL."""
    _admin(server, f"CREATE ROLE {BOUND_ROLE} LOGIN")
    engine = create_engine(f"{server}/bench", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for kind in ("TABLES", "SEQUENCES"):
            connection.execute(text(f"GRANT ALL ON ALL {kind} IN SCHEMA public "
                                    f"TO {BOUND_ROLE}"))
    engine.dispose()
    return server.replace("://postgres@", f"://{BOUND_ROLE}@", 1) + "/bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sboms", type=int, default=200)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    scale = Scale(args.sboms, args.components, args.tenants)
    with tempfile.TemporaryDirectory(prefix="cpstrust-bench-rls-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # the cluster's directory inside is the postgres user's
        with postgres_cluster(work / "pg", fsync=False) as server:
            _admin(server, "CREATE DATABASE bench")
            build_store(f"{server}/bench", scale, work / "build")
            urls = {"superuser": f"{server}/bench", "bound role": bind_role(server)}
            owner = services_over(urls["superuser"], work / "home")
            at = datetime.now(UTC)
            callers = {who: authenticate(owner, create_api_key(
                owner, at=at, organisation=org, role=Role.ANALYST).secret, at)
                for who, org in (("buyer", scale.buyers[0]),
                                 ("supplier", scale.suppliers[0]))}
            owner.store.close()
            print(f"{scale.key}: ms per call, median / p95 of {args.repeat}")
            for who, caller in callers.items():
                for name, call in CALLS.items():
                    cells = []
                    for role, url in urls.items():
                        services = services_over(url, work / "home")
                        times = sorted(timed(services, caller, call, args.repeat))
                        services.store.close()
                        p95 = times[max(0, round(len(times) * 0.95) - 1)]
                        cells.append(f"{role} {statistics.median(times):7.1f} / {p95:7.1f}")
                    print(f"  {who:8} {name:13} " + "   ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
