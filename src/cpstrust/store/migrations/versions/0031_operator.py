"""app_user.operator, api_key.operator

The server's operator (ADR 0029): importing into the advisory database every tenant
shares is no longer any organisation's administrator's, but an operator's, a user made
with ``users create --operator``, and of the keys made for it with
``apikeys create --operator``. Existing users and keys are no operators: after this
revision a tenant's administrator imports nothing until the operator is named.

Revision ID: 0031
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0028"
branch_labels = None
depends_on = None

TABLES = ("app_user", "api_key")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("operator", sa.Boolean(), server_default=sa.false(),
                                          nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("operator")
