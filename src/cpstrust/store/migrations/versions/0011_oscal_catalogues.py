"""oscal_document, oscal_control, oscal_profile_item, oscal_map_entry

OSCAL catalogues, profiles and mapping collections kept byte for byte, with their
controls, the controls each profile selects and each mapping's entries (issue 13).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oscal_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("version", sa.Text(), nullable=False),
        sa.Column("oscal_version", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("provisional", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "oscal_control",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("label", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_ja", sa.Text(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("statement_ja", sa.Text(), nullable=True),
        sa.Column("group_id", sa.String(length=255), nullable=True),
        sa.Column("parent_id", sa.String(length=255), nullable=True),
        sa.Column("provisional", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["oscal_document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "control_id"),
    )
    op.create_index("ix_oscal_control_key", "oscal_control", ["key"])
    op.create_table(
        "oscal_profile_item",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.Integer(), nullable=False),
        sa.Column("control_id", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["profile_id"], ["oscal_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["catalog_id"], ["oscal_document.id"]),
        sa.PrimaryKeyConstraint("profile_id", "catalog_id", "control_id"),
    )
    op.create_table(
        "oscal_map_entry",
        sa.Column("mapping_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("catalog_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=False),
        sa.Column("framework", sa.String(length=64), nullable=True),
        sa.Column("target_id", sa.String(length=255), nullable=False),
        sa.Column("relationship", sa.String(length=32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=True),
        sa.Column("provisional", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["mapping_id"], ["oscal_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["catalog_id"], ["oscal_document.id"]),
        sa.PrimaryKeyConstraint("mapping_id", "position"),
    )
    op.create_index("ix_oscal_map_entry_catalog_id", "oscal_map_entry", ["catalog_id"])


def downgrade() -> None:
    op.drop_index("ix_oscal_map_entry_catalog_id", table_name="oscal_map_entry")
    op.drop_table("oscal_map_entry")
    op.drop_table("oscal_profile_item")
    op.drop_index("ix_oscal_control_key", table_name="oscal_control")
    op.drop_table("oscal_control")
    op.drop_table("oscal_document")
