"""verified_signature

Signatures found valid, by a digest of the algorithm, the public key, the signed bytes
and the signature, per trust store version (ADR 0026): a full trust evaluation checked
the Ed25519 signature of every organisation's ★ evidence again each time, a second of
its time over 10,000 organisations, although the check's outcome cannot change. The
key's revocation, expiry, role and scope are still checked at every evaluation.

Revision ID: 0030
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verified_signature",
        sa.Column("trust_store_version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("trust_store_version", "digest"),
    )


def downgrade() -> None:
    op.drop_table("verified_signature")
