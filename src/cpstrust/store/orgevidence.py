"""Organisational evidence in the ``evidence`` table: envelopes kept byte for byte, with
what they said when accepted (kind, organisation, subject, dates)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from cpstrust.formats.orgevidence import PREDICATE_TYPES
from cpstrust.model.orgevidence import OrganisationEvidence, subject_of
from cpstrust.store.tables import EvidenceRow
from cpstrust.timeutil import as_utc


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    id: int
    kind: str
    organisation: str
    subject: str
    signer_keyids: tuple[str, ...]
    issued_at: datetime
    expires_at: datetime
    envelope: bytes
    source: str | None
    received_at: datetime


def save_evidence(session: Session, evidence: OrganisationEvidence, envelope: bytes, *,
                  signer_keyids: Iterable[str], source: str | None,
                  received_at: datetime) -> int:
    """Keep ``envelope`` (evidence accepted, or signed here) with what it says."""
    row = EvidenceRow(
        predicate_type=PREDICATE_TYPES[evidence.kind],
        signer_keyids=orjson.dumps(list(signer_keyids)).decode(),
        sha256=hashlib.sha256(envelope).hexdigest(),
        envelope=envelope,
        source=source,
        received_at=received_at,
        kind=evidence.kind.value,
        organisation=evidence.organisation,
        subject=subject_of(evidence),
        issued_at=evidence.validity.issued_at,
        expires_at=evidence.validity.expires_at,
    )
    session.add(row)
    session.flush()
    return row.id


def held_by_digest(session: Session, sha256s: Iterable[str]) -> dict[str, int]:
    """Envelope SHA-256 -> id of the organisational evidence already held."""
    wanted = sorted(set(sha256s))
    rows = session.execute(
        select(EvidenceRow.sha256, EvidenceRow.id)
        .where(EvidenceRow.sha256.in_(wanted), EvidenceRow.kind.is_not(None))
    )
    return {sha256: id_ for sha256, id_ in rows}


def organisation_evidence(session: Session, organisation: str | None = None,
                          ) -> list[StoredEvidence]:
    """Every organisational evidence held (of ``organisation`` only, when named), oldest
    first."""
    query = select(EvidenceRow).where(EvidenceRow.kind.is_not(None)).order_by(EvidenceRow.id)
    if organisation is not None:
        query = query.where(EvidenceRow.organisation == organisation)
    return [_stored(row) for row in session.scalars(query)]


def evidence_by_id(session: Session, evidence_id: int) -> StoredEvidence | None:
    row = session.get(EvidenceRow, evidence_id)
    return None if row is None or row.kind is None else _stored(row)


def _stored(row: EvidenceRow) -> StoredEvidence:
    assert row.kind is not None and row.organisation is not None  # organisational rows
    assert row.issued_at is not None and row.expires_at is not None
    return StoredEvidence(
        id=row.id, kind=row.kind, organisation=row.organisation, subject=row.subject or "",
        signer_keyids=tuple(orjson.loads(row.signer_keyids)),
        issued_at=as_utc(row.issued_at), expires_at=as_utc(row.expires_at),
        envelope=row.envelope, source=row.source, received_at=as_utc(row.received_at),
    )
