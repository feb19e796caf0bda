"""finding.version_compared: false for a vulnerability that could not be decided

A component version (or an advisory's range boundary) that cannot be ordered leaves the
vulnerability neither found nor ruled out; such findings are kept, marked, instead of
being dropped as not affected.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Findings stored so far were all found affected.
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version_compared", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    # Earlier code shows the undecided findings as open ones: still not dropped.
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_column("version_compared")
