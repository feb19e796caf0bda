"""job; on PostgreSQL, procrastinate's queue

Background jobs of the service (issue 15, ADR 0018): the ``job`` table holds each job's
kind, organisation, state, progress and outcome on every database. On PostgreSQL the
queue itself is procrastinate's: its schema (the version installed, 3.10) is applied here,
in the same transaction as the table, so that the first opening of a store brings both.
On SQLite the ``job`` rows are the queue.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)

# procrastinate 3.10 has no script to remove its schema: its objects, by name.
_DROP_PROCRASTINATE = """
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT oid::regprocedure FROM pg_proc WHERE proname LIKE 'procrastinate_%' LOOP
    EXECUTE 'DROP FUNCTION ' || f || ' CASCADE';
  END LOOP;
END $$;
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers,
  procrastinate_jobs, procrastinate_workers CASCADE;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type,
  procrastinate_job_status CASCADE;
"""


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("lease_until", _AT, nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("started_at", _AT, nullable=True),
        sa.Column("finished_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_job_organisation", "job", ["organisation_id", "id"])
    op.create_index("ix_job_state", "job", ["state", "id"])
    if op.get_bind().dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run_script(_DROP_PROCRASTINATE)
    op.drop_index("ix_job_state", table_name="job")
    op.drop_index("ix_job_organisation", table_name="job")
    op.drop_table("job")


def _run_script(script: str) -> None:
    """Several statements with ``%`` in them: through the driver's cursor without
    parameters, which psycopg sends as they are (SQLAlchemy would pass an empty set)."""
    cursor = op.get_bind().connection.cursor()
    try:
        cursor.execute(script)
    finally:
        cursor.close()
