"""licence policy versions; licence findings and their events

The stored licence policy is kept version by version (a cleared policy is a version
without a document); licence findings live in the finding table with their licence, and
events say which kind of finding they speak of. See docs/adr/0015-licence-findings.md.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "licence_policy_version",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("licence", sa.Text(), nullable=True))
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finding_kind", sa.String(length=16),
                                      server_default="vulnerability", nullable=False))
        batch_op.add_column(sa.Column("licence", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("licence")
        batch_op.drop_column("finding_kind")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_column("licence")
    op.drop_table("licence_policy_version")
