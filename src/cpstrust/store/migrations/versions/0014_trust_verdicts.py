"""trust_verdict, trust_evaluation; evidence.document_sha256

The verdicts of the last trust evaluation, one per subject, with when each must be
computed again (``valid_until``: evidence or an attestation grows too old, a finding
outstays its window), and what that evaluation read (policy, trust store version, graph
fingerprint, evidence and attestation marks, open findings), so that the next one
computes only the subjects whose inputs changed. A signed release records the SHA-256
of the SBOM it signed, so that evaluating it needs no parsing of its envelope.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_verdict",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kind", "subject_id"),
    )
    op.create_index("ix_trust_verdict_valid_until", "trust_verdict", ["valid_until"])
    op.create_table(
        "trust_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_sha256", sa.String(length=64), nullable=False),
        sa.Column("trust_store_version", sa.Integer(), nullable=False),
        sa.Column("graph", sa.String(length=64), nullable=False),
        sa.Column("evidence_mark", sa.Integer(), nullable=False),
        sa.Column("attestation_mark", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_column("document_sha256")
    op.drop_table("trust_evaluation")
    op.drop_index("ix_trust_verdict_valid_until", table_name="trust_verdict")
    op.drop_table("trust_verdict")
