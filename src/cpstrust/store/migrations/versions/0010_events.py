"""event, event_sink

A change that introduces, resolves or reopens findings writes one event per transition
in the same transaction (the outbox); each sink (a JSONL file, a webhook) keeps how far
it was delivered. See docs/adr/0012-events.md.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=255), nullable=False),
        sa.Column("version", sa.String(length=255), nullable=False),
        sa.Column("vulnerability_id", sa.String(length=128), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("purl", sa.Text(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=16), nullable=True),
        sa.Column("new_status", sa.String(length=16), nullable=True),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("cause_reference", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_event_product", "event", ["product", "id"])
    op.create_table(
        "event_sink",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("delivered_id", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("event_sink")
    op.drop_index("ix_event_product", table_name="event")
    op.drop_table("event")
