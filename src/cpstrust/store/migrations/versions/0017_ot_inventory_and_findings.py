"""ot_asset, ot_finding; device.ip, device.mac

The OT asset inventory merged over captures, OT findings (alerts, unknown and missing
devices) on the one finding lifecycle, the addresses that match declared devices with
what the monitor sees. Events of OT findings use event.finding_kind (0015).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("ip", sa.String(length=45), nullable=True))
        batch.add_column(sa.Column("mac", sa.String(length=17), nullable=True))
        batch.create_index("ix_device_ip", ["ip"])
    op.create_table(
        "ot_asset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site", "ip"),
    )
    op.create_table(
        "ot_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("src", sa.String(length=45), nullable=True),
        sa.Column("dst", sa.String(length=45), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("technique", sa.String(length=16), nullable=True),
        sa.Column("explanation", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_ot_finding_site", "ot_finding", ["site"])
    op.create_index("ix_ot_finding_device_id", "ot_finding", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_ot_finding_device_id", table_name="ot_finding")
    op.drop_index("ix_ot_finding_site", table_name="ot_finding")
    op.drop_table("ot_finding")
    op.drop_table("ot_asset")
    with op.batch_alter_table("device") as batch:
        batch.drop_index("ix_device_ip")
        batch.drop_column("mac")
        batch.drop_column("ip")
