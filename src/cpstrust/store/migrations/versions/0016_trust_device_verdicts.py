"""trust_device_verdict; trust_evaluation.counts

Device verdicts move out of ``trust_verdict`` into a compact table of their own: the
verdict and when it must be computed again, one narrow row per device, no name or
reasons (built again from the same inputs when shown). A million devices were a
million rows of names and reason JSON, most of the time of a full evaluation. The
stored verdicts and the last evaluation's state are cleared: the next evaluation is a
full one. The evaluation keeps how many subjects have each verdict (counting a
million rows again cost half a second of every incremental run).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_device_verdict",
        sa.Column("device_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.execute("DELETE FROM trust_verdict")
    op.execute("DELETE FROM trust_evaluation")
    with op.batch_alter_table("trust_evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counts", sa.Text(), nullable=False))


def downgrade() -> None:
    op.execute("DELETE FROM trust_evaluation")
    with op.batch_alter_table("trust_evaluation", schema=None) as batch_op:
        batch_op.drop_column("counts")
    op.drop_table("trust_device_verdict")
