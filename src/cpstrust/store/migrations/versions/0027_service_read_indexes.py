"""ix_finding_severity, ix_event_at

Indexes of the service's reads (issue 15, bench/bench_service.py): a tenant's findings
worst first are read by walking ``finding`` in (severity, id) order until a page of
visible ones is found, instead of sorting every visible finding (240,000 of a buyer's on
the 1M-component store); "what changed since yesterday" reads the events of the last day
by time, newest first, instead of every event ever written.

Revision ID: 0027
Revises: 0024
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_finding_severity", "finding", ["severity", "id"])
    op.create_index("ix_event_at", "event", ["at", "id"])


def downgrade() -> None:
    op.drop_index("ix_event_at", table_name="event")
    op.drop_index("ix_finding_severity", table_name="finding")
