"""ot_incident, ot_incident_finding

OT incidents: alert findings correlated across devices of one supplier and across
sites, with the severity the graph raises and its reasons; each alert finding belongs
to one incident.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ot_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("technique", sa.String(length=16), nullable=True),
        sa.Column("basis", sa.String(length=16), nullable=False),
        sa.Column("base_severity", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.Float(), nullable=False),
        sa.Column("last_seen", sa.Float(), nullable=False),
        sa.Column("devices", sa.Integer(), nullable=False),
        sa.Column("sites", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ot_incident_kind", "ot_incident", ["kind"])
    op.create_table(
        "ot_incident_finding",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["ot_finding.id"]),
        sa.ForeignKeyConstraint(["incident_id"], ["ot_incident.id"]),
        sa.PrimaryKeyConstraint("finding_id"),
    )
    op.create_index("ix_ot_incident_finding_incident_id", "ot_incident_finding",
                    ["incident_id"])


def downgrade() -> None:
    op.drop_index("ix_ot_incident_finding_incident_id", table_name="ot_incident_finding")
    op.drop_table("ot_incident_finding")
    op.drop_index("ix_ot_incident_kind", table_name="ot_incident")
    op.drop_table("ot_incident")
