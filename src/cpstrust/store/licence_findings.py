"""Licence findings in the database: the components a release's licences are judged on,
the licence findings kept with their lifecycle state, and the changes the lifecycle
decided, written set by set (a policy over a thousand releases moves a million rows).
No rule here: ``app.licence_findings`` decides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from cpstrust.model.finding import FindingKind, FindingStatus
from cpstrust.model.lifecycle import Decider, KeptFinding
from cpstrust.store import bulk
from cpstrust.store.findings import kept_state
from cpstrust.store.tables import ComponentRow, FindingRow, SbomDocumentRow

_CHUNK = 500
_KIND = FindingKind.LICENCE.value

LicenceKey = tuple[int, str]  # (component id, the finding's rule id)
# A licence finding to open: release id, component id, rule id, severity, licence.
NewLicenceFinding = tuple[int, int, str, int, str | None]


def releases_with_sboms(session: Session) -> list[int]:
    """Every release that has a stored SBOM."""
    return list(session.scalars(select(SbomDocumentRow.release_id).distinct()
                                .order_by(SbomDocumentRow.release_id)))


def current_sboms(session: Session, release_ids: Sequence[int]) -> dict[int, str]:
    """The SHA-256 of each release's current SBOM, by release id."""
    out: dict[int, str] = {}
    for start in range(0, len(release_ids), _CHUNK):
        chunk = release_ids[start : start + _CHUNK]
        latest = (select(func.max(SbomDocumentRow.id))
                  .where(SbomDocumentRow.release_id.in_(chunk))
                  .group_by(SbomDocumentRow.release_id))
        for release_id, sha256 in session.execute(
                select(SbomDocumentRow.release_id, SbomDocumentRow.sha256)
                .where(SbomDocumentRow.id.in_(latest))):
            out[release_id] = sha256
    return out


def component_ids_by_ref(session: Session, release_ids: Sequence[int],
                         ) -> dict[int, dict[str, list[int]]]:
    """Each release's components by ref (a ref written twice: both components)."""
    out: dict[int, dict[str, list[int]]] = {}
    for start in range(0, len(release_ids), _CHUNK):
        for cid, rid, ref in session.execute(
                select(ComponentRow.id, ComponentRow.release_id, ComponentRow.ref)
                .where(ComponentRow.release_id.in_(release_ids[start : start + _CHUNK]))):
            out.setdefault(rid, {}).setdefault(ref, []).append(cid)
    return out


def kept_licence_findings(session: Session, release_ids: Sequence[int],
                          ) -> dict[LicenceKey, tuple[int, KeptFinding]]:
    """The stored licence findings of these releases: id and lifecycle state."""
    out: dict[LicenceKey, tuple[int, KeptFinding]] = {}
    for start in range(0, len(release_ids), _CHUNK):
        for fid, cid, rule_id, status, decided_by in session.execute(
                select(FindingRow.id, FindingRow.component_id, FindingRow.vulnerability_id,
                       FindingRow.status, FindingRow.decided_by)
                .where(FindingRow.release_id.in_(release_ids[start : start + _CHUNK]),
                       FindingRow.kind == _KIND)):
            out[(cid, rule_id)] = (fid, kept_state(status, decided_by))
    return out


_NEW_COLUMNS = ("release_id", "component_id", "vulnerability_id", "severity", "licence",
                "fixed_versions", "version_compared", "kind", "status", "decided_by",
                "first_seen", "last_seen")


def insert_licence_findings(session: Session, new: Sequence[NewLicenceFinding],
                            at: datetime) -> None:
    """New open licence findings, written in bulk (``store.bulk``)."""
    if not new:
        return
    when = bulk.as_bound(session, FindingRow, "first_seen", at)
    constant = ("[]", True, _KIND, FindingStatus.OPEN.value, Decider.ENGINE.value, when, when)
    values: list[object] = []
    for row in new:
        values += (*row, *constant)
    bulk.insert_rows(session, FindingRow, _NEW_COLUMNS, values)


def seen_again(session: Session, finding_ids: Sequence[int], at: datetime, severity: int,
               *, reopen: bool = False) -> None:
    """Findings observed again, now of ``severity``: last seen now; ``reopen`` also sets
    them open again, as decided by the engine. One UPDATE per chunk of ids."""
    values: dict[str, object] = {"last_seen": at, "severity": severity}
    if reopen:
        values |= {"status": FindingStatus.OPEN.value, "decided_by": Decider.ENGINE.value,
                   "note": None}
    for start in range(0, len(finding_ids), _CHUNK):
        session.execute(update(FindingRow)
                        .where(FindingRow.id.in_(finding_ids[start : start + _CHUNK]))
                        .values(values))
