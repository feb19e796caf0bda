"""Fixtures shared by the whole suite: shared data, a real PostgreSQL, stores on both."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from cpstrust.app.services import Services
from cpstrust.settings import Settings
from cpstrust.store.db import Store, alembic_config, make_engine, migrate
from databases import closed_sqlite_file, copied_sqlite_url, fresh_postgres_url


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled modules older than their sources (ADR 0033): a source
    edited since ``pip install -e .`` would be tested as it was, not as it reads."""
    stale = stale_extensions(Path(__file__).resolve().parents[1])
    if stale:
        pytest.exit("compiled modules older than their sources (rebuild with `.venv/bin/python "
                    "-m pip install --no-deps --no-build-isolation --no-index -e .`, or "
                    "`python setup.py build_ext --inplace`): " + ", ".join(stale), returncode=2)


def stale_extensions(root: Path) -> list[str]:
    """The sources setup.py compiles whose built extension beside them is missing or
    older than they are."""
    import importlib.machinery
    import re

    stale = []
    sources = re.findall(r'"((?:\w+/)+\w+\.pyx?)"', (root / "setup.py").read_text("utf-8"))
    for source in sources:
        path = root / "src" / "cpstrust" / source
        stem = path.name.rsplit(".", 1)[0]
        built = [path.with_name(stem + suffix) for suffix in importlib.machinery.EXTENSION_SUFFIXES]
        times = [b.stat().st_mtime for b in built if b.exists()]
        if not times or max(times) < path.stat().st_mtime:
            stale.append(source)
    return stale

# swtpm and SoftHSM2 fixtures, shared by the trust and the command-line tests; the shared
# advisory data, parsed once.
pytest_plugins = ["roots_of_trust", "advisory_data", "webhook_receiver"]

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the repository; its absence is a failure, not a skip."""
    if not (SHARED_DATA / "advisories").is_dir():
        pytest.fail(f"shared test data not found at {SHARED_DATA}: clone ../shared beside the repo")
    return SHARED_DATA


def _pg_bin(name: str) -> str:
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"PostgreSQL's {name} not found: run scripts/test.sh, which installs "
                    "Debian's postgresql package")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(args: list[str]) -> list[str]:
    # initdb and pg_ctl refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A real PostgreSQL started with initdb + pg_ctl in a temporary directory."""
    base = Path(tempfile.mkdtemp(prefix="cpstrust-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    port = _free_port()
    subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--no-sync"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-o", options,
                                 "-l", str(base / "log"), "-w", "start"]),
                   check=True, capture_output=True)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("CREATE DATABASE cpstrust_template"))
        engine.dispose()
        template = make_engine(url.rsplit("/", 1)[0] + "/cpstrust_template")
        migrate(template)
        template.dispose()
        yield url
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once: each test's is a copy of the file, where migrating
    a new one costs ~0.2 s of CPU and a second of commits."""
    path = tmp_path_factory.mktemp("sqlite-template") / "cpstrust.db"
    Store.open(f"sqlite:///{path}").close()
    return closed_sqlite_file(path)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs once on SQLite and once on a real PostgreSQL, on a new
    database at the newest migration."""
    if request.param == "sqlite":
        return copied_sqlite_url(request.getfixturevalue("sqlite_template"), tmp_path)
    return fresh_postgres_url(request.getfixturevalue("postgres_server"))


Migrate = Callable[[Store, str], None]


@pytest.fixture
def downgrade() -> Migrate:
    """Take a store's schema down to a revision, as an operator's ``alembic downgrade``."""
    return partial(_migrate, command.downgrade)


@pytest.fixture
def upgrade() -> Migrate:
    """Bring a store's schema up to a revision ("head" for the newest)."""
    return partial(_migrate, command.upgrade)


def _migrate(step: Callable[[Config, str], None], store: Store, revision: str) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config, revision)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh database on the real PostgreSQL, for what only PostgreSQL can show."""
    return fresh_postgres_url(postgres_server)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    yield opened
    opened.close()



@pytest.fixture
def services(store: Store, tmp_path: Path) -> Services:
    """The use cases' services over ``store``, with keys and caches in a fresh home."""
    settings = Settings(home=tmp_path / "home", database_url=str(store.engine.url))
    return Services(settings, store=store)


RLS_BOUND_ROLE = "cpstrust_app"


@pytest.fixture(scope="module")
def rls_bound_postgres_url(postgres_server: str) -> str:
    """A fresh database on the real PostgreSQL, for a module, reached as a role that
    row-level security binds (no superuser, no BYPASSRLS), as the README asks a
    deployment to connect; the superuser of the other fixtures passes every policy."""
    postgres_url = fresh_postgres_url(postgres_server)
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DO $$ BEGIN CREATE ROLE {RLS_BOUND_ROLE} LOGIN; "
                          "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {RLS_BOUND_ROLE}"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {RLS_BOUND_ROLE}"))
    engine.dispose()
    return postgres_url.replace("://postgres@", f"://{RLS_BOUND_ROLE}@", 1)
