"""Jobs across real processes on 127.0.0.1, on SQLite and PostgreSQL: a `cpstrust serve`
killed in the middle of a job loses neither that job nor the one still queued behind it
(a `cpstrust worker` started after runs both); two servers on one database serve what
the other wrote and do each job exactly once; and so do the two server processes of one
`cpstrust serve --workers 2`, whose jobs all run in the process that started them, and
which stop when that process is killed."""

from __future__ import annotations

import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from tenants import DEMO, GATEWAY_SBOM, Tenants

from cpstrust.model.identity import Role
from databases import copied_sqlite_url

SRC = Path(__file__).resolve().parents[2] / "src"
LEASE = "6"  # seconds: a killed worker's job runs again this soon; a live one beats thrice


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class _Osv:
    """OSV's export of one ecosystem on 127.0.0.1, whose first download hangs until
    released: a job is caught in the middle of its work."""

    def __init__(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in sorted((DEMO / "advisories").glob("GO-*.json")):
                archive.write(path, path.name)
        self.export = buffer.getvalue()
        self.asked = threading.Event()
        self.released = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not owner.asked.is_set():
                    owner.asked.set()
                    owner.released.wait(60)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(owner.export)))
                    self.end_headers()
                    self.wfile.write(owner.export)
                except OSError:
                    pass  # the worker that asked was killed meanwhile

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def _cpstrust(url: str, home: Path, log: Path, *arguments: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CPSTRUST_DATABASE_URL": url, "CPSTRUST_HOME": str(home),
           "PYTHONPATH": str(SRC)}
    return subprocess.Popen([sys.executable, "-m", "cpstrust", *arguments], env=env,
                            stdout=subprocess.DEVNULL,
                            stderr=log.open("wb"))  # read when a test fails


class _Server:
    """`cpstrust serve` in a process of its own."""

    def __init__(self, url: str, home: Path, *extra: str) -> None:
        self.base = f"http://127.0.0.1:{_free_port()}"
        port = self.base.rsplit(":", 1)[1]
        self.process = _cpstrust(url, home, home.parent / f"serve-{port}.log", "serve",
                                 "--port", port, "--job-lease", LEASE, *extra)
        self.http = httpx.Client(base_url=self.base, timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.http.get("/openapi.json")
                return
            except httpx.TransportError:
                assert self.process.poll() is None, "cpstrust serve ended"
                time.sleep(0.1)
        raise AssertionError("cpstrust serve did not answer in 60 s")

    def followed(self, location: str, headers: dict[str, str],
                 seconds: float = 90) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            body: dict[str, Any] = self.http.get(location, headers=headers).json()
            if body["state"] in ("done", "failed"):
                return body
            time.sleep(0.1)
        raise AssertionError(f"{location} not finished in {seconds} s: {body}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.http.close()


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    started: list[_Server] = []
    yield started
    for server in started:
        server.stop()


def test_a_killed_server_loses_neither_its_running_job_nor_the_queued_one(
        database_url: str, tenants: Tenants, tmp_path: Path, servers: list[_Server]) -> None:
    osv = _Osv()
    worker_options = ("--osv-url", osv.url, "--allow-insecure-http")
    first = _Server(database_url, tmp_path / "home", *worker_options)
    servers.append(first)
    admin, operator = tenants.auth("A", Role.ADMIN), tenants.operator_auth()
    update = first.http.post("/api/v1/jobs/advisory-update", json={"ecosystems": ["Go"]},
                             headers=operator)
    assert update.status_code == 202, update.text
    assert osv.asked.wait(60), "the advisory update never started"
    queued = first.http.post("/api/v1/jobs/reevaluation", headers=admin)
    assert queued.status_code == 202  # behind the update: this worker runs one at a time
    first.kill()
    osv.released.set()
    second = _Server(database_url, tmp_path / "home", "--no-worker")
    servers.append(second)
    worker = _cpstrust(database_url, tmp_path / "home", tmp_path / "worker.log", "worker",
                       "--job-lease", LEASE, *worker_options)
    try:
        updated = second.followed(update.headers["location"], operator)
        rerun = second.followed(queued.headers["location"], admin)
    finally:
        worker.send_signal(signal.SIGINT)  # as Ctrl-C: the worker ends after its job
        assert worker.wait(30) == 0
        osv.server.shutdown()
    assert (updated["state"], updated["runs"]) == ("done", 2), updated
    assert updated["result"]["exports_updated"] == 1
    assert (rerun["state"], rerun["runs"], rerun["result"]["releases"]) == ("done", 1, 2)


def test_two_servers_on_one_database_share_writes_and_run_each_job_once(
        database_url: str, tenants: Tenants, tmp_path: Path, servers: list[_Server]) -> None:
    one = _Server(database_url, tmp_path / "home")
    servers.append(one)
    other = _Server(database_url, tmp_path / "home")
    servers.append(other)
    stored = one.http.post("/api/v1/sboms?product=a-new&version=1.0",
                           content=GATEWAY_SBOM.read_bytes(),
                           headers={**tenants.auth("A", Role.UPLOADER),
                                    "content-type": "application/json"})
    assert stored.status_code == 201, stored.text
    seen = other.http.get("/api/v1/products/a-new", headers=tenants.auth("A"))
    assert seen.status_code == 200 and seen.json()["name"] == "a-new"
    findings = other.http.get("/api/v1/findings?product=a-new", headers=tenants.auth("A"))
    assert len(findings.json()["items"]) == stored.json()["new_findings"] > 0
    locations = [server.http.post("/api/v1/jobs/reevaluation",
                                  headers=tenants.auth("A")).headers["location"]
                 for _ in range(6) for server in (one, other)]
    finished = [other.followed(location, tenants.auth("A")) for location in locations]
    assert [(j["state"], j["runs"]) for j in finished] == [("done", 1)] * len(locations)
    if not database_url.startswith("postgresql"):
        return  # SQLite: the job table is the queue, and runs counts every claim
    engine = create_engine(database_url)
    with engine.connect() as connection:
        succeeded = connection.execute(text(
            "SELECT count(*), sum(attempts) FROM procrastinate_jobs "
            "WHERE status = 'succeeded'")).one()
    engine.dispose()
    assert tuple(succeeded) == (len(locations), len(locations))  # each fetched once


def _children(pid: int) -> list[int]:
    """The server processes of a `cpstrust serve --workers N` (not multiprocessing's
    resource tracker)."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(c) for c in found
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _process_serving(connection: http.client.HTTPConnection, processes: list[int]) -> int:
    """Which of ``processes`` accepted ``connection``: the one holding the server's end
    of it (the socket whose remote port is the connection's local one), read in /proc."""
    assert connection.sock is not None
    client_port, server_port = connection.sock.getsockname()[1], connection.port
    inodes = {fields[9] for fields in (line.split() for line in
                                       Path("/proc/net/tcp").read_text().splitlines()[1:])
              if int(fields[1].rsplit(":", 1)[1], 16) == server_port
              and int(fields[2].rsplit(":", 1)[1], 16) == client_port}
    for pid in processes:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if str(fd.readlink()).removeprefix("socket:[").removesuffix("]") in inodes:
                    return pid
            except OSError:
                continue  # closed meanwhile
    raise AssertionError(f"no server process holds the connection from port {client_port}")


def _one_connection_each(base: str, processes: list[int],
                         headers: dict[str, str]) -> dict[int, http.client.HTTPConnection]:
    """A kept-alive connection to each server process: connections are opened (and a
    request answered on each, so that it was accepted) until each process has one."""
    host, port = base.removeprefix("http://").split(":")
    held: dict[int, http.client.HTTPConnection] = {}
    for _ in range(200):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", "/api/v1/products", headers=headers)
        answer = connection.getresponse()
        assert (answer.status, answer.read()[:1]) == (200, b"{")
        pid = _process_serving(connection, processes)
        if pid in held:
            connection.close()
        else:
            held[pid] = connection
        if len(held) == len(processes):
            return held
    raise AssertionError(f"200 connections reached only processes {sorted(held)}")


def _send(connection: http.client.HTTPConnection, method: str, path: str,
          headers: dict[str, str], body: bytes | None = None) -> tuple[int, Any, str]:
    """Status, JSON body and Location of a request on that very connection."""
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    raw = answer.read()
    return answer.status, json.loads(raw) if raw else None, answer.getheader("location") or ""


def test_the_processes_of_serve_workers_share_writes_and_the_jobs_run_once_in_the_parent(
        database_url: str, tenants: Tenants, tmp_path: Path, servers: list[_Server]) -> None:
    served = _Server(database_url, tmp_path / "home", "--workers", "2")
    servers.append(served)
    deadline = time.monotonic() + 60
    while len(processes := _children(served.process.pid)) < 2:
        assert time.monotonic() < deadline, f"server processes: {processes}"
        time.sleep(0.1)
    reader = tenants.auth("A")
    first, second = _one_connection_each(served.base, processes, reader).values()
    status, stored, _ = _send(first, "POST", "/api/v1/sboms?product=a-new&version=1.0",
                              {**tenants.auth("A", Role.UPLOADER),
                               "content-type": "application/json"},
                              GATEWAY_SBOM.read_bytes())
    assert status == 201, stored
    status, product, _ = _send(second, "GET", "/api/v1/products/a-new", reader)
    assert (status, product["name"]) == (200, "a-new")
    _, findings, _ = _send(second, "GET", "/api/v1/findings?product=a-new", reader)
    assert len(findings["items"]) == stored["new_findings"] > 0
    locations = [_send(connection, "POST", "/api/v1/jobs/reevaluation", reader)[2]
                 for _ in range(6) for connection in (first, second)]
    finished = [served.followed(location, reader) for location in locations]
    assert [(j["state"], j["runs"]) for j in finished] == [("done", 1)] * len(locations)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        ran_in = set(connection.execute(text("SELECT DISTINCT worker FROM job")).scalars())
    engine.dispose()
    assert ran_in == {f"{socket.gethostname()}:{served.process.pid}"}


def test_the_server_processes_stop_when_their_parent_is_killed(
        sqlite_template: Path, tmp_path: Path, servers: list[_Server]) -> None:
    served = _Server(copied_sqlite_url(sqlite_template, tmp_path), tmp_path / "home",
                     "--workers", "2", "--no-worker")
    servers.append(served)
    deadline = time.monotonic() + 60
    while len(processes := _children(served.process.pid)) < 2:
        assert time.monotonic() < deadline, f"server processes: {processes}"
        time.sleep(0.1)
    served.kill()  # SIGKILL: the parent cannot stop them itself
    deadline = time.monotonic() + 15
    while alive := [pid for pid in processes if Path(f"/proc/{pid}").exists()
                    and b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]:
        assert time.monotonic() < deadline, f"still serving after their parent died: {alive}"
        time.sleep(0.1)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{served.base}/openapi.json", timeout=5)
