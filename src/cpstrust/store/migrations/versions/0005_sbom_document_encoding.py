"""sbom_document.content_encoding: kept SBOM documents are stored compressed

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import zstandard
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Documents already stored stay as they are: 'identity' says so.
    op.add_column(
        "sbom_document",
        sa.Column(
            "content_encoding", sa.String(length=16), server_default="identity", nullable=False
        ),
    )


def downgrade() -> None:
    # Earlier code reads content as the document itself: give it back uncompressed.
    documents = sa.table(
        "sbom_document",
        sa.column("id", sa.Integer()),
        sa.column("content", sa.LargeBinary()),
        sa.column("content_encoding", sa.String()),
    )
    connection = op.get_bind()
    compressed = connection.execute(
        sa.select(documents.c.id).where(documents.c.content_encoding == "zstd")
    ).scalars()
    for document_id in list(compressed):
        content = connection.execute(
            sa.select(documents.c.content).where(documents.c.id == document_id)
        ).scalar_one()
        connection.execute(
            documents.update()
            .where(documents.c.id == document_id)
            .values(content=zstandard.ZstdDecompressor().decompress(content))
        )
    op.drop_column("sbom_document", "content_encoding")
