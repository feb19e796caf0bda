"""release_finding_count, release_vulnerability_count, product_vulnerability_count

Counts of findings kept beside them (ADR 0024, ``store.finding_counts``): a tenant's
dashboard adds up a few rows per release or product it sees instead of reading every
finding it sees (a buyer's on bench_service's 1M-component store: 240,000 findings,
1.24 s). Filled here from the findings already stored; from then on the application
layer recounts the releases whose findings it changes, in the same transaction.
On PostgreSQL the counts have the row-level security of what they count (0023).

Revision ID: 0028
Revises: 0030
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0030"
branch_labels = None
depends_on = None

_TENANT = "(SELECT cpstrust_tenant())"
_ALL = "(SELECT cpstrust_scope_all())"
_BY_RELEASE = ("release_id IN (SELECT id FROM release)",
               "release_id IN (SELECT r.id FROM release r JOIN product p ON p.id = r.product_id "
               f"WHERE p.supplier_id = {_TENANT})")
# table -> (which rows a tenant sees, which it may write), as 0023's ``finding``
_POLICIES = {
    "release_finding_count": _BY_RELEASE,
    "release_vulnerability_count": _BY_RELEASE,
    "product_vulnerability_count": (
        "product_id IN (SELECT id FROM product)",
        f"product_id IN (SELECT id FROM product WHERE supplier_id = {_TENANT})"),
}

_FILL = (
    "INSERT INTO release_finding_count (release_id, kind, status, severity, findings) "
    "SELECT release_id, kind, status, severity, count(*) FROM finding "
    "GROUP BY release_id, kind, status, severity",
    "INSERT INTO release_vulnerability_count "
    "(release_id, vulnerability_id, kind, status, findings, severity) "
    "SELECT release_id, vulnerability_id, kind, status, count(*), max(severity) FROM finding "
    "GROUP BY release_id, vulnerability_id, kind, status",
    "INSERT INTO product_vulnerability_count "
    "(product_id, status, kind, vulnerability_id, releases, findings, severity) "
    "SELECT r.product_id, c.status, c.kind, c.vulnerability_id, count(*), sum(c.findings), "
    "max(c.severity) FROM release_vulnerability_count c JOIN release r ON r.id = c.release_id "
    "GROUP BY r.product_id, c.status, c.kind, c.vulnerability_id",
)


def _key(name: str, kind: sa.types.TypeEngine[Any], refers: str | None = None
         ) -> sa.Column[Any]:
    foreign = (sa.ForeignKey(refers),) if refers else ()
    return sa.Column(name, kind, *foreign, primary_key=True, autoincrement=False)


def _counts_table(name: str, keys: list[sa.Column[Any]], *counts: str) -> None:
    """A table of counts by ``keys``, clustered by them on SQLite (WITHOUT ROWID): a
    tenant's rows are read as one range."""
    op.create_table(name, *keys, *(sa.Column(c, sa.Integer(), nullable=False) for c in counts),
                    sqlite_with_rowid=False)


def upgrade() -> None:
    def kind() -> sa.Column[Any]:
        return _key("kind", sa.String(32))

    def status() -> sa.Column[Any]:
        return _key("status", sa.String(16))

    def vulnerability() -> sa.Column[Any]:
        return _key("vulnerability_id", sa.String(128))

    def release() -> sa.Column[Any]:
        return _key("release_id", sa.Integer(), "release.id")

    _counts_table("release_finding_count",
                  [release(), kind(), status(), _key("severity", sa.Integer())], "findings")
    _counts_table("release_vulnerability_count",
                  [release(), vulnerability(), kind(), status()], "findings", "severity")
    _counts_table("product_vulnerability_count",
                  [_key("product_id", sa.Integer(), "product.id"), status(), kind(),
                   vulnerability()], "releases", "findings", "severity")
    for statement in _FILL:
        op.execute(statement)
    if op.get_bind().dialect.name == "postgresql":
        _secure()


def _secure() -> None:
    for table, (visible, owned) in _POLICIES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_read ON {table} FOR SELECT "
                   f"USING ({_ALL} OR ({visible}))")
        op.execute(f"CREATE POLICY tenant_insert ON {table} FOR INSERT "
                   f"WITH CHECK ({_ALL} OR ({owned}))")
        op.execute(f"CREATE POLICY tenant_update ON {table} FOR UPDATE "
                   f"USING ({_ALL} OR ({owned})) WITH CHECK ({_ALL} OR ({owned}))")
        op.execute(f"CREATE POLICY tenant_delete ON {table} FOR DELETE "
                   f"USING ({_ALL} OR ({owned}))")
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    for table in reversed(list(_POLICIES)):
        op.drop_table(table)
