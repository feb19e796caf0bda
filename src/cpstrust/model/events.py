"""Events: what a change to the stored data did to the findings, for people to hear of.

A change (an advisory import, a VEX document, a new SBOM, a re-scan, a licence policy
set or cleared) moves findings along their one lifecycle (``model.lifecycle``).
Comparing the findings of the releases it touched before and after the change, each
keyed by release, component purl and vulnerability (or licence rule), gives the
transitions a user must hear of:

- **introduced**: a finding standing (open or accepted) that did not exist before;
- **reopened**: standing again after it was resolved (fixed or not affected);
- **resolved**: standing before, now fixed or not affected, or gone with its component.

Anything else (a person accepting a finding, a severity revised, a finding born
resolved because a stored VEX statement decides it at once) is no event. Comparing the
states rather than recording each step is what keeps a replaced SBOM, whose findings are
dropped and found again, from announcing every one of them anew.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.model.advisory import Severity
from cpstrust.model.finding import FindingKind, FindingStatus


class EventKind(StrEnum):
    INTRODUCED = "introduced"
    RESOLVED = "resolved"
    REOPENED = "reopened"


class CauseKind(StrEnum):
    """What changed: the cause an event names."""

    ADVISORIES = "advisories"  # an advisory import or update
    VEX = "vex"  # a VEX document imported
    SBOM = "sbom"  # an SBOM stored for a release (new or replacing)
    RESCAN = "rescan"  # stored releases scanned again (`scan --product`, `--all`)
    POLICY = "policy"  # the stored licence policy set, changed or cleared
    OT = "ot"  # OT traffic analysed: a capture, a live interface, an inventory


@dataclass(frozen=True, slots=True)
class Cause:
    kind: CauseKind
    reference: str  # which one: the advisory source, the VEX document, the SBOM's or
    # the licence policy's digest


# Statuses of a finding that still stands: nobody has decided it away.
STANDING = frozenset({FindingStatus.OPEN, FindingStatus.ACCEPTED})

# Release id, component purl, and the finding's id: a vulnerability's, or a licence
# finding's rule id (``model.licence_findings``), which no vulnerability id can equal.
FindingKey = tuple[int, str, str]


@dataclass(frozen=True, slots=True)
class FindingState:
    """A stored finding as events speak of it."""

    finding_id: int
    release_id: int
    product: str
    version: str
    purl: str
    vulnerability_id: str
    aliases: tuple[str, ...]
    severity: Severity
    status: FindingStatus
    kind: FindingKind = FindingKind.VULNERABILITY
    licence: str | None = None  # a licence finding's licence
    # An OT finding (kind "ot") names its kind in ``vulnerability_id``, its key in ``purl``
    # and its device (or site) in ``product`` (``release_id`` 0 when it has no device).

    @property
    def key(self) -> FindingKey:
        return (self.release_id, self.purl, self.vulnerability_id)


@dataclass(frozen=True, slots=True)
class FindingChange:
    """One transition: ``finding`` as it is now (as it was, when it is gone)."""

    kind: EventKind
    finding: FindingState
    old_status: FindingStatus | None  # None: it did not exist
    new_status: FindingStatus | None  # None: it is gone (its component left the SBOM)


@dataclass(frozen=True, slots=True)
class Event:
    """A stored event: a change, when it was recorded, and what caused it."""

    id: int
    at: datetime
    change: FindingChange
    cause: Cause


@dataclass(frozen=True, slots=True)
class EventSelection:
    """Which events: after an id or from a time, of some kinds, of one product."""

    after_id: int = 0
    since: datetime | None = None
    kinds: tuple[EventKind, ...] = ()
    product: str | None = None


def by_key(states: Iterable[FindingState]) -> dict[FindingKey, FindingState]:
    """States by key. A purl written twice in one SBOM gives two findings of one key:
    the standing one speaks for both (the vulnerability is there while either stands)."""
    out: dict[FindingKey, FindingState] = {}
    for state in states:
        kept = out.get(state.key)
        if kept is None or (state.status in STANDING and kept.status not in STANDING):
            out[state.key] = state
    return out


def finding_changes(before: Mapping[FindingKey, FindingState],
                    after: Mapping[FindingKey, FindingState]) -> list[FindingChange]:
    """The transitions from ``before`` to ``after``, ordered by release, purl and
    vulnerability so that a change's events read in a stable order."""
    changes: list[FindingChange] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        change = _transition(old, new)
        if change is not None:
            changes.append(change)
    return changes


def _transition(old: FindingState | None, new: FindingState | None) -> FindingChange | None:
    was = old is not None and old.status in STANDING
    if new is not None and new.status in STANDING and not was:
        kind = EventKind.INTRODUCED if old is None else EventKind.REOPENED
        return FindingChange(kind, new, old.status if old else None, new.status)
    if old is not None and was and (new is None or new.status not in STANDING):
        return FindingChange(EventKind.RESOLVED, new or old, old.status,
                             new.status if new else None)
    return None
