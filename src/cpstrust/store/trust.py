"""The trust store and evidence in the database."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cpstrust.errors import StoreError
from cpstrust.formats.truststore import read_trust_store, write_trust_store
from cpstrust.model.trust import EMPTY_TRUST_STORE, TrustStore
from cpstrust.store.tables import EvidenceRow, TrustStoreVersionRow


def current_trust_store(session: Session) -> TrustStore:
    """The newest version held, or the empty store (version 0) before the first."""
    row = session.scalars(
        select(TrustStoreVersionRow).order_by(TrustStoreVersionRow.version.desc()).limit(1)
    ).first()
    if row is None:
        return EMPTY_TRUST_STORE
    return read_trust_store(row.document, f"trust store version {row.version}")


class TrustStoreCache:
    """The current trust store, parsed again only when a newer version was saved: a
    long-running verifier checks one integer per request instead of re-reading
    thousands of keys."""

    def __init__(self) -> None:
        self._held: TrustStore = EMPTY_TRUST_STORE

    def current(self, session: Session) -> TrustStore:
        version = session.scalar(select(func.max(TrustStoreVersionRow.version))) or 0
        if version != self._held.version:
            self._held = current_trust_store(session)
        return self._held


def save_trust_store(
    session: Session, store: TrustStore, *, envelope: bytes | None = None,
    source: str | None = None,
) -> None:
    """Record a new version; the caller made it from the current one, so a concurrent
    change shows up as a duplicate version and the transaction fails."""
    if store.version <= current_trust_store(session).version:
        raise StoreError("store_trust_store_not_newer", version=store.version)
    document = write_trust_store(store)
    session.add(TrustStoreVersionRow(
        version=store.version,
        issued_at=store.issued_at,
        document=document,
        sha256=hashlib.sha256(document).hexdigest(),
        envelope=envelope,
        source=source,
        recorded_at=datetime.now(UTC),
    ))
    session.flush()


def attach_envelope(session: Session, version: int, envelope: bytes) -> None:
    """Keep the signed form of a version when it is exported."""
    row = session.get(TrustStoreVersionRow, version)
    if row is None:
        raise StoreError("store_no_trust_store_version", version=version)
    row.envelope = envelope


def record_evidence(
    session: Session,
    *,
    predicate_type: str,
    envelope: bytes,
    signer_keyids: list[str],
    release_id: int | None = None,
    device_id: int | None = None,
    source: str | None = None,
    document_sha256: str | None = None,
) -> int:
    row = EvidenceRow(
        predicate_type=predicate_type,
        release_id=release_id,
        device_id=device_id,
        signer_keyids=orjson.dumps(signer_keyids).decode(),
        sha256=hashlib.sha256(envelope).hexdigest(),
        envelope=envelope,
        source=source,
        received_at=datetime.now(UTC),
        document_sha256=document_sha256,
    )
    session.add(row)
    session.flush()
    return row.id
