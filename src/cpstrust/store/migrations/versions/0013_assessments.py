"""assessment, assessment_answer, assessment_attachment

Organisations' assessments against stored catalogues and profiles, their answers (status,
note, maturity) and the evidence files given with them, hashed (issue 13 §2).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_ANSWER_KEY = ("organisation", "catalog", "requirement")


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation", "source"),
    )
    op.create_table(
        "assessment_answer",
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("catalog", sa.String(length=255), nullable=False),
        sa.Column("requirement", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("maturity", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*_ANSWER_KEY),
    )
    op.create_table(
        "assessment_attachment",
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("catalog", sa.String(length=255), nullable=False),
        sa.Column("requirement", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*_ANSWER_KEY, "position"),
    )


def downgrade() -> None:
    op.drop_table("assessment_attachment")
    op.drop_table("assessment_answer")
    op.drop_table("assessment")
