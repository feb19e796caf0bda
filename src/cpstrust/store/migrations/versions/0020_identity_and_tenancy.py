"""app_user, api_key, access_grant, finding_audit

The service's identity and tenancy (issue 15): users and API keys of an organisation
with a role, the grants through which a supplier shows its products to another
organisation, and the audit trail of finding status changes.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_app_user_organisation_id", "app_user", ["organisation_id"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.Column("expires_at", _AT, nullable=True),
        sa.Column("revoked_at", _AT, nullable=True),
        sa.Column("last_used_at", _AT, nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organization.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key_id"),
    )
    op.create_index("ix_api_key_organisation_id", "api_key", ["organisation_id"])
    op.create_table(
        "access_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grantor_id", sa.Integer(), nullable=False),
        sa.Column("grantee_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _AT, nullable=False),
        sa.ForeignKeyConstraint(["grantor_id"], ["organization.id"]),
        sa.ForeignKeyConstraint(["grantee_id"], ["organization.id"]),
        sa.ForeignKeyConstraint(["product_id"], ["product.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("grantor_id", "grantee_id", "product_id"),
    )
    op.create_index("ix_access_grant_grantee_id", "access_grant", ["grantee_id"])
    op.create_table(
        "finding_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("at", _AT, nullable=False),
        sa.Column("old_status", sa.String(length=16), nullable=False),
        sa.Column("new_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["organisation_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_finding_audit_finding_id", "finding_audit", ["finding_id"])


def downgrade() -> None:
    op.drop_index("ix_finding_audit_finding_id", table_name="finding_audit")
    op.drop_table("finding_audit")
    op.drop_index("ix_access_grant_grantee_id", table_name="access_grant")
    op.drop_table("access_grant")
    op.drop_index("ix_api_key_organisation_id", table_name="api_key")
    op.drop_table("api_key")
    op.drop_index("ix_app_user_organisation_id", table_name="app_user")
    op.drop_table("app_user")
