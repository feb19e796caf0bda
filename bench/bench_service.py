"""`cpstrust serve` under load: the 1M-component store of bench_ingest spread over 100
tenant organisations, on SQLite and on PostgreSQL, driven by 50 concurrent clients.

The store: bench_ingest's SBOMs (1,000 x 1,000 realistic components, matched against
the shared PyPA and Go advisories: findings, events), its 100 products supplied by 90
supplier organisations, each of which grants its products to one of 10 buyer
organisations (a buyer sees about a tenth of the store); one user a tenant; 20 sites
of the buyers with 5 devices a release. Built once and kept in a cache directory named
by its parameters (a SQLite file; a PostgreSQL cluster's data directory), then copied
for each run, which writes keys, sessions and uploads.

The load: the real server (``cpstrust serve`` in a subprocess on 127.0.0.1; ``--workers N``
is passed on, and its CPU summed over its processes) and, in
this process, 50 clients (httpx, asyncio), each sending one request after another as
a random tenant (an analyst's key; the dashboard with a browser session): 50 findings
worst first, the product list, the impact of one of the widest vulnerabilities, and
the rendered dashboard. Latency p50/p95/max per route class, requests/s and the CPU a
request takes in the server and, on PostgreSQL, in PostgreSQL's processes, with no
pause between a client's requests (the server saturated: latency is then about 50 /
throughput) and with a pause (``--think-ms``, exponential, as people and CI jobs pace
their requests).

On PostgreSQL the server, and the CLI its upload is compared with, connect as a role
row-level security binds, as the README asks a deployment to (``--superuser``: as the
superuser, whom every policy passes over).

The upload: one 10,000-component SBOM stored and scanned through POST /api/v1/sboms
against the CLI's whole ``cpstrust sbom import`` process for the same file on the same
store (reference measured in the same run), medians of three.

    .venv/bin/python bench/bench_service.py                    # 1M components, both stores
    .venv/bin/python bench/bench_service.py --quick            # 100 x 1,000, SQLite, 10 s
    .venv/bin/python bench/bench_service.py --backend postgresql --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.orm import Session

from bench_ingest import ADVISORIES, load, write_sboms
from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.identity import create_api_key, create_user, grant_products
from cpstrust.app.sbom_batch import SbomToImport
from cpstrust.app.sboms import import_sboms
from cpstrust.app.services import Services
from cpstrust.app.websessions import login
from cpstrust.model import graph
from cpstrust.model.identity import Role
from cpstrust.settings import Settings
from cpstrust.store.db import Store
from cpstrust.store.graph import load_supply_chain
from cpstrust.store.tables import EventRow, FindingRow
from realistic import cyclonedx, load_candidates, sample

BUILD = 1  # bump when the store built here changes shape: cached stores are rebuilt
PASSWORD = "bench password of every tenant"
PRODUCTS = 100
SITES = 20
DEVICES_PER_RELEASE = 5
SETTLED = timedelta(days=30)
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "cpstrust-bench-cache"


@dataclass(frozen=True, slots=True)
class Scale:
    sboms: int
    components: int
    tenants: int

    @property
    def key(self) -> str:
        return f"service-b{BUILD}-{self.sboms}x{self.components}-t{self.tenants}"

    @property
    def buyers(self) -> list[str]:
        return [f"Buyer {b}" for b in range(max(1, self.tenants // 10))]

    @property
    def suppliers(self) -> list[str]:
        return [f"Supplier {s}" for s in range(self.tenants - len(self.buyers))]


def supply_chain(scale: Scale) -> graph.SupplyChain:
    """bench_ingest's products and releases, supplied by the suppliers round robin, each
    supplier a tier-1 supplier of one buyer; the buyers operate the sites."""
    buyers, suppliers = scale.buyers, scale.suppliers
    orgs = [graph.Organization(name) for name in buyers + suppliers]
    relations = [graph.SupplierRelation(s, buyers[i % len(buyers)], 1)
                 for i, s in enumerate(suppliers)]
    products = [graph.Product(f"product-{p}", suppliers[p % len(suppliers)])
                for p in range(PRODUCTS)]
    releases = [graph.Release(f"product-{i % PRODUCTS}", f"{i // PRODUCTS}.0")
                for i in range(scale.sboms)]
    sites = [graph.Site(f"site-{s}", buyers[s % len(buyers)], "factory", ("control", "dmz"))
             for s in range(SITES)]
    devices = [graph.Device(f"dev-{i}-{d}", r.product, r.version, f"site-{(i + d) % SITES}",
                            "control")
               for i, r in enumerate(releases) for d in range(DEVICES_PER_RELEASE)]
    return graph.SupplyChain(tuple(orgs), tuple(relations), tuple(products), tuple(releases),
                             tuple(sites), tuple(devices))


def services_over(url: str, home: Path) -> Services:
    store = Store.open(url)
    return Services(Settings(home=home, database_url=url), store=store)


def build_store(url: str, scale: Scale, work: Path) -> None:
    """Advisories, the graph, the SBOMs with their findings, users and grants."""
    work.mkdir(parents=True, exist_ok=True)
    services = services_over(url, work / "home")
    started = time.perf_counter()

    def progress(step: str) -> None:  # a 1M build takes long: say where it is
        print(f"  building {scale.key}: {step} at {time.perf_counter() - started:.0f} s "
              f"({load()})", flush=True)

    import_advisory_paths(services, [ADVISORIES / "pypa" / "vulns",
                                     ADVISORIES / "go-vulndb" / "osv"])
    chain = supply_chain(scale)
    with services.store.transaction() as session:
        load_supply_chain(session, chain)
    paths = write_sboms(work, scale.sboms, scale.components)
    progress("advisories, graph and SBOM files ready")
    import_sboms(services, [SbomToImport(p, r.product, r.version)
                            for p, r in zip(paths, chain.releases, strict=True)])
    progress("SBOMs imported and evaluated")
    at = datetime.now(UTC)
    for i, org in enumerate(scale.buyers + scale.suppliers):
        create_user(services, f"user-{i}", org, Role.ANALYST, PASSWORD, at)
    for i, supplier in enumerate(scale.suppliers):
        grant_products(services, supplier=supplier, to=scale.buyers[i % len(scale.buyers)],
                       product=None, at=at)
    with services.store.transaction() as session:
        settle(session, at)
    services.store.close()
    print(f"built {scale.key} in {time.perf_counter() - started:.0f} s ({load()})", flush=True)


def settle(session: Session, at: datetime) -> None:
    """The store as a month after it was loaded: its events (what changed) dated then,
    so that "since yesterday" holds what a day brings, not the whole load."""
    session.execute(update(EventRow).values(at=at - SETTLED))


# --- the stores: a cached SQLite file, a cached PostgreSQL cluster --------------------


def sqlite_copy(cache: Path, scale: Scale, work: Path) -> str:
    cached = cache / f"{scale.key}.db"
    if not cached.exists():
        building = work / "building.db"
        build_store(f"sqlite:///{building}", scale, work / "build")
        with sqlite3.connect(building) as db:  # everything in the file before keeping it
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cache.mkdir(parents=True, exist_ok=True)
        shutil.move(building, cached)
    run = work / "run.db"
    shutil.copyfile(cached, run)
    return f"sqlite:///{run}"


def _pg_tool(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    path = str(found[0]) if found else shutil.which(name)
    if path is None:
        raise SystemExit(f"PostgreSQL's {name} not found (Debian's postgresql package)")
    return path


def _as_owner(args: list[str]) -> list[str]:
    """initdb and pg_ctl refuse root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_cluster(directory: Path, *, fsync: bool) -> Iterator[str]:
    """A PostgreSQL server on ``directory`` (initialised when new); its server URL."""
    data = directory / "data"
    if not data.exists():
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(directory, owner.pw_uid, owner.pw_gid)
        subprocess.run(_as_owner([_pg_tool("initdb"), "-D", str(data), "-U", "postgres",
                                  "--auth=trust", "-E", "UTF8", "--no-sync"]),
                       check=True, capture_output=True)
    port = free_port()
    options = (f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 "
               f"-c fsync={'on' if fsync else 'off'} -c max_connections=200")
    subprocess.run(_as_owner([_pg_tool("pg_ctl"), "-D", str(data), "-o", options,
                              "-l", str(directory / "log"), "-w", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_owner([_pg_tool("pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)


BOUND_ROLE = "cpstrust_served"


def bound_role_url(url: str) -> str:
    """``url`` (the superuser's, on one database) for a role that row-level security
    binds (no superuser, no BYPASSRLS), with the rights the service needs: the role the
    README asks a deployment to serve as, whose every statement the policies check."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DO $$ BEGIN CREATE ROLE {BOUND_ROLE} LOGIN; "
                                "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        for kind in ("TABLES", "SEQUENCES"):
            connection.execute(text(f"GRANT ALL ON ALL {kind} IN SCHEMA public "
                                    f"TO {BOUND_ROLE}"))
    engine.dispose()
    return url.replace("://postgres@", f"://{BOUND_ROLE}@", 1)


def _admin(server: str, statement: str, database: str = "postgres") -> None:
    engine = create_engine(f"{server}/{database}", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def postmaster_of(directory: Path) -> int:
    """The process id of the PostgreSQL server running on ``directory``."""
    return int((directory / "data" / "postmaster.pid").read_text().split()[0])


@contextmanager
def postgres_copy(cache: Path, scale: Scale, work: Path) -> Iterator[tuple[str, int]]:
    """The cached cluster's built database, copied (as a template) for this run, and
    the cluster's postmaster (whose CPU the run reports)."""
    directory = cache / f"{scale.key}-pg"
    if not (directory / "built").exists():
        shutil.rmtree(directory, ignore_errors=True)
        with postgres_cluster(directory, fsync=False) as server:
            _admin(server, "CREATE DATABASE bench")
            build_store(f"{server}/bench", scale, work / "build")
        (directory / "built").touch()
    if not (directory / "vacuumed").exists():  # also a store cached before this step
        with postgres_cluster(directory, fsync=False) as server:
            # What autovacuum does in the minutes after the build commits (statistics of
            # every table, pages marked all-visible for index-only scans), done before the
            # store is kept so that no run's copy starts without it.
            started = time.perf_counter()
            _admin(server, "VACUUM (ANALYZE)", database="bench")
            print(f"  vacuumed {scale.key} in {time.perf_counter() - started:.0f} s "
                  f"({load()})", flush=True)
        (directory / "vacuumed").touch()
    with postgres_cluster(directory, fsync=True) as server:
        _admin(server, "DROP DATABASE IF EXISTS run")
        _admin(server, "CREATE DATABASE run TEMPLATE bench")
        try:
            yield f"{server}/run", postmaster_of(directory)
        finally:
            _admin(server, "DROP DATABASE IF EXISTS run WITH (FORCE)")


# --- the tenants' credentials, the server ---------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    keys: list[str]  # an analyst's API key of each tenant
    cookies: list[str]  # a browser session of each tenant
    uploader: str  # an uploader's key of the first supplier
    widespread: list[str]  # vulnerability ids with the most findings


def credentials(url: str, scale: Scale, home: Path) -> Credentials:
    services = services_over(url, home)
    at = datetime.now(UTC)
    orgs = scale.buyers + scale.suppliers
    keys = [create_api_key(services, at=at, organisation=org, role=Role.ANALYST).secret
            for org in orgs]
    cookies = [login(services, f"user-{i}", PASSWORD, "bench", at).token
               for i in range(len(orgs))]
    uploader = create_api_key(services, at=at, organisation=scale.suppliers[0],
                              role=Role.UPLOADER).secret
    with services.store.transaction() as session:
        widespread = list(session.scalars(
            select(FindingRow.vulnerability_id).group_by(FindingRow.vulnerability_id)
            .order_by(func.count().desc()).limit(20)))
    services.store.close()
    return Credentials(keys, cookies, uploader, widespread)


def cli_env(url: str, home: Path) -> dict[str, str]:
    return {**os.environ, "CPSTRUST_DATABASE_URL": url, "CPSTRUST_HOME": str(home)}


@contextmanager
def server(url: str, home: Path, workers: int | None) -> Iterator[tuple[str, int]]:
    """``cpstrust serve`` on a free port of 127.0.0.1, as an operator starts it (with
    ``--workers`` when given)."""
    port = free_port()
    chosen = [] if workers is None else ["--workers", str(workers)]
    with (home / "serve.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "cpstrust", "serve", "--port",
                                    str(port), *chosen], env=cli_env(url, home), stdout=log,
                                   stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"cpstrust serve did not start: see {home / 'serve.log'}")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(30)


# --- the load --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Request:
    route: str  # the class it is reported under
    path: str
    headers: dict[str, str]


def requests_of(creds: Credentials, serves_impact: bool) -> list[tuple[str, object]]:
    """The route classes and, for each, how to make one request as tenant ``t``."""
    def findings(t: int, rng: random.Random) -> Request:
        return Request("api findings (50)", "/api/v1/findings?limit=50", _bearer(creds, t))

    def products(t: int, rng: random.Random) -> Request:
        return Request("api products", "/api/v1/products?limit=50", _bearer(creds, t))

    def impact(t: int, rng: random.Random) -> Request:
        return Request("api impact", f"/api/v1/impact/{rng.choice(creds.widespread)}",
                       _bearer(creds, t))

    def dashboard(t: int, rng: random.Random) -> Request:
        return Request("page dashboard", "/ui/", {"Cookie": f"cpst_session={creds.cookies[t]}"})

    made: list[tuple[str, object]] = [("findings", findings), ("products", products),
                                      ("dashboard", dashboard)]
    return made + ([("impact", impact)] if serves_impact else [])


def _bearer(creds: Credentials, tenant: int) -> dict[str, str]:
    return {"Authorization": f"Bearer {creds.keys[tenant]}"}


@dataclass
class Tally:
    seconds: dict[str, list[float]]
    failed: dict[str, int]
    server_cpu: float = 0.0  # seconds of the server's processes' CPU while recording
    database_cpu: float = 0.0  # and of PostgreSQL's processes (0 on SQLite)
    # each answer that was not a 200: route, path, status (0: no answer), its body's start
    refused: list[tuple[str, str, int, str]] = field(default_factory=list)


def cpu_seconds(pid: int) -> float:
    """User + system CPU so far of a process and of the processes it started, alive
    (Linux /proc): `cpstrust serve --workers N`'s server processes are its children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return 0.0  # ended meanwhile
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def cluster_cpu_seconds(postmaster: int) -> float:
    """CPU of a PostgreSQL server so far: the postmaster, its children that ended (its
    cutime and cstime) and those running (its backends, writers, autovacuum)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile: its CPU is in its parent's now
            continue
        if stat.parent.name == str(postmaster):
            ticks += sum(int(f) for f in fields[11:15])
        elif fields[1] == str(postmaster):
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Watched:
    """The processes whose CPU a run reports: the server, and PostgreSQL's if it runs."""
    server: int
    postmaster: int | None = None

    def cpu(self) -> tuple[float, float]:
        """Seconds so far: the server's, PostgreSQL's (0 on SQLite)."""
        return (cpu_seconds(self.server),
                cluster_cpu_seconds(self.postmaster) if self.postmaster else 0.0)


async def _client(http: httpx.AsyncClient, makers: list[object], tenants: int, seed: int,
                  until: float, record_from: float, think: float, tally: Tally) -> None:
    rng = random.Random(seed)
    while (now := time.perf_counter()) < until:
        made: Request = rng.choice(makers)(rng.randrange(tenants), rng)  # type: ignore[operator]
        start = time.perf_counter()
        try:
            answer = await http.get(made.path, headers=made.headers)
            status, body = answer.status_code, answer.text[:300]
        except httpx.TransportError as error:
            status, body = 0, repr(error)
        took = time.perf_counter() - start
        if now >= record_from:
            tally.seconds[made.route].append(took)
            if status != 200:
                tally.failed[made.route] += 1
                tally.refused.append((made.route, made.path, status, body))
        if think:
            await asyncio.sleep(rng.expovariate(1 / think))


async def drive(base: str, watched: Watched, makers: list[object], tenants: int, clients: int,
                seconds: float, warm: float, think: float) -> Tally:
    tally = Tally(defaultdict(list), defaultdict(int))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        start = time.perf_counter()
        running = asyncio.gather(*(
            _client(http, makers, tenants, seed, start + warm + seconds, start + warm,
                    think, tally) for seed in range(clients)))
        await asyncio.sleep(warm)
        server_cpu, database_cpu = watched.cpu()
        await asyncio.sleep(seconds)
        tally.server_cpu, tally.database_cpu = (
            after - before for after, before in zip(watched.cpu(), (server_cpu, database_cpu),
                                                    strict=True))
        await running
    return tally


def report(title: str, tally: Tally, seconds: float) -> None:
    total = sum(len(v) for v in tally.seconds.values())
    database = (f", PostgreSQL CPU {tally.database_cpu / max(total, 1) * 1000:.1f} ms"
                if tally.database_cpu else "")
    print(f"  {title}: {total / seconds:,.1f} requests/s; server CPU "
          f"{tally.server_cpu / max(total, 1) * 1000:.1f} ms{database} a request ({load()})")
    for route in sorted(tally.seconds):
        taken = sorted(tally.seconds[route])
        p95 = taken[min(len(taken) - 1, int(0.95 * len(taken)))]
        target = 200 if route.startswith("page") else 100
        print(f"    {route:20} n={len(taken):6,}  p50 {statistics.median(taken) * 1000:7.1f} ms"
              f"  p95 {p95 * 1000:7.1f} ms  max {taken[-1] * 1000:7.1f} ms"
              f"  (target p95 < {target} ms {'ok' if p95 * 1000 < target else 'MISSED'})"
              f"{f'  {tally.failed[route]} not 200' if tally.failed[route] else ''}")
    for route, path, status, body in tally.refused[:10]:
        print(f"    not 200: {route} {path} -> {status} {body!r}")


def route_cpu(base: str, watched: Watched, makers: list[object], scale: Scale,
              repeat: int) -> None:
    """The server's CPU for each route class alone, with nothing else sent meanwhile:
    ``repeat`` requests one after another as the first buyer and as the first supplier,
    best of three (by wall time), with PostgreSQL's CPU and the wall time of that best.
    What a request costs beyond its SQL shows against the figures of its use case in
    process; /proc counts 10 ms ticks, so a CPU figure is good to 10 / repeat ms."""
    print(f"  server CPU a request, each route alone ({load()}):")
    with httpx.Client(base_url=base, timeout=120) as http:
        for who, tenant in (("buyer", 0), ("supplier", len(scale.buyers))):
            rng = random.Random(tenant)
            for make in makers:
                made: Request = make(tenant, rng)  # type: ignore[operator]
                best = (float("inf"), 0.0, 0.0)  # wall, server CPU, PostgreSQL CPU
                for _ in range(3):
                    before, started = watched.cpu(), time.perf_counter()
                    for _ in range(repeat):
                        if (status := http.get(made.path, headers=made.headers).status_code) != 200:
                            raise SystemExit(f"{made.path} answered {status}")
                    took = time.perf_counter() - started
                    server, database = (a - b for a, b in zip(watched.cpu(), before, strict=True))
                    best = min(best, (took / repeat, server / repeat, database / repeat))
                wall, server, database = (x * 1000 for x in best)
                print(f"    {who:8} {made.route:20} {server:6.2f} ms"
                      + (f"  PostgreSQL {database:6.2f} ms  wall {wall:6.2f} ms"
                         if watched.postmaster else ""))


# --- the upload ------------------------------------------------------------------------


def upload_ratio(base: str, url: str, home: Path, creds: Credentials, sbom: Path,
                 supplier: str, runs: int) -> None:
    cli, api = [], []
    for run in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cpstrust", "sbom", "import", str(sbom),
                        "--product", "upload-cli", "--version", f"{run}.0", "--supplier",
                        supplier, "--format", "json"], env=cli_env(url, home), check=True,
                       stdout=subprocess.DEVNULL)
        cli.append(time.perf_counter() - start)
        start = time.perf_counter()
        answer = httpx.post(f"{base}/api/v1/sboms",
                            params={"product": "upload-api", "version": f"{run}.0"},
                            content=sbom.read_bytes(), timeout=600,
                            headers={"Authorization": f"Bearer {creds.uploader}",
                                     "Content-Type": "application/json"})
        api.append(time.perf_counter() - start)
        if answer.status_code != 201:
            raise SystemExit(f"upload refused: {answer.status_code} {answer.text[:500]}")
    stored = answer.json()
    print(f"  upload of a {stored['components']:,}-component SBOM "
          f"({sbom.stat().st_size / 1e6:.1f} MB; {stored['new_findings']:,} findings), "
          f"medians of {runs}: API {statistics.median(api):.2f} s, CLI `sbom import` "
          f"{statistics.median(cli):.2f} s: {statistics.median(api) / statistics.median(cli):.2f}x"
          f" (target <= 2x) ({load()})")


def bench(backend: str, url: str, scale: Scale, args: argparse.Namespace, work: Path,
          postmaster: int | None = None) -> None:
    home = work / f"home-{backend}"
    home.mkdir()
    creds = credentials(url, scale, home)
    chosen: list[int | None] = args.workers or [None]
    # The server (and the CLI the upload is compared with) as deployed: on PostgreSQL as
    # a role row-level security binds, unless --superuser (every policy passed over).
    if backend == "postgresql" and not args.superuser:
        url = bound_role_url(url)
    as_role = f", as {url.split('://', 1)[1].split('@', 1)[0]}" if postmaster else ""
    print(f"{backend}: {scale.sboms:,} SBOMs x {scale.components:,} components, "
          f"{scale.tenants} tenants, {args.clients} clients, {args.seconds:.0f} s a phase, "
          f"serve --workers {' and '.join(str(w or 'default') for w in chosen)}{as_role}",
          flush=True)
    with ExitStack() as running:
        # Several --workers: a server for each, all on the one store, driven in turn.
        served = [(workers, *running.enter_context(server(
            url, home if len(chosen) == 1 else _home_of(home, workers), workers)))
            for workers in chosen]
        _, base, pid = served[0]
        watched = Watched(pid, postmaster)
        paths = httpx.get(f"{base}/openapi.json").json()["paths"]
        serves_impact = any(path.startswith("/api/v1/impact/") for path in paths)
        if not serves_impact:
            print("  (GET /api/v1/impact/... not served by this build: not measured)")
        makers = [make for _, make in requests_of(creds, serves_impact)]
        if args.route_cpu:
            route_cpu(base, watched, makers, scale, args.route_cpu)
        for think in args.think_ms:
            for turn in range(args.rounds if len(served) > 1 else 1):
                for workers, each_base, each_pid in served[::-1 if turn % 2 else 1]:
                    tally = asyncio.run(drive(each_base, Watched(each_pid, postmaster), makers,
                                              len(creds.keys), args.clients, args.seconds,
                                              args.warm, think / 1000))
                    phase = f"pause {think} ms" if think else "no pause (saturated)"
                    report(phase if len(served) == 1 else
                           f"round {turn + 1}, --workers {workers or 'default'}, {phase}",
                           tally, args.seconds)
        if args.upload_components:
            sbom = work / "upload.cdx.json"
            if not sbom.exists():
                sbom.write_bytes(cyclonedx(sample(load_candidates(), args.upload_components,
                                                  seed=10_000), name="upload", version="1"))
            upload_ratio(base, url, home, creds, sbom, scale.suppliers[0], args.upload_runs)


def _home_of(home: Path, workers: int | None) -> Path:
    own = home / f"workers-{workers or 'default'}"
    own.mkdir()
    return own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sboms", type=int, default=1000)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30, help="measured, per phase")
    parser.add_argument("--warm", type=float, default=3, help="seconds unrecorded first")
    parser.add_argument("--think-ms", type=int, action="append",
                        help="a phase with this mean pause between a client's requests "
                             "(repeatable; default: 0 and 1000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--upload-components", type=int, default=10_000, help="0: no upload")
    parser.add_argument("--upload-runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--route-cpu", type=int, default=0, metavar="N",
                        help="first, the server's CPU for each route class alone: N "
                             "requests one after another as a buyer and as a supplier")
    parser.add_argument("--workers", type=int, metavar="N", action="append",
                        help="`cpstrust serve --workers N` (default: serve's own default); "
                             "the server's CPU is summed over its processes. Repeated: a "
                             "server for each on the one store, each phase run against "
                             "each in turn, --rounds times, the order reversed each round")
    parser.add_argument("--rounds", type=int, default=2,
                        help="with several --workers: the turns of each phase")
    parser.add_argument("--superuser", action="store_true",
                        help="PostgreSQL: serve as the superuser, whom row-level security's "
                        "policies pass over (default: a role they bind, as the README asks)")
    parser.add_argument("--quick", action="store_true",
                        help="100 x 1,000 components, SQLite, 10 s phases, 1 upload")
    args = parser.parse_args()
    if args.quick:
        args.sboms, args.seconds, args.upload_runs = 100, 10, 1
        args.backend = args.backend or ["sqlite"]
    args.think_ms = args.think_ms or [0, 1000]
    scale = Scale(args.sboms, args.components, args.tenants)
    work = Path(tempfile.mkdtemp(prefix="cpstrust-bench-service-"))
    print(f"before: {load()}", flush=True)
    try:
        for backend in args.backend or ["sqlite", "postgresql"]:
            if backend == "sqlite":
                bench(backend, sqlite_copy(args.cache, scale, work), scale, args, work)
            else:
                with postgres_copy(args.cache, scale, work) as (url, postmaster):
                    bench(backend, url, scale, args, work, postmaster)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
