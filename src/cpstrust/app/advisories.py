"""The offline advisory database: import OSV directories and zips, update from OSV's
exports, status.

Rules kept here: an import is incremental (a record whose bytes did not change is
skipped) and never goes back in time (a record older than the stored one is skipped);
ids that alias each other are merged into one vulnerability after every change; stored
SBOMs are re-evaluated for the packages whose advisories changed; and an import of which
not one record could be read fails, so that a job refreshing its database does not carry
on with stale data as if it had succeeded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from sqlalchemy.orm import Session

from cpstrust.app.advisory_lookup import index_fingerprint
from cpstrust.app.evaluation import Evaluation, evaluate_components
from cpstrust.app.events import FindingWatch, record_events
from cpstrust.app.services import Services
from cpstrust.errors import CpstrustError, InputError
from cpstrust.feeds.osv_exports import FetchResult, fetch_exports
from cpstrust.feeds.osv_files import iter_advisory_files
from cpstrust.formats.osv import read_osv
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Message, message
from cpstrust.model.advisory import VulndbStatus
from cpstrust.model.events import Cause, CauseKind
from cpstrust.packages.ecosystems import PackageKey
from cpstrust.store import advisories as advisory_store
from cpstrust.store import finding_counts
from cpstrust.store import findings as findings_store
from cpstrust.store.advisories import ParsedAdvisory
from cpstrust.vulndb.aliases import merge_aliases
from cpstrust.vulndb.index import PackageIndex

Progress = Callable[[int], None]


@dataclass(slots=True)
class ImportResult:
    """What one import changed; ``changed_keys`` drives re-evaluation of stored SBOMs."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0  # records older than the stored copy, skipped
    withdrawn: int = 0  # among those added or updated
    unknown_ecosystem: int = 0
    changed_keys: set[PackageKey] = field(default_factory=set)

    @property
    def records_read(self) -> int:
        """Records read, whatever became of them."""
        return self.added + self.updated + self.unchanged + self.older


@dataclass(frozen=True, slots=True)
class AdvisoryImport:
    result: ImportResult
    skipped: tuple[CpstrustError, ...]  # one per unreadable advisory file
    reevaluation: Evaluation | None  # None when no stored package's advisories changed
    events: int = 0  # findings introduced, resolved or reopened (``app.events``)


@dataclass(frozen=True, slots=True)
class AdvisoryUpdate:
    fetched: FetchResult
    imported: AdvisoryImport | None  # None when no export changed since the last update


def import_advisory_paths(
    services: Services,
    paths: Sequence[Path],
    *,
    kind: str | None = None,
    location: str | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> AdvisoryImport:
    """Import OSV directories and zips in one transaction, as one source named
    ``location`` (by default, the paths).

    Files that cannot be read are skipped and named; when not one record could be read
    (a corrupt download, an empty directory), raises InputError and writes nothing.
    """
    skipped: list[CpstrustError] = []
    location = location or ", ".join(str(p.resolve()) for p in paths)
    kind = kind or ("zip" if all(p.suffix == ".zip" for p in paths) else "directory")
    at = datetime.now(UTC)
    with services.store.transaction() as session:
        source = advisory_store.source_id(session, location, kind, at)
        result = _import_records(session, _parsed(paths, limits, skipped), source, at, progress)
        if result.records_read == 0:
            raise _nothing_read(location, skipped)
        finding_counts.recount(session, sorted(findings_store.follow_aliases(session)))
        reevaluation, events = None, 0
        if result.changed_keys:
            rows = findings_store.components_with_keys(session, result.changed_keys)
            watch = FindingWatch(session, sorted({release_id for _, release_id, *_ in rows}))
            reevaluation = evaluate_components(session, rows, at, services.advisory_cache)
            events = record_events(session, watch, (), Cause(CauseKind.ADVISORIES, location),
                                   at)
    return AdvisoryImport(result, tuple(skipped), reevaluation, events)


def update_from_osv(
    services: Services,
    base_url: str,
    ecosystems: Sequence[str],
    *,
    allow_insecure_http: bool = False,
    progress: Callable[[str, int, int | None], None] | None = None,
    import_progress: Callable[[], Progress] | None = None,
) -> AdvisoryUpdate:
    """Fetch OSV's per-ecosystem exports (conditionally, into the cache directory) and
    import the ones that changed. ``progress`` follows the downloads; ``import_progress``
    makes the counter of records read, once there is something to import."""
    fetched = fetch_exports(base_url, ecosystems, services.cache_dir / "osv", progress=progress,
                            allow_insecure_http=allow_insecure_http)
    changed = [e.path for e in fetched.exports if e.status == "updated"]
    if not changed:
        return AdvisoryUpdate(fetched, None)
    counter = import_progress() if import_progress else None
    return AdvisoryUpdate(fetched, import_advisory_paths(services, changed, kind="download",
                                                         progress=counter))


def vulndb_status(services: Services) -> VulndbStatus:
    """The sources imported, and how many advisories, vulnerabilities and packages."""
    with services.store.transaction() as session:
        return advisory_store.status(session)


def has_advisories(services: Services) -> bool:
    """Whether anything was imported: an empty database must not pass for a clean scan."""
    with services.store.transaction() as session:
        return advisory_store.any_advisory(session)


def _import_records(session: Session, records: Iterable[ParsedAdvisory], source: int,
                    at: datetime, progress: Progress | None) -> ImportResult:
    known = advisory_store.stored_versions(session)
    before = advisory_store.advisory_generation(session)
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
        written = advisory_store.write_advisory(session, record, digest, source,
                                                replaces=stored is not None)
        result.changed_keys.update(written.keys)
        result.unknown_ecosystem += written.unknown_ecosystem
        if stored is None:
            result.added += 1
        else:
            result.updated += 1
        result.withdrawn += advisory.withdrawn is not None
        known[advisory.id] = (digest, advisory.modified)
        if progress is not None:
            progress(count)
    advisory_store.record_source_import(session, source, records=count, newest_modified=newest,
                                        at=at)
    if result.added or result.updated:
        # A new advisory can join two groups that were apart (its aliases name both), so
        # the grouping is recomputed as a whole; findings then follow their ids.
        merged = merge_aliases(advisory_store.live_alias_records(session))
        advisory_store.save_vulnerabilities(session, merged, at)
    _compile_changed(session, result.changed_keys, before)  # for the scans to come
    return result


def _compile_changed(session: Session, changed: Iterable[PackageKey], before: str | None) -> None:
    """After an import (which moved the advisories from generation ``before`` to a new
    one, or left them as they were): compile the packages it changed, or every package
    when the records were not complete for ``before`` or were compiled by other code (an
    upgrade), and keep their records; nothing when they are complete already."""
    after = advisory_store.advisory_generation(session)
    fingerprint = index_fingerprint()
    state = advisory_store.compiled_state(session)
    if after is None or state == (after, fingerprint):
        return
    keys = set(changed)
    if state != (before, fingerprint):
        keys.update(advisory_store.package_keys(session))
    records: dict[PackageKey, bytes | None] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), _COMPILE_CHUNK):
        chunk = ordered[start : start + _COMPILE_CHUNK]
        found = advisory_store.affected_entries(session, chunk)
        for key in chunk:
            entries = found.get(key)
            records[key] = None if not entries else orjson.dumps(
                PackageIndex(key[0], entries, bisect_after=0).record())
    advisory_store.save_compiled(session, records, generation=after, fingerprint=fingerprint)


_COMPILE_CHUNK = 500


def _instant(timestamp: str) -> datetime:
    """RFC 3339 time as an aware datetime; unreadable times sort first (never win)."""
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _parsed(
    paths: Sequence[Path], limits: ReadLimits, skipped: list[CpstrustError]
) -> Iterator[ParsedAdvisory]:
    for raw in iter_advisory_files(paths, limits, on_error=skipped.append):
        try:
            yield ParsedAdvisory(
                read_osv(raw.data, source=raw.source, yaml=raw.yaml, limits=limits), raw.data
            )
        except InputError as exc:
            skipped.append(exc)


def _nothing_read(location: str, skipped: Sequence[CpstrustError]) -> InputError:
    if not skipped:
        return InputError("app_no_osv_records", source=location)
    return InputError("app_no_advisory_read", count=len(skipped), refused=_listed(skipped),
                      source=location)


def _listed(errors: Sequence[CpstrustError], most: int = 3) -> Message:
    """The first ``most`` errors, each with its file and place, as one message."""
    items = [e.told() for e in errors[:most]]
    listed = items[-1]
    for item in reversed(items[:-1]):
        listed = message("app_list_pair", first=item, rest=listed)
    return message("app_list_more", shown=listed) if len(errors) > most else listed

