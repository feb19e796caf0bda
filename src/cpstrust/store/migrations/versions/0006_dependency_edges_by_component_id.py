"""component_dependency: edges between components by id, refs kept only for other ends

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BY_REF = "ix_cpstrust_0006_component_sbom_ref"  # only while edges are rewritten


def upgrade() -> None:
    with op.batch_alter_table("component_dependency", schema=None) as batch_op:
        batch_op.add_column(sa.Column("component_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("depends_on_id", sa.Integer(), nullable=True))
        batch_op.alter_column("ref", existing_type=sa.Text(), nullable=True)
        batch_op.alter_column("depends_on", existing_type=sa.Text(), nullable=True)
    # A ref names the first component of the SBOM that declares it, as new ingests do.
    op.create_index(_BY_REF, "component", ["sbom_id", "ref", "id"])
    for id_column, ref_column in (("component_id", "ref"), ("depends_on_id", "depends_on")):
        op.execute(
            f"UPDATE component_dependency SET {id_column} = (SELECT min(c.id) FROM component c "
            f"WHERE c.sbom_id = component_dependency.sbom_id "
            f"AND c.ref = component_dependency.{ref_column})"
        )
        op.execute(
            f"UPDATE component_dependency SET {ref_column} = NULL WHERE {id_column} IS NOT NULL"
        )
    op.drop_index(_BY_REF, table_name="component")


def downgrade() -> None:
    for id_column, ref_column in (("component_id", "ref"), ("depends_on_id", "depends_on")):
        op.execute(
            f"UPDATE component_dependency SET {ref_column} = (SELECT c.ref FROM component c "
            f"WHERE c.id = component_dependency.{id_column}) WHERE {id_column} IS NOT NULL"
        )
    with op.batch_alter_table("component_dependency", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("depends_on", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("depends_on_id")
        batch_op.drop_column("component_id")
