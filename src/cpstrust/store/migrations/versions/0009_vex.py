"""vex_document; finding.vex_status, justification, vex_document_id, vex_statement;
sbom_document.subject_name, subject_version, subject_ref, subject_purl

A VEX document imported for stored releases is kept byte for byte as evidence; a
finding whose status a VEX statement set says which statement of which document, the
status as the statement gave it (under_investigation is an open finding) and its
justification. A stored SBOM keeps what it says it describes, which VEX statements name
(unknown for SBOMs stored before: their product's name and release's version stand in).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vex_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("source_name", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sha256"),
    )
    # Plain ALTER TABLE: a batch copy of sbom_document would drop a table that component
    # rows refer to.
    for column in ("subject_name", "subject_version", "subject_ref", "subject_purl"):
        op.add_column("sbom_document", sa.Column(column, sa.Text(), nullable=True))
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vex_status", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("justification", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("vex_document_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("vex_statement", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_finding_vex_document", "vex_document",
                                    ["vex_document_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_constraint("fk_finding_vex_document", type_="foreignkey")
        batch_op.drop_column("vex_statement")
        batch_op.drop_column("vex_document_id")
        batch_op.drop_column("justification")
        batch_op.drop_column("vex_status")
    op.drop_table("vex_document")
    for column in ("subject_purl", "subject_ref", "subject_version", "subject_name"):
        op.drop_column("sbom_document", column)
