"""Events of findings: every change that can move findings (advisories, VEX, SBOMs,
re-scans, the licence policy) records the findings it introduced, resolved or reopened, in its own
transaction, as the durable outbox the sinks deliver from (``app.event_delivery``).

A use case takes a ``FindingWatch`` of the releases it may touch before changing
anything, and ``record_events`` after: the two states are compared (``model.events``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from cpstrust.app.services import Services
from cpstrust.model.events import (
    Cause,
    Event,
    EventSelection,
    FindingChange,
    FindingKey,
    FindingState,
    by_key,
    finding_changes,
)
from cpstrust.model.finding import FindingKind
from cpstrust.store import finding_counts
from cpstrust.store.events import (
    events_after,
    finding_states,
    save_events,
    save_introduced,
)

# Events one listing reads at most; `events` pages on with its cursor.
LISTING_LIMIT = 10_000


class FindingWatch:
    """The findings of some releases before a change: of one ``kind`` when the change
    can move no other (a licence policy leaves millions of vulnerability findings)."""

    def __init__(self, session: Session, release_ids: Sequence[int],
                 kind: FindingKind | None = None) -> None:
        self.release_ids = tuple(release_ids)
        self.kind = kind
        self.before: dict[FindingKey, FindingState] = by_key(
            finding_states(session, release_ids, kind))


def record_events(session: Session, watch: FindingWatch, release_ids: Sequence[int],
                  cause: Cause | Mapping[int, Cause], at: datetime) -> int:
    """Write the events of the change since ``watch`` to the findings of ``release_ids``
    (and of the releases watched), each naming ``cause`` (or its release's, for a batch
    of SBOMs); how many. Their kept counts (``store.finding_counts``) follow too: every
    use case that moves findings records its events here."""
    had_findings = {release_id for release_id, _, _ in watch.before}
    touched = sorted({*watch.release_ids, *release_ids})
    finding_counts.recount(session, touched)
    # Releases with no findings before: each standing finding is new, which the store
    # writes without comparing (a batch of new SBOMs brings millions).
    fresh = [r for r in touched if r not in had_findings]
    written = sum(save_introduced(session, ids, its_cause, at, watch.kind)
                  for its_cause, ids in _by_cause(fresh, cause).items())
    after = by_key(finding_states(session, [r for r in touched if r in had_findings],
                                  watch.kind))
    changes = finding_changes(watch.before, after)
    by_release: dict[int, list[FindingChange]] = {}
    for change in changes:
        by_release.setdefault(change.finding.release_id, []).append(change)
    for its_cause, ids in _by_cause(sorted(by_release), cause).items():
        save_events(session, [c for r in ids for c in by_release[r]], its_cause, at)
    return written + len(changes)


def _by_cause(release_ids: Sequence[int],
              cause: Cause | Mapping[int, Cause]) -> dict[Cause, list[int]]:
    if isinstance(cause, Cause):
        return {cause: list(release_ids)} if release_ids else {}
    grouped: dict[Cause, list[int]] = {}
    for release_id in release_ids:
        grouped.setdefault(cause[release_id], []).append(release_id)
    return grouped


def list_events(services: Services, which: EventSelection = EventSelection(),
                limit: int = LISTING_LIMIT) -> list[Event]:
    """Stored events of ``which``, oldest first."""
    with services.store.transaction() as session:
        return events_after(session, which, limit)
