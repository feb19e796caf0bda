"""The offline advisory database in SQL: what is stored, written as the application
layer decides (which records to keep, how ids merge), and read for matching."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Result, Select, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from cpstrust.model.advisory import (
    Advisory,
    AffectedEntry,
    Severity,
    SourceStatus,
    VulndbStatus,
    VulnerabilityInfo,
)
from cpstrust.packages.ecosystems import PackageKey, ecosystem_family, normalize_name
from cpstrust.store.advisory_rows import (
    chunks,
    decoded_affected,
    encode_affected,
    names_by_family,
    vulnerability_info,
)
from cpstrust.store.tables import (
    AdvisoryGenerationRow,
    AdvisoryRow,
    AdvisorySourceRow,
    AffectedRow,
    CompiledPackageRow,
    CompiledStateRow,
    VulnerabilityIdRow,
    VulnerabilityRow,
)


@dataclass(frozen=True, slots=True)
class ParsedAdvisory:
    """An advisory with the exact bytes it was read from (kept as evidence)."""

    advisory: Advisory
    data: bytes


def source_id(session: Session, location: str, kind: str, at: datetime) -> int:
    """The id of the advisory source at ``location``, recorded on first use."""
    row = session.scalars(
        select(AdvisorySourceRow).where(AdvisorySourceRow.location == location)
    ).first()
    if row is None:
        row = AdvisorySourceRow(location=location, kind=kind, record_count=0, imported_at=at)
        session.add(row)
        session.flush()
    return row.id


def record_source_import(session: Session, source: int, *, records: int,
                         newest_modified: str | None, at: datetime) -> None:
    row = session.get_one(AdvisorySourceRow, source)
    row.imported_at, row.record_count, row.newest_modified = at, records, newest_modified


def status(session: Session) -> VulndbStatus:
    sources = tuple(
        SourceStatus(s.location, s.kind, s.imported_at, s.record_count, s.newest_modified)
        for s in session.scalars(select(AdvisorySourceRow).order_by(AdvisorySourceRow.imported_at))
    )
    withdrawn = select(func.count()).select_from(AdvisoryRow).where(
        AdvisoryRow.withdrawn.is_not(None))
    return VulndbStatus(sources, _count(session, AdvisoryRow), session.scalar(withdrawn) or 0,
                        _count(session, VulnerabilityRow), _count(session, AffectedRow))


def _count(session: Session, table: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def any_advisory(session: Session) -> bool:
    return session.scalar(select(AdvisoryRow.id).limit(1)) is not None


def stored_versions(session: Session) -> dict[str, tuple[str, str]]:
    """Every stored advisory's id -> (SHA-256 of its bytes, its ``modified`` time)."""
    return {
        i: (d, m)
        for i, d, m in session.execute(
            select(AdvisoryRow.id, AdvisoryRow.sha256, AdvisoryRow.modified)
        )
    }


@dataclass(frozen=True, slots=True)
class WrittenAdvisory:
    """What writing one advisory touched."""

    keys: frozenset[PackageKey]  # packages it named before and names now
    unknown_ecosystem: int  # affected entries of ecosystems no family covers: not indexed


def write_advisory(session: Session, record: ParsedAdvisory, digest: str, source: int,
                   *, replaces: bool) -> WrittenAdvisory:
    """Store ``record`` (replacing the stored one of its id when ``replaces``); a
    withdrawn advisory is kept for the record without affected entries."""
    a = record.advisory
    keys: set[PackageKey] = set()
    if replaces:
        old = session.execute(
            select(AffectedRow.ecosystem, AffectedRow.package).where(
                AffectedRow.advisory_id == a.id
            )
        )
        keys.update((e, p) for e, p in old)
        session.execute(delete(AffectedRow).where(AffectedRow.advisory_id == a.id))
        session.execute(delete(AdvisoryRow).where(AdvisoryRow.id == a.id))
    session.execute(
        insert(AdvisoryRow).values(
            id=a.id,
            vulnerability_id=a.id,
            source_id=source,
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
        return WrittenAdvisory(frozenset(keys), 0)
    rows, unknown = [], 0
    for package in a.affected:
        family = ecosystem_family(package.ecosystem)
        if family is None:
            unknown += 1
            continue
        key = (family, normalize_name(family, package.name))
        keys.add(key)
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
    return WrittenAdvisory(frozenset(keys), unknown)


def live_alias_records(session: Session) -> list[VulnerabilityInfo]:
    """Id, aliases, severity and summary of every advisory not withdrawn."""
    return [
        VulnerabilityInfo(i, tuple(orjson.loads(al)), Severity(sev), s)
        for i, al, sev, s in session.execute(
            select(
                AdvisoryRow.id, AdvisoryRow.aliases, AdvisoryRow.severity, AdvisoryRow.summary
            ).where(AdvisoryRow.withdrawn.is_(None))
        )
    ]


def save_vulnerabilities(session: Session, merged: Mapping[str, VulnerabilityInfo],
                         at: datetime) -> None:
    """Replace the merged vulnerabilities with ``merged`` (every advisory id and alias ->
    its vulnerability), point each advisory at its own, and start a new generation."""
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
    live = session.scalars(select(AdvisoryRow.id).where(AdvisoryRow.withdrawn.is_(None)))
    by_canonical: dict[str, list[str]] = defaultdict(list)
    for advisory_id in live:
        by_canonical[merged[advisory_id].id].append(advisory_id)
    for canonical, ids in by_canonical.items():
        for chunk in chunks(ids):
            session.execute(
                update(AdvisoryRow)
                .where(AdvisoryRow.id.in_(chunk))
                .values(vulnerability_id=canonical)
            )
    _new_generation(session, at)


def _new_generation(session: Session, now: datetime) -> None:
    """Mark the advisories as changed: scans stop using what they kept from before."""
    token = str(uuid.uuid4())
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


def _insert_chunked(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    for chunk in chunks(rows, 5000):
        session.execute(insert(table), list(chunk))


# package, advisory id, entry data, vulnerability id, aliases, severity, summary
_AffectedRows = Result[str, str, str, str, str, int, str | None]


def affected_entries(session: Session,
                     keys: Iterable[PackageKey]) -> dict[PackageKey, list[AffectedEntry]]:
    """The stored affected entries naming each package, with their merged vulnerability:
    one indexed query per ecosystem and chunk of names, plain rows (Core, no ORM
    objects), each vulnerability decoded once per call and each entry once per process."""
    found: dict[PackageKey, list[AffectedEntry]] = defaultdict(list)
    decoded: dict[str, VulnerabilityInfo] = {}
    connection = session.connection()  # Core rows: no ORM loading machinery
    for family, names in names_by_family(keys):
        rows: _AffectedRows = connection.execute(_affected_query(family, names))
        for package, advisory_id, data, vuln_id, aliases, severity, summary in rows:
            vulnerability = vulnerability_info(decoded, vuln_id, aliases, severity, summary)
            found[(family, package)].append(
                AffectedEntry(vulnerability, advisory_id, decoded_affected(data))
            )
    return found


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


def package_keys(session: Session) -> list[PackageKey]:
    """Every package some stored advisory names."""
    rows = session.execute(select(AffectedRow.ecosystem, AffectedRow.package).distinct())
    return [(ecosystem, package) for ecosystem, package in rows]


def compiled_state(session: Session) -> tuple[str, str] | None:
    """(generation, fingerprint) for which the compiled packages are complete."""
    row = session.get(CompiledStateRow, 1)
    return None if row is None else (row.generation, row.fingerprint)


def save_compiled(session: Session, records: Mapping[PackageKey, bytes | None], *,
                  generation: str, fingerprint: str) -> None:
    """Replace the compiled records of these packages (None: no longer affected), and
    record that the compiled packages are complete for ``generation``."""
    keys = sorted(records)
    for chunk in chunks(keys):
        session.execute(delete(CompiledPackageRow).where(
            tuple_(CompiledPackageRow.ecosystem, CompiledPackageRow.package).in_(chunk)))
    _insert_chunked(session, CompiledPackageRow, [
        {"ecosystem": e, "package": p, "data": data}
        for (e, p), data in records.items() if data is not None])
    session.merge(CompiledStateRow(id=1, generation=generation, fingerprint=fingerprint))
    session.flush()


def compiled_records(session: Session, keys: Iterable[PackageKey]) -> dict[PackageKey, bytes]:
    """The compiled record of each package that has one."""
    found: dict[PackageKey, bytes] = {}
    connection = session.connection()
    for family, names in names_by_family(keys):
        for package, data in connection.execute(
            select(CompiledPackageRow.package, CompiledPackageRow.data).where(
                CompiledPackageRow.ecosystem == family, CompiledPackageRow.package.in_(names))):
            found[(family, package)] = data
    return found


def vulnerabilities_of(session: Session,
                       advisory_ids: Iterable[str]) -> dict[str, VulnerabilityInfo]:
    """Each advisory's merged vulnerability, decoded once per vulnerability."""
    decoded: dict[str, VulnerabilityInfo] = {}
    found: dict[str, VulnerabilityInfo] = {}
    connection = session.connection()
    for chunk in chunks(sorted(set(advisory_ids))):
        for advisory_id, vuln_id, aliases, severity, summary in connection.execute(
            select(AdvisoryRow.id, VulnerabilityRow.id, VulnerabilityRow.aliases,
                   VulnerabilityRow.severity, VulnerabilityRow.summary)
            .join(VulnerabilityRow, VulnerabilityRow.id == AdvisoryRow.vulnerability_id)
            .where(AdvisoryRow.id.in_(chunk))):
            found[advisory_id] = vulnerability_info(decoded, vuln_id, aliases, severity, summary)
    return found


class SessionAdvisoryReads:
    """What matching reads of the advisories, in a session's transaction (the reads
    ``store.advisory_snapshot`` makes without SQLAlchemy, for one-off processes)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def database(self) -> str:
        return self._session.get_bind().engine.url.render_as_string(hide_password=True)

    def generation(self) -> str | None:
        return advisory_generation(self._session)

    def compiled_state(self) -> tuple[str, str] | None:
        return compiled_state(self._session)

    def any_advisory(self) -> bool:
        return any_advisory(self._session)

    def compiled_records(self, keys: Iterable[PackageKey]) -> dict[PackageKey, bytes]:
        return compiled_records(self._session, keys)

    def vulnerabilities_of(self, advisory_ids: Iterable[str]) -> dict[str, VulnerabilityInfo]:
        return vulnerabilities_of(self._session, advisory_ids)

    def affected_entries(self, keys: Iterable[PackageKey],
                         ) -> dict[PackageKey, list[AffectedEntry]]:
        return affected_entries(self._session, keys)
