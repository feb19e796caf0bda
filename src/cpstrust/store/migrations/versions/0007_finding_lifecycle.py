"""finding and device_finding: who decided the status; finding.version_compared

``decided_by`` says whether a finding's status was set by an engine or by a person: the
one lifecycle (model.lifecycle) reopens what an engine resolved when it is seen again,
and never overrides a person. ``version_compared`` is false for a vulnerability that
could not be decided (a version or range boundary that cannot be ordered): such findings
are kept, marked, instead of being dropped as not affected.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# What the engine wrote in the note of a vulnerability finding it cleared, up to 0006.
_CLEARED_NOTE = "advisory data no longer matches (withdrawn or corrected)"


def upgrade() -> None:
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.add_column(  # findings stored so far were all found affected
            sa.Column("version_compared", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("decided_by", sa.String(16), server_default="engine", nullable=False)
        )
    # Up to now people set vulnerability findings' statuses, except open (new findings)
    # and the engine's own clearing, which its note tells apart.
    findings = sa.table("finding", sa.column("status", sa.String()), sa.column("note", sa.Text()),
                        sa.column("decided_by", sa.String()))
    op.execute(
        findings.update()
        .where(findings.c.status != "open")
        .where(sa.or_(findings.c.note.is_(None), findings.c.note != _CLEARED_NOTE))
        .values(decided_by="person")
    )
    # Device findings have only ever been set by the verifier.
    with op.batch_alter_table("device_finding", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decided_by", sa.String(16), server_default="engine", nullable=False)
        )


def downgrade() -> None:
    # Earlier code shows the undecided findings as open ones: still not dropped.
    with op.batch_alter_table("device_finding", schema=None) as batch_op:
        batch_op.drop_column("decided_by")
    with op.batch_alter_table("finding", schema=None) as batch_op:
        batch_op.drop_column("decided_by")
        batch_op.drop_column("version_compared")
