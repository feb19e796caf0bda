"""zone.criticality

The criticality an operator declares for a zone in the supply-chain file (1-5), the
impact scale of the risk register (``assess.risk``); None where none is declared.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
# 0018 is being written on another branch (OT incidents); the lead re-links on merge.
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.add_column(sa.Column("criticality", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("zone") as batch:
        batch.drop_column("criticality")
