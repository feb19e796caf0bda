"""advisory generation: a token that changes with every change to the advisories

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advisory_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Every database starts with its own token, so that two never share kept advisories.
    table = sa.table("advisory_generation", sa.column("id", sa.Integer()),
                     sa.column("token", sa.String()), sa.column("changed_at", sa.DateTime()))
    op.bulk_insert(table, [{"id": 1, "token": str(uuid.uuid4()), "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("advisory_generation")
