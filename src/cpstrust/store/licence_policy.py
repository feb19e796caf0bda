"""The stored licence policy, version by version: the newest rules, the older ones are
kept as evidence of what decided the licence findings of their time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cpstrust.store.tables import LicencePolicyVersionRow


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    """One version as recorded; ``document`` None: the policy was cleared."""

    version: int
    document: bytes | None
    sha256: str | None
    source: str | None
    recorded_at: datetime


def current_policy_version(session: Session) -> PolicyVersion | None:
    """The newest version, or None before any was recorded."""
    row = session.scalars(select(LicencePolicyVersionRow)
                          .order_by(LicencePolicyVersionRow.version.desc()).limit(1)).first()
    if row is None:
        return None
    return PolicyVersion(row.version, row.document, row.sha256, row.source, row.recorded_at)


def save_policy_version(session: Session, document: bytes | None, sha256: str | None,
                        source: str | None, at: datetime) -> int:
    """Record a new version (None: cleared); its number. Two transactions recording at
    once both pick the same number and the later one fails on the primary key."""
    version = (session.scalar(select(func.max(LicencePolicyVersionRow.version))) or 0) + 1
    session.add(LicencePolicyVersionRow(version=version, document=document, sha256=sha256,
                                        source=source, recorded_at=at))
    session.flush()
    return version


def policy_versions(session: Session) -> int:
    """How many versions were recorded."""
    return session.scalar(select(func.count()).select_from(LicencePolicyVersionRow)) or 0
