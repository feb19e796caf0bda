"""Device attestation in the database: challenges, appraisals, the findings kept per
device, and the release evidence a device is checked against; on SQLite and PostgreSQL
alike. Loads and saves only: the rules are the application layer's (app.devices)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import ScalarSelect, delete, func, select, update
from sqlalchemy.orm import Session

from cpstrust.errors import NotFoundError
from cpstrust.formats.attestation import (
    ATTESTATION_PREDICATE,
    read_message,
    write_message,
    write_quote,
)
from cpstrust.formats.slsa import PROVENANCE_V1
from cpstrust.messages import Message
from cpstrust.model.advisory import Severity
from cpstrust.model.attestation import (
    AttestationResult,
    AttestationVerdict,
    Challenge,
    DeviceFinding,
    DeviceStatus,
)
from cpstrust.model.authenticity import AuthenticityFinding
from cpstrust.model.finding import FindingStatus
from cpstrust.model.lifecycle import Decider, KeptFinding
from cpstrust.model.tpm import TpmQuote
from cpstrust.store.tables import (
    AttestationChallengeRow,
    DeviceAttestationRow,
    DeviceFindingRow,
    DeviceRow,
    EvidenceRow,
    ProductRow,
    ReleaseRow,
    SiteRow,
)
from cpstrust.store.trust import record_evidence
from cpstrust.timeutil import as_utc

NONCE_BYTES = 32
# Answered or expired challenges are kept this long (to tell "replayed" from
# "unknown" in logs), then removed when new ones are issued.
CHALLENGE_RETENTION = timedelta(hours=1)
_NONCE = re.compile(r"[0-9a-f]{32,128}")


def issue_challenge(session: Session, device_name: str, ttl: timedelta,
                    now: datetime | None = None) -> Challenge:
    """A fresh nonce (32 random bytes, hex) for ``device_name``, valid for ``ttl``."""
    now = now or datetime.now(UTC)
    device_id = session.scalars(select(DeviceRow.id).where(DeviceRow.name == device_name)).first()
    if device_id is None:
        raise NotFoundError("store_no_device", name=device_name)
    session.execute(delete(AttestationChallengeRow).where(
        AttestationChallengeRow.expires_at < now - CHALLENGE_RETENTION))
    challenge = Challenge(secrets.token_hex(NONCE_BYTES), device_name, now, now + ttl)
    session.add(AttestationChallengeRow(nonce=challenge.nonce, device_id=device_id,
                                        issued_at=now, expires_at=challenge.expires_at))
    session.flush()
    return challenge


def take_challenge(session: Session, nonce: str, now: datetime | None = None) -> Challenge | None:
    """Consume the challenge of ``nonce``: one UPDATE that only an unanswered challenge
    matches, so of two concurrent answers exactly one gets it. None when the nonce is
    unknown or already answered; an expired challenge is returned (and consumed) for
    the appraisal to call it stale."""
    if not _NONCE.fullmatch(nonce):
        return None
    row = session.execute(
        update(AttestationChallengeRow)
        .where(AttestationChallengeRow.nonce == nonce, AttestationChallengeRow.used_at.is_(None))
        .values(used_at=now or datetime.now(UTC))
        .returning(AttestationChallengeRow.device_id, AttestationChallengeRow.issued_at,
                   AttestationChallengeRow.expires_at)
    ).first()
    if row is None:
        return None
    device = session.get_one(DeviceRow, row.device_id)
    return Challenge(nonce, device.name, as_utc(row.issued_at), as_utc(row.expires_at))


def device_named(session: Session, name: str) -> DeviceRow:
    row = session.scalars(select(DeviceRow).where(DeviceRow.name == name)).first()
    if row is None:
        raise NotFoundError("store_no_device", name=name)
    return row


def release_of_device(session: Session, device_id: int) -> tuple[int, str, str]:
    """The release a device runs: its id, product name and version."""
    device = session.get_one(DeviceRow, device_id)
    release = session.get_one(ReleaseRow, device.release_id)
    product = session.get_one(ProductRow, release.product_id)
    return release.id, product.name, release.version


def newest_release_evidence(session: Session, release_id: int) -> tuple[int, bytes] | None:
    """The id and envelope of the newest signed release evidence kept for a release."""
    row = session.scalars(
        select(EvidenceRow)
        .where(EvidenceRow.release_id == release_id, EvidenceRow.predicate_type == PROVENANCE_V1)
        .order_by(EvidenceRow.received_at.desc(), EvidenceRow.id.desc()).limit(1)
    ).first()
    return None if row is None else (row.id, row.envelope)


def record_attestation(session: Session, device_id: int, result: AttestationResult, *,
                       envelope: bytes, quote: TpmQuote | None, at: datetime) -> int:
    """Store one appraisal in the caller's transaction: the report as evidence when a
    device key vouched for it, and the verdict. Returns the attestation id."""
    # Serialise appraisals of one device (PostgreSQL) so findings are not duplicated.
    session.execute(select(DeviceRow.id).where(DeviceRow.id == device_id).with_for_update())
    evidence_id = None
    if result.signer is not None:
        evidence_id = record_evidence(session, predicate_type=ATTESTATION_PREDICATE,
                                      envelope=envelope, signer_keyids=[result.signer],
                                      device_id=device_id, source="verifier")
    attestation = DeviceAttestationRow(
        device_id=device_id, verdict=result.verdict.value,
        reasons=orjson.dumps([write_message(r) for r in result.reasons]).decode(),
        signer_keyid=result.signer,
        evidence_id=evidence_id,
        quote=orjson.dumps(write_quote(quote)).decode() if quote is not None else None,
        appraised_at=at,
    )
    session.add(attestation)
    session.flush()
    return attestation.id


DeviceFindingKey = tuple[str, str]  # (kind, path)


def kept_device_findings(session: Session, device_id: int,
                         ) -> dict[DeviceFindingKey, tuple[int, KeptFinding]]:
    """A device's stored findings by (kind, path): id and lifecycle state."""
    return {
        (kind, path): (fid, KeptFinding(FindingStatus(status), Decider(decided_by)))
        for fid, kind, path, status, decided_by in session.execute(
            select(DeviceFindingRow.id, DeviceFindingRow.kind, DeviceFindingRow.path,
                   DeviceFindingRow.status, DeviceFindingRow.decided_by)
            .where(DeviceFindingRow.device_id == device_id))
    }


def insert_device_findings(session: Session, device_id: int, attestation_id: int,
                           findings: Sequence[AuthenticityFinding], at: datetime) -> None:
    session.add_all(
        DeviceFindingRow(device_id=device_id, attestation_id=attestation_id,
                         kind=f.kind.value, path=f.path, expected=f.expected, actual=f.actual,
                         severity=int(f.severity), reason=_reason_text(f.reason),
                         status=FindingStatus.OPEN.value, decided_by=Decider.ENGINE.value,
                         first_seen=at, last_seen=at)
        for f in findings
    )
    session.flush()


def refresh_device_findings(session: Session, attestation_id: int,
                            seen: Sequence[tuple[int, AuthenticityFinding]], at: datetime, *,
                            reopen: bool = False) -> None:
    """Findings (id, finding) seen again; ``reopen`` also sets them open, by the engine."""
    for finding_id, f in seen:
        row = session.get_one(DeviceFindingRow, finding_id)
        row.attestation_id, row.expected, row.actual = attestation_id, f.expected, f.actual
        row.severity, row.reason, row.last_seen = int(f.severity), _reason_text(f.reason), at
        if reopen:
            row.status, row.decided_by = FindingStatus.OPEN.value, Decider.ENGINE.value
    session.flush()


def resolve_device_findings(session: Session, finding_ids: Sequence[int],
                            status: FindingStatus) -> None:
    for finding_id in finding_ids:
        row = session.get_one(DeviceFindingRow, finding_id)
        row.status, row.decided_by = status.value, Decider.ENGINE.value
    session.flush()


def latest_attestation_id() -> ScalarSelect[int]:
    """The id of the current device's newest appraisal, as a correlated subquery."""
    return (select(func.max(DeviceAttestationRow.id))
            .where(DeviceAttestationRow.device_id == DeviceRow.id)
            .correlate(DeviceRow).scalar_subquery())


def open_device_findings() -> ScalarSelect[int]:
    """How many open findings the current device has, as a correlated subquery."""
    return (select(func.count(DeviceFindingRow.id))
            .where(DeviceFindingRow.device_id == DeviceRow.id,
                   DeviceFindingRow.status == FindingStatus.OPEN.value)
            .correlate(DeviceRow).scalar_subquery())


def device_statuses(session: Session, name: str | None = None) -> list[DeviceStatus]:
    """Every device (or the one named) with site, release, latest verdict and the
    number of open findings, by name."""
    latest, open_count = latest_attestation_id(), open_device_findings()
    query = (
        select(DeviceRow.name, SiteRow.name, ProductRow.name, ReleaseRow.version,
               DeviceAttestationRow.verdict, DeviceAttestationRow.reasons,
               DeviceAttestationRow.appraised_at, open_count)
        .join(SiteRow, SiteRow.id == DeviceRow.site_id)
        .join(ReleaseRow, ReleaseRow.id == DeviceRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .outerjoin(DeviceAttestationRow, DeviceAttestationRow.id == latest)
        .order_by(DeviceRow.name)
    )
    if name is not None:
        query = query.where(DeviceRow.name == name)
    return [
        DeviceStatus(device, site, product, version,
                     AttestationVerdict(verdict) if verdict else None,
                     stored_reasons(reasons) if reasons else (),
                     as_utc(appraised) if appraised else None, count)
        for device, site, product, version, verdict, reasons, appraised, count
        in session.execute(query)
    ]


def device_findings(session: Session, name: str) -> list[DeviceFinding]:
    """The findings of device ``name``: open first, then worst, then by path."""
    device = device_named(session, name)
    rows = session.scalars(select(DeviceFindingRow).where(DeviceFindingRow.device_id == device.id))
    findings = [DeviceFinding(r.kind, r.path, r.expected, r.actual, Severity(r.severity),
                              FindingStatus(r.status), _reason(r.reason), as_utc(r.first_seen),
                              as_utc(r.last_seen)) for r in rows]
    return sorted(findings, key=lambda f: (f.status is not FindingStatus.OPEN, -f.severity,
                                           f.path, f.kind))


# Reasons are kept as messages, {"code", "facts"} (formats.attestation.write_message), to
# be said in each reader's language: device_attestation.reasons as a JSON list of them,
# device_finding.reason as one. Rows written before codes hold English text: a list of
# strings, a plain string; each is read as the legacy message of its text.

def _reason_text(reason: Message) -> str:
    return orjson.dumps(write_message(reason)).decode()


def stored_reasons(stored: str) -> tuple[Message, ...]:
    return tuple(read_message(reason) for reason in orjson.loads(stored))


def _reason(stored: str) -> Message:
    if stored.startswith("{"):  # no text written before codes starts with a brace
        try:
            return read_message(orjson.loads(stored), stored)
        except orjson.JSONDecodeError:
            pass
    return read_message(stored)
