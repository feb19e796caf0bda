"""row-level security: a tenant sees the organisations it has supplier relations with

Migration 0023 let a tenant read its own organisation and those on either side of its
grants; the API's supplier relations (issue 15, ADR 0023) name the other side of each of
its relations, which row-level security then hid on PostgreSQL. The organisations at the
other end of the tenant's own relations (``supplier_relation`` shows a tenant only its
own) are readable too; writing is unchanged.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_ALL = "(SELECT cpstrust_scope_all())"
_TENANT = "(SELECT cpstrust_tenant())"
_GRANTS = (f"id = {_TENANT} OR id IN (SELECT grantor_id FROM access_grant) "
           "OR id IN (SELECT grantee_id FROM access_grant)")
_RELATIONS = ("id IN (SELECT supplier_id FROM supplier_relation) "
              "OR id IN (SELECT customer_id FROM supplier_relation)")


def _read_policy(visible: str) -> None:
    op.execute("DROP POLICY tenant_read ON organization")
    op.execute(f"CREATE POLICY tenant_read ON organization FOR SELECT "
               f"USING ({_ALL} OR ({visible}))")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no row-level security: the application layer's filter alone
    _read_policy(f"{_GRANTS} OR {_RELATIONS}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _read_policy(_GRANTS)
