"""organisational evidence on the evidence table

Signed organisational evidence (assessment results, ★ declarations and attestations,
JC-STAR labels, SBOM and VEX deliveries) is kept in the table that already keeps signed
releases byte for byte, with what it says about whom and for how long.

Revision ID: 0012
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("organisation", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("subject", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_evidence_organisation"), ["organisation"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_organisation"))
        batch_op.drop_column("expires_at")
        batch_op.drop_column("issued_at")
        batch_op.drop_column("subject")
        batch_op.drop_column("organisation")
        batch_op.drop_column("kind")
