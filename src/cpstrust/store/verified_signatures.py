"""Signatures found valid, kept per trust store version (``trust.verify.VerifiedSignatures``):
what ``evidence import`` and trust evaluations verified is not checked again while the
trust store is the same version."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cpstrust.store.tables import VerifiedSignatureRow

_CHUNK = 900  # rows per INSERT: under SQLite's oldest limit of 999 parameters


def verified_signatures(session: Session, trust_store_version: int) -> set[str]:
    """The digests of the signatures found valid under this trust store version."""
    return set(session.scalars(select(VerifiedSignatureRow.digest).where(
        VerifiedSignatureRow.trust_store_version == trust_store_version)))


def keep_verified(session: Session, trust_store_version: int, digests: Collection[str]) -> None:
    """Add these digests (those held already, by another transaction too, stay)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    ordered = sorted(digests)
    for start in range(0, len(ordered), _CHUNK):
        session.execute(insert(VerifiedSignatureRow).values([
            {"trust_store_version": trust_store_version, "digest": d}
            for d in ordered[start:start + _CHUNK]]).on_conflict_do_nothing())


def forget_other_versions(session: Session, trust_store_version: int) -> None:
    """Drop what was found under other trust store versions: under this one, each
    signature is checked again once."""
    session.execute(delete(VerifiedSignatureRow).where(
        VerifiedSignatureRow.trust_store_version != trust_store_version))
