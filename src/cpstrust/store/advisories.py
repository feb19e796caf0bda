"""The offline advisory database in SQL: import, alias merging, lookup for matching."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Result, Select, delete, insert, select, update
from sqlalchemy.orm import Session

from cpstrust.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    RangeType,
    Severity,
)
from cpstrust.packages.ecosystems import PackageKey, ecosystem_family, normalize_name
from cpstrust.store.tables import (
    AdvisoryGenerationRow,
    AdvisoryRow,
    AdvisorySourceRow,
    AffectedRow,
    VulnerabilityIdRow,
    VulnerabilityRow,
)
from cpstrust.vulndb.aliases import AliasRecord, merge_aliases
from cpstrust.vulndb.index import PackageAdvisories
from cpstrust.vulndb.interface import AffectedEntry, VulnerabilityInfo

_CHUNK = 500  # bound on bound parameters per query (SQLite allows 32766; keep plans small)


@dataclass(frozen=True, slots=True)
class ParsedAdvisory:
    """An advisory with the exact bytes it was read from (kept as evidence)."""

    advisory: Advisory
    data: bytes


@dataclass(slots=True)
class ImportResult:
    """What one import changed; ``changed_keys`` drives re-evaluation of stored SBOMs."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # records older than the stored copy, skipped
    withdrawn: int = 0
    unknown_ecosystem: int = 0
    changed_keys: set[PackageKey] = field(default_factory=set)

    @property
    def records_read(self) -> int:
        """Records read, whatever became of them (withdrawn ones are among those added or
        updated)."""
        return self.added + self.updated + self.unchanged + self.older


def encode_affected(package: AffectedPackage) -> str:
    return orjson.dumps(
        {
            "e": package.ecosystem,
            "n": package.name,
            "p": package.purl,
            "r": [[r.type.value, [[e.kind, e.version] for e in r.events]] for r in package.ranges],
            "v": list(package.versions),
            "s": None if package.severity is None else int(package.severity),
        }
    ).decode()


# Dict lookups instead of enum calls: decoding runs for every entry a scan looks at.
_RANGE_TYPES = {t.value: t for t in RangeType}
_SEVERITIES = {int(s): s for s in Severity}


def decode_affected(text: str | bytes) -> AffectedPackage:
    d: dict[str, Any] = orjson.loads(text)
    severity: int | None = d["s"]
    return AffectedPackage(
        ecosystem=d["e"],
        name=d["n"],
        purl=d["p"],
        ranges=tuple(
            [
                AffectedRange(_RANGE_TYPES[t], tuple([RangeEvent(k, v) for k, v in events]))
                for t, events in d["r"]
            ]
        ),
        versions=tuple(d["v"]),
        severity=None if severity is None else _SEVERITIES[severity],
    )


# Keyed by the stored text itself, so never stale: a changed entry is a new key. Repeated
# scans in one process then decode each entry once, and hand matching the same objects.
_decoded = lru_cache(maxsize=1 << 15)(decode_affected)


def _source_row(session: Session, location: str, kind: str) -> AdvisorySourceRow:
    row = session.scalars(
        select(AdvisorySourceRow).where(AdvisorySourceRow.location == location)
    ).first()
    if row is None:
        row = AdvisorySourceRow(
            location=location, kind=kind, record_count=0, imported_at=datetime.now(UTC)
        )
        session.add(row)
        session.flush()
    return row


def import_advisories(
    session: Session,
    records: Iterable[ParsedAdvisory],
    *,
    location: str,
    kind: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Upsert parsed advisories from one source, then re-merge aliases.

    Records whose bytes did not change since the last import are skipped (incremental).
    Withdrawn records are kept for the record but lose their affected entries, so they
    match nothing. Runs inside the caller's transaction: all or nothing.
    """
    source = _source_row(session, location, kind)
    known = {
        i: (d, m)
        for i, d, m in session.execute(
            select(AdvisoryRow.id, AdvisoryRow.sha256, AdvisoryRow.modified)
        )
    }
    result, count, newest = ImportResult(), 0, None
    for record in records:
        count += 1
        digest = hashlib.sha256(record.data).hexdigest()
        advisory = record.advisory
        newest = max(newest or advisory.modified, advisory.modified)
        stored = known.get(advisory.id)
        if stored is not None and stored[0] == digest:
            result.unchanged += 1
            continue
        if stored is not None and _instant(advisory.modified) < _instant(stored[1]):
            result.older += 1  # an older snapshot never replaces newer data
            continue
        _write_advisory(session, record, digest, source.id, stored is not None, result)
        known[advisory.id] = (digest, advisory.modified)
        if progress is not None:
            progress(count)
    source.imported_at, source.record_count = datetime.now(UTC), count
    source.newest_modified = newest
    if result.added or result.updated:
        remerge_vulnerabilities(session)
    return result


def _instant(timestamp: str) -> datetime:
    """RFC 3339 time as an aware datetime; unreadable times sort first (never win)."""
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _write_advisory(
    session: Session,
    record: ParsedAdvisory,
    digest: str,
    source_id: int,
    exists: bool,
    result: ImportResult,
) -> None:
    a = record.advisory
    if exists:
        old = session.execute(
            select(AffectedRow.ecosystem, AffectedRow.package).where(
                AffectedRow.advisory_id == a.id
            )
        )
        result.changed_keys.update((e, p) for e, p in old)
        session.execute(delete(AffectedRow).where(AffectedRow.advisory_id == a.id))
        session.execute(delete(AdvisoryRow).where(AdvisoryRow.id == a.id))
        result.updated += 1
    else:
        result.added += 1
    session.execute(
        insert(AdvisoryRow).values(
            id=a.id,
            vulnerability_id=a.id,
            source_id=source_id,
            modified=a.modified,
            withdrawn=a.withdrawn,
            aliases=orjson.dumps(list(a.aliases)).decode(),
            severity=int(a.severity),
            summary=a.summary,
            sha256=digest,
            content=record.data,
        )
    )
    if a.withdrawn:
        result.withdrawn += 1
        return
    rows = []
    for package in a.affected:
        family = ecosystem_family(package.ecosystem)
        if family is None:
            result.unknown_ecosystem += 1
            continue
        key = (family, normalize_name(family, package.name))
        result.changed_keys.add(key)
        rows.append(
            {
                "advisory_id": a.id,
                "ecosystem": key[0],
                "package": key[1],
                "data": encode_affected(package),
            }
        )
    if rows:
        session.execute(insert(AffectedRow), rows)


def remerge_vulnerabilities(session: Session) -> None:
    """Rebuild the merged vulnerabilities from every live advisory's id and aliases.

    A new advisory can join two groups that were apart (its aliases name both), so the
    grouping is recomputed as a whole; findings follow their ids to the new canonical id.
    """
    records = [
        AliasRecord(id=i, aliases=tuple(orjson.loads(al)), severity=Severity(sev), summary=s)
        for i, al, sev, s in session.execute(
            select(
                AdvisoryRow.id, AdvisoryRow.aliases, AdvisoryRow.severity, AdvisoryRow.summary
            ).where(AdvisoryRow.withdrawn.is_(None))
        )
    ]
    merged = merge_aliases(records)  # every id -> VulnerabilityInfo
    session.execute(delete(VulnerabilityIdRow))
    session.execute(delete(VulnerabilityRow))
    infos = {info.id: info for info in merged.values()}
    _insert_chunked(
        session,
        VulnerabilityRow,
        [
            {
                "id": v.id,
                "aliases": orjson.dumps(list(v.aliases)).decode(),
                "severity": int(v.severity),
                "summary": v.summary,
            }
            for v in infos.values()
        ],
    )
    _insert_chunked(
        session,
        VulnerabilityIdRow,
        [{"alias": alias, "vulnerability_id": v.id} for alias, v in merged.items()],
    )
    by_canonical: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_canonical[merged[r.id].id].append(r.id)
    for canonical, ids in by_canonical.items():
        for chunk in _chunks(ids):
            session.execute(
                update(AdvisoryRow)
                .where(AdvisoryRow.id.in_(chunk))
                .values(vulnerability_id=canonical)
            )
    _new_generation(session)


def _new_generation(session: Session) -> None:
    """Mark the advisories as changed: scans stop using what they kept from before."""
    token, now = str(uuid.uuid4()), datetime.now(UTC)
    changed = session.execute(
        update(AdvisoryGenerationRow).where(AdvisoryGenerationRow.id == 1)
        .values(token=token, changed_at=now)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]  # CursorResult for UPDATE
        session.execute(insert(AdvisoryGenerationRow).values(id=1, token=token, changed_at=now))


def advisory_generation(session: Session) -> str | None:
    """The token of the advisories as this transaction sees them (set by the migration)."""
    return session.scalar(
        select(AdvisoryGenerationRow.token).where(AdvisoryGenerationRow.id == 1)
    )


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_chunked(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows, 5000):
        session.execute(insert(table), list(chunk))


# Packages kept per database before the cache starts again: the whole OSV export is
# ~60,000 packages; a scan of a 10,000-component SBOM asks for ~2,000.
_MAX_KEPT_PACKAGES = 250_000
_MAX_KEPT_DATABASES = 4  # a process rarely works on more (the tests open hundreds)


@dataclass(slots=True)
class _Kept:
    """What lookups read from one database in one advisory generation."""

    generation: str
    packages: dict[PackageKey, PackageAdvisories | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_KEPT: dict[str, _Kept] = {}  # database URL -> what was read in its newest generation seen
_KEPT_LOCK = threading.Lock()


def _kept_for(session: Session) -> _Kept:
    """The packages kept for the session's database, emptied when its generation changed."""
    generation = advisory_generation(session)
    if generation is None:  # the row was removed by hand: keep nothing
        return _Kept("")
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    with _KEPT_LOCK:
        kept = _KEPT.get(database)
        if kept is None or kept.generation != generation:
            _KEPT.pop(database, None)
            while len(_KEPT) >= _MAX_KEPT_DATABASES:  # the least recently changed goes
                del _KEPT[next(iter(_KEPT))]
            kept = _KEPT[database] = _Kept(generation)
        return kept


# package, advisory id, entry data, vulnerability id, aliases, severity, summary
_AffectedRows = Result[str, str, str, str, str, int, str | None]


class SqlAdvisoryLookup:
    """AdvisoryLookup over the store: one indexed query per ecosystem and chunk of names.

    Each query returns plain rows (Core, no ORM objects) with the merged vulnerability
    joined in; each vulnerability is decoded once per lookup, each stored entry once per
    process. What was read is kept per database for as long as its advisory generation
    holds (packages without advisories too), so that later scans in the process (a
    service, a batch re-evaluation) neither query again nor rebuild the packages' indexes.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def affected_for(self, keys: Iterable[PackageKey]) -> Mapping[PackageKey, PackageAdvisories]:
        wanted = set(keys)
        kept = _kept_for(self._session)
        with kept.lock:
            missing = [key for key in wanted if key not in kept.packages]
        found = self._read(missing) if missing else {}
        with kept.lock:
            if len(kept.packages) + len(missing) > _MAX_KEPT_PACKAGES:
                kept.packages.clear()
            for key in missing:
                entries = found.get(key)
                kept.packages[key] = PackageAdvisories(entries) if entries else None
            return {key: p for key in wanted if (p := kept.packages.get(key)) is not None}

    def _read(self, keys: Iterable[PackageKey]) -> dict[PackageKey, list[AffectedEntry]]:
        found: dict[PackageKey, list[AffectedEntry]] = defaultdict(list)
        vulnerabilities: dict[str, VulnerabilityInfo] = {}
        for family, rows in self._rows(keys):
            for package, advisory_id, data, vuln_id, aliases, severity, summary in rows:
                vulnerability = vulnerabilities.get(vuln_id)
                if vulnerability is None:
                    vulnerability = vulnerabilities[vuln_id] = VulnerabilityInfo(
                        vuln_id, tuple(orjson.loads(aliases)), _SEVERITIES[severity], summary
                    )
                found[(family, package)].append(
                    AffectedEntry(vulnerability, advisory_id, _decoded(data))
                )
        return found

    def _rows(self, keys: Iterable[PackageKey]) -> Iterator[tuple[str, _AffectedRows]]:
        by_family: dict[str, set[str]] = defaultdict(set)
        for family, name in keys:
            by_family[family].add(name)
        connection = self._session.connection()  # Core rows: no ORM loading machinery
        for family, names in by_family.items():
            for chunk in _chunks(sorted(names)):
                yield family, connection.execute(_affected_query(family, chunk))


def _affected_query(
    family: str, names: Sequence[str]
) -> Select[str, str, str, str, str, int, str | None]:
    return (
        select(
            AffectedRow.package,
            AffectedRow.advisory_id,
            AffectedRow.data,
            VulnerabilityRow.id,
            VulnerabilityRow.aliases,
            VulnerabilityRow.severity,
            VulnerabilityRow.summary,
        )
        .join(AdvisoryRow, AdvisoryRow.id == AffectedRow.advisory_id)
        .join(VulnerabilityRow, VulnerabilityRow.id == AdvisoryRow.vulnerability_id)
        .where(AffectedRow.ecosystem == family, AffectedRow.package.in_(names))
    )
