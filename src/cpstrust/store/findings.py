"""Vulnerability findings in the database: the components to evaluate, the findings kept
with their lifecycle state, and the changes the lifecycle (model.lifecycle) decided.
No matching and no rule here: the application layer decides, this loads and saves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import cache

import orjson
from sqlalchemy import Select, bindparam, delete, select, tuple_, update
from sqlalchemy.orm import Session

from cpstrust.model.finding import FindingKind, FindingStatus, MatchStatus, VulnerabilityMatch
from cpstrust.model.lifecycle import Decider, KeptFinding
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store import bulk
from cpstrust.store.tables import (
    ComponentRow,
    FindingRow,
    VulnerabilityIdRow,
    VulnerabilityRow,
)

_CHUNK = 500

# A stored component as matching needs it: id, release id, name, version, purl.
StoredComponent = tuple[int, int, str, str | None, str | None]


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
) -> list[StoredComponent]:
    rows: list[StoredComponent] = []
    for start in range(0, len(release_ids), _CHUNK):
        chunk = release_ids[start : start + _CHUNK]
        rows.extend(session.execute(_component_query().where(ComponentRow.release_id.in_(chunk))))
    return rows


def components_with_keys(
    session: Session, keys: Iterable[PackageKey]
) -> list[StoredComponent]:
    """Stored components whose package is one of ``keys`` (a table scan, see tables.py)."""
    key_list = sorted(keys)
    rows: list[StoredComponent] = []
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


FindingKey = tuple[int, str]  # (component id, vulnerability id)
# A status set by anyone but a VEX statement leaves no statement behind it.
_NO_STATEMENT: dict[str, object] = {"vex_status": None, "justification": None,
                                    "vex_document_id": None, "vex_statement": None}


def kept_findings(session: Session, component_ids: Sequence[int],
                  ) -> dict[FindingKey, tuple[int, KeptFinding]]:
    """The stored vulnerability findings of these components: id and lifecycle state
    (licence findings follow their own engine, ``store.licence_findings``)."""
    out: dict[FindingKey, tuple[int, KeptFinding]] = {}
    for start in range(0, len(component_ids), _CHUNK):
        chunk = component_ids[start : start + _CHUNK]
        for fid, cid, vid, status, decided_by in session.execute(
            select(FindingRow.id, FindingRow.component_id, FindingRow.vulnerability_id,
                   FindingRow.status, FindingRow.decided_by)
            .where(FindingRow.component_id.in_(chunk),
                   FindingRow.kind == FindingKind.VULNERABILITY.value)
        ):
            out[(cid, vid)] = (fid, kept_state(status, decided_by))
    return out


@cache
def kept_state(status: str, decided_by: str) -> KeptFinding:  # a handful of distinct values
    return KeptFinding(FindingStatus(status), Decider(decided_by))


def _match_values(m: VulnerabilityMatch, at: datetime) -> dict[str, object]:
    return {
        "severity": int(m.severity),
        "last_seen": at,
        "fixed_versions": orjson.dumps(list(m.fixed_versions)).decode(),
        "version_compared": m.status is MatchStatus.AFFECTED,
    }


_NEW_FINDING_COLUMNS = ("release_id", "component_id", "vulnerability_id", "severity",
                        "fixed_versions", "version_compared", "kind", "status", "decided_by",
                        "first_seen", "last_seen")


def insert_findings(session: Session, new: Sequence[tuple[int, VulnerabilityMatch]],
                    at: datetime) -> None:
    """New open findings: (release id, match) each; the component is the match's ref.
    Written in bulk (``store.bulk``): a batch of new SBOMs brings millions."""
    if not new:
        return
    when = bulk.as_bound(session, FindingRow, "first_seen", at)
    constant = ("vulnerability", FindingStatus.OPEN.value, Decider.ENGINE.value, when, when)
    values: list[object] = []
    for release_id, m in new:
        values += (release_id, int(m.component_ref), m.vulnerability_id, int(m.severity),
                   orjson.dumps(list(m.fixed_versions)).decode(),
                   m.status is MatchStatus.AFFECTED, *constant)
    bulk.insert_rows(session, FindingRow, _NEW_FINDING_COLUMNS, values)


def refresh_findings(session: Session, seen: Sequence[tuple[int, VulnerabilityMatch]],
                     at: datetime, *, reopen: bool = False) -> None:
    """Findings (id, match) seen again: severity, fixed versions, last seen; ``reopen``
    also sets them open again, as decided by the engine."""
    if not seen:
        return
    values: dict[str, object] = {"severity": bindparam("severity"),
                                 "last_seen": bindparam("last_seen"),
                                 "fixed_versions": bindparam("fixed_versions"),
                                 "version_compared": bindparam("version_compared")}
    if reopen:
        values |= {"status": FindingStatus.OPEN.value, "decided_by": Decider.ENGINE.value,
                   "note": None, **_NO_STATEMENT}
    # executemany of one UPDATE statement: one round trip per batch, not per finding
    session.connection().execute(
        update(FindingRow).where(FindingRow.id == bindparam("finding_id")).values(values),
        [{"finding_id": fid, **_match_values(m, at)} for fid, m in seen],
    )


def resolve_findings(session: Session, finding_ids: Sequence[int], status: FindingStatus,
                     note: str) -> None:
    """Findings the engine no longer observes, set to ``status`` by the engine."""
    for start in range(0, len(finding_ids), _CHUNK):
        session.execute(
            update(FindingRow)
            .where(FindingRow.id.in_(finding_ids[start : start + _CHUNK]))
            .values(status=status.value, note=note, decided_by=Decider.ENGINE.value,
                    **_NO_STATEMENT)
        )


def set_status(session: Session, finding_id: int, status: FindingStatus, note: str | None,
               decided_by: Decider) -> tuple[int, str] | None:
    """Record a status set on a finding (a person's decision, or the engine's); the id
    of its release and its vulnerability (None: no such finding)."""
    row = session.execute(
        update(FindingRow).where(FindingRow.id == finding_id)
        .values(status=status.value, note=note, decided_by=decided_by.value, **_NO_STATEMENT)
        .returning(FindingRow.release_id, FindingRow.vulnerability_id)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def follow_aliases(session: Session) -> set[int]:
    """Point findings at their vulnerability's current canonical id after a re-merge.

    When two findings of one component end up naming the same vulnerability, the older
    one (with its status and note) is kept. Returns the releases of the findings moved.
    """
    orphans = session.execute(
        select(
            FindingRow.id,
            FindingRow.component_id,
            FindingRow.release_id,
            VulnerabilityIdRow.vulnerability_id,
        )
        .join(VulnerabilityIdRow, VulnerabilityIdRow.alias == FindingRow.vulnerability_id)
        .where(FindingRow.vulnerability_id.not_in(select(VulnerabilityRow.id)))
        .order_by(FindingRow.id)
    ).all()
    moved: set[int] = set()
    for fid, cid, release_id, target in orphans:
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
        moved.add(release_id)
    return moved


def restore_decisions(
    session: Session, release_id: int, decisions: dict[tuple[str, str], tuple[str, str | None]]
) -> int:
    """Set the release's findings named in ``decisions`` ((purl, vulnerability) ->
    (status, note)) to them, as people's decisions."""
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
                .values(status=decision[0], note=decision[1],
                        decided_by=Decider.PERSON.value)
            )
            restored += 1
    return restored
