"""Vulnerability findings: evaluate stored components, persist with their lifecycle."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
from sqlalchemy import Select, bindparam, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from cpstrust.model.finding import FindingStatus, MatchStatus, VulnerabilityMatch
from cpstrust.model.sbom import SbomComponent
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store.advisories import SqlAdvisoryLookup
from cpstrust.store.tables import (
    ComponentRow,
    FindingRow,
    VulnerabilityIdRow,
    VulnerabilityRow,
    table_of,
)
from cpstrust.vulndb.matching import match_components

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Result of re-evaluating a set of stored components."""

    components: int
    matches: tuple[VulnerabilityMatch, ...]
    new: tuple[tuple[int, VulnerabilityMatch], ...]  # (release id, match) first seen now
    cleared: int  # open findings the advisory data no longer supports


def _component_query() -> Select[int, int, str, str | None, str | None]:
    return select(
        ComponentRow.id,
        ComponentRow.release_id,
        ComponentRow.name,
        ComponentRow.version,
        ComponentRow.purl,
    )


def components_of_releases(
    session: Session, release_ids: Sequence[int]
) -> list[tuple[int, int, str, str | None, str | None]]:
    rows: list[tuple[int, int, str, str | None, str | None]] = []
    for start in range(0, len(release_ids), _CHUNK):
        chunk = release_ids[start : start + _CHUNK]
        rows.extend(session.execute(_component_query().where(ComponentRow.release_id.in_(chunk))))
    return rows


def components_with_keys(
    session: Session, keys: Iterable[PackageKey]
) -> list[tuple[int, int, str, str | None, str | None]]:
    """Stored components whose package is one of ``keys`` (a table scan, see tables.py)."""
    key_list = sorted(keys)
    rows: list[tuple[int, int, str, str | None, str | None]] = []
    for start in range(0, len(key_list), _CHUNK):
        chunk = key_list[start : start + _CHUNK]
        rows.extend(
            session.execute(
                _component_query().where(
                    tuple_(ComponentRow.ecosystem, ComponentRow.package).in_(chunk)
                )
            )
        )
    return rows


def evaluate(
    session: Session,
    rows: Sequence[tuple[int, int, str, str | None, str | None]],
    now: datetime | None = None,
) -> Evaluation:
    """Match ``rows`` against the advisory store and reconcile their findings.

    New matches become open findings; existing ones are refreshed (severity, fixed
    versions, last seen) keeping their status; open findings no longer matched become
    not_affected with a note, since a stored component never changes version.
    """
    now = now or datetime.now(UTC)
    release_of = {cid: rid for cid, rid, *_ in rows}
    components = [
        SbomComponent(ref=str(cid), name=name, version=version, purl=purl)
        for cid, _rid, name, version, purl in rows
        if purl
    ]
    report = match_components(components, SqlAdvisoryLookup(session))
    existing = _existing_findings(session, list(release_of))
    new: list[tuple[int, VulnerabilityMatch]] = []
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    seen: set[tuple[int, str]] = set()
    for m in report.matches:
        cid = int(m.component_ref)
        key = (cid, m.vulnerability_id)
        seen.add(key)
        values: dict[str, object] = {
            "severity": int(m.severity),
            "last_seen": now,
            "fixed_versions": orjson.dumps(list(m.fixed_versions)).decode(),
            "version_compared": m.status is MatchStatus.AFFECTED,
        }
        if key in existing:
            updates.append({"finding_id": existing[key][0], **values})
        else:
            new.append((release_of[cid], m))
            inserts.append(
                {
                    "kind": "vulnerability",
                    "release_id": release_of[cid],
                    "component_id": cid,
                    "vulnerability_id": m.vulnerability_id,
                    "status": FindingStatus.OPEN.value,
                    "first_seen": now,
                    **values,
                }
            )
    if inserts:
        session.execute(insert(table_of(FindingRow)), inserts)
    if updates:
        # executemany of one UPDATE statement: one round trip per batch, not per finding
        session.connection().execute(
            update(FindingRow)
            .where(FindingRow.id == bindparam("finding_id"))
            .values(
                severity=bindparam("severity"),
                last_seen=bindparam("last_seen"),
                fixed_versions=bindparam("fixed_versions"),
                version_compared=bindparam("version_compared"),
            ),
            updates,
        )
    cleared = _clear_unsupported(session, existing, seen)
    return Evaluation(len(rows), report.matches, tuple(new), cleared)


def _existing_findings(
    session: Session, component_ids: list[int]
) -> dict[tuple[int, str], tuple[int, str]]:
    out: dict[tuple[int, str], tuple[int, str]] = {}
    for start in range(0, len(component_ids), _CHUNK):
        chunk = component_ids[start : start + _CHUNK]
        for fid, cid, vid, status in session.execute(
            select(
                FindingRow.id,
                FindingRow.component_id,
                FindingRow.vulnerability_id,
                FindingRow.status,
            ).where(FindingRow.component_id.in_(chunk))
        ):
            out[(cid, vid)] = (fid, status)
    return out


def _clear_unsupported(
    session: Session, existing: dict[tuple[int, str], tuple[int, str]], seen: set[tuple[int, str]]
) -> int:
    stale = [
        fid
        for key, (fid, status) in existing.items()
        if key not in seen and status == FindingStatus.OPEN.value
    ]
    for start in range(0, len(stale), _CHUNK):
        session.execute(
            update(FindingRow)
            .where(FindingRow.id.in_(stale[start : start + _CHUNK]))
            .values(
                status=FindingStatus.NOT_AFFECTED.value,
                note="advisory data no longer matches (withdrawn or corrected)",
            )
        )
    return len(stale)


def set_status(session: Session, finding_id: int, status: FindingStatus, note: str | None) -> None:
    """Move a finding along its lifecycle (accept a risk, mark not affected, ...)."""
    session.execute(
        update(FindingRow).where(FindingRow.id == finding_id).values(status=status.value, note=note)
    )


def follow_aliases(session: Session) -> int:
    """Point findings at their vulnerability's current canonical id after a re-merge.

    When two findings of one component end up naming the same vulnerability, the older
    one (with its status and note) is kept. Returns how many findings moved.
    """
    orphans = session.execute(
        select(
            FindingRow.id,
            FindingRow.component_id,
            FindingRow.vulnerability_id,
            VulnerabilityIdRow.vulnerability_id,
        )
        .join(VulnerabilityIdRow, VulnerabilityIdRow.alias == FindingRow.vulnerability_id)
        .where(FindingRow.vulnerability_id.not_in(select(VulnerabilityRow.id)))
        .order_by(FindingRow.id)
    ).all()
    moved = 0
    for fid, cid, _old, target in orphans:
        clash = session.scalar(
            select(FindingRow.id).where(
                FindingRow.component_id == cid, FindingRow.vulnerability_id == target
            )
        )
        if clash is not None:
            session.execute(delete(FindingRow).where(FindingRow.id == max(fid, clash)))
            if clash > fid:
                session.execute(
                    update(FindingRow).where(FindingRow.id == fid).values(vulnerability_id=target)
                )
        else:
            session.execute(
                update(FindingRow).where(FindingRow.id == fid).values(vulnerability_id=target)
            )
        moved += 1
    return moved


def restore_decisions(
    session: Session, release_id: int, decisions: dict[tuple[str, str], tuple[str, str | None]]
) -> int:
    """Re-apply statuses taken on a replaced SBOM's findings to the new, same findings."""
    if not decisions:
        return 0
    restored = 0
    for fid, purl, vid in session.execute(
        select(FindingRow.id, ComponentRow.purl, FindingRow.vulnerability_id)
        .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
        .where(FindingRow.release_id == release_id)
    ):
        decision = decisions.get((purl, vid)) if purl is not None else None
        if decision is not None:
            session.execute(
                update(FindingRow)
                .where(FindingRow.id == fid)
                .values(status=decision[0], note=decision[1])
            )
            restored += 1
    return restored
