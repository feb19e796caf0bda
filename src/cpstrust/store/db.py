"""Engine and session factory; schema kept current by the Alembic migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from cpstrust.errors import StoreError
from cpstrust.store.revision import HEAD_REVISION

MIGRATIONS = Path(__file__).with_name("migrations")
TENANT_SETTING = "cpstrust.organisation"  # read by the row-level security policies
SCOPE_ALL_OPTION = f"-c {TENANT_SETTING}=all"
_NAME_TENANT = f"SELECT set_config('{TENANT_SETTING}', %s, true)"  # for this transaction
# PostgreSQL connections kept open between transactions: as many as the server's thread
# pool runs requests at once (anyio's default limit, 40), so that none is closed as it
# comes back. With SQLAlchemy's default (5 kept, 10 more opened on demand and closed on
# return) a loaded server opened a new connection for most requests (67 in a 10 s phase
# of bench_service at 50 clients), each a new PostgreSQL backend that forks, reads its
# catalogues and prepares its statements again: 14.1 ms of PostgreSQL CPU a request
# against 9.7 ms with the connections kept. Unused, they are never opened.
POOL_KEPT = 40
POOL_OVERFLOW = 10  # beyond the requests: the job worker's transactions
POOL_CONNECTIONS = POOL_KEPT + POOL_OVERFLOW  # the most a process opens, by default


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # 64 KB pages for a new database (an existing one keeps its size): an SBOM brings a
    # 1.2 MB document and ~0.7 MB of rows per 1,000 components, and the writer's CPU
    # for spilling and checkpointing them fell by a fifth against 4 KB pages (ADR 0003).
    # Must precede the switch to WAL, which fixes the page size.
    cursor.execute("PRAGMA page_size=65536")
    # WAL lets readers work during an ingest; NORMAL sync is durable at checkpoints
    # and crash-consistent, which is the SQLite guidance for WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # The default 2 MB page cache thrashes once component indexes outgrow it: ingest of
    # 200k components fell from 20k/s to 13k/s (bench/bench_ingest.py). 64 MB keeps the
    # hot index pages; mmap lets reads share the OS page cache instead of copying whole
    # pages: with 64 KB pages, `impact` over 1M components took 99 ms with 256 MB mapped
    # and 50 ms with 2 GB (SQLite's default build caps the size just under 2 GiB).
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=2147483648")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(url: str, connections: int | None = None) -> Engine:
    """Create an engine for ``url``, creating the SQLite file's directory if needed. On
    PostgreSQL the process opens at most ``connections`` (default ``POOL_CONNECTIONS``),
    four fifths of them kept between transactions as ``POOL_KEPT`` is of the default."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Every connection starts in the scope of no tenant, row-level security's ``all``
    # (migration 0023): the command line, migrations and jobs read every row; a tenant's
    # transaction narrows it (``Store.transaction(tenant=...)``). Given at connection
    # start, it costs no statement.
    given = parsed.query.get("options")  # the URL's own libpq options, kept
    options = " ".join([*([given] if isinstance(given, str) else given or ()), SCOPE_ALL_OPTION])
    kept, overflow = pool_sizes(connections or POOL_CONNECTIONS)
    return create_engine(url, pool_pre_ping=True, pool_size=kept, max_overflow=overflow,
                         connect_args={"options": options})


def pool_sizes(connections: int) -> tuple[int, int]:
    """The connections kept between transactions, and those opened beyond them on
    demand, of a process that may open ``connections``."""
    kept = max(1, connections * POOL_KEPT // POOL_CONNECTIONS)
    return kept, connections - kept


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (no-op when current)."""
    if _current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command  # only when there is something to migrate

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        except Exception as exc:
            raise StoreError("store_migration_failed", reason=str(exc),
                             source=str(engine.url)) from exc


def alembic_config() -> Any:
    """Alembic's configuration of our migrations (``alembic.config.Config``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current_revision(engine: Engine) -> str | None:
    """The revision Alembic recorded, or None for a database it has not touched yet."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no such table: a new database
        return None


class Store:
    """The database: an engine plus a session factory. Built once at the edge."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, connections: int | None = None) -> Store:
        store = cls(make_engine(url, connections))
        migrate(store.engine)
        return store

    @contextmanager
    def transaction(self, tenant: int | None = None) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error. With
        ``tenant`` (an organisation's id), PostgreSQL's row-level security lets it see
        only that organisation's rows and what was granted to it, and write only its own
        (migration 0023): the second line behind the application layer's filters."""
        with self._sessions() as session, session.begin():
            if tenant is not None and self.engine.dialect.name == "postgresql":
                # As the driver's SQL, not a Core select through the session: the same
                # statement for ~0.25 ms less of the server's CPU, once a request.
                session.connection().exec_driver_sql(_NAME_TENANT, (str(tenant),))
            yield session

    def close(self) -> None:
        self.engine.dispose()
