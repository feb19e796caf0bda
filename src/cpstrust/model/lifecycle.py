"""One finding lifecycle for every engine: what a new observation does to the findings
already kept.

An engine observes what is wrong now (the vulnerabilities matching a component, the
files of a device differing from their reference, later licences, VEX and OT alerts);
``reconcile`` compares that with the findings kept, each keyed by what it is about:

- observed and not kept: **opened**;
- observed and kept: **refreshed** (severity, details, last seen) keeping its status,
  because a person's decision (accepted, not affected, fixed) stands; but a finding the
  engine itself resolved earlier is **reopened**: the problem is back;
- kept and not observed: while open or accepted, **resolved** by the engine with the
  resolution the engine names (an image file back to its reference is fixed; an advisory
  no longer matching leaves the component not affected); a person's decision stands.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from cpstrust.model.finding import FindingStatus

K = TypeVar("K", bound=Hashable)

# Statuses the engine may still change by itself: nobody has decided the finding away.
_UNRESOLVED = frozenset({FindingStatus.OPEN, FindingStatus.ACCEPTED})


class Decider(StrEnum):
    """Who set a finding's status last."""

    ENGINE = "engine"
    PERSON = "person"
    VEX = "vex"  # a supplier's VEX statement: it stands as a person's decision does


@dataclass(frozen=True, slots=True)
class KeptFinding:
    """What the lifecycle needs to know of a stored finding."""

    status: FindingStatus
    decided_by: Decider


@dataclass(frozen=True, slots=True)
class Reconciliation(Generic[K]):
    """What to do with each finding, by key; every observed key is in exactly one of
    ``opened``, ``refreshed`` and ``reopened``."""

    opened: tuple[K, ...]
    refreshed: tuple[K, ...]  # kept: status unchanged
    reopened: tuple[K, ...]  # resolved by the engine before, observed again: open
    resolved: tuple[K, ...]  # unresolved, no longer observed: to the engine's resolution


def reconcile(kept: Mapping[K, KeptFinding], observed: Iterable[K]) -> Reconciliation[K]:
    """The lifecycle's decisions for ``observed`` (in their order, once each) against
    ``kept``."""
    opened: list[K] = []
    refreshed: list[K] = []
    reopened: list[K] = []
    seen: set[K] = set()
    for key in observed:
        if key in seen:
            continue
        seen.add(key)
        finding = kept.get(key)
        if finding is None:
            opened.append(key)
        elif finding.decided_by is Decider.ENGINE and finding.status not in _UNRESOLVED:
            reopened.append(key)
        else:
            refreshed.append(key)
    resolved = tuple(key for key, finding in kept.items()
                     if key not in seen and finding.status in _UNRESOLVED)
    return Reconciliation(tuple(opened), tuple(refreshed), tuple(reopened), resolved)
