"""The newest migration, so that a current database is recognised without Alembic, whose
import and script scan cost ~0.1 s of every command (a test keeps this in step); and
without SQLAlchemy, for the one-off reads of ``store.advisory_snapshot``."""

HEAD_REVISION = "0033"
