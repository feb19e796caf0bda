"""compiled_package, compiled_state: the advisories compiled for matching, kept

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty: without a compiled_state row scans compile as before, until the next import
    # compiles every package.
    op.create_table(
        "compiled_package",
        sa.Column("ecosystem", sa.String(length=32), nullable=False),
        sa.Column("package", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("ecosystem", "package"),
    )
    op.create_table(
        "compiled_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(length=36), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("compiled_state")
    op.drop_table("compiled_package")
