"""Findings: something wrong, found by an engine, with one lifecycle."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from cpstrust.model.advisory import Severity


class FindingStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    FIXED = "fixed"
    NOT_AFFECTED = "not_affected"


class FindingKind(StrEnum):
    """What engine a finding comes from (the ``kind`` of its row)."""

    VULNERABILITY = "vulnerability"  # an advisory matching a component's version
    LICENCE = "licence"  # the stored licence policy flagging a component's licence
    OT = "ot"  # OT traffic deviating from its baseline, or an unknown or missing device


class MatchStatus(StrEnum):
    """How a vulnerability was found to apply to a component's version."""

    AFFECTED = "affected"  # inside an affected range, or a listed version
    # Some range could not be evaluated: the component's version, or one of the range's
    # own boundaries, cannot be ordered in its ecosystem. Not known to be safe, so it is
    # reported, never dropped as "not affected".
    NOT_COMPARED = "not_compared"


class VulnerabilityMatch(NamedTuple):
    """A component matched by a vulnerability: the engine's output, before it is stored.

    ``vulnerability_id`` is the canonical id of the merged vulnerability (all its
    advisories' ids are in ``aliases``), so one vulnerability known under several ids
    is one match. A named tuple, not a frozen dataclass: scans make them by the tens of
    thousands, at ~0.3 µs each against ~1.7 µs.
    """

    component_ref: str
    purl: str
    name: str
    version: str
    ecosystem: str
    vulnerability_id: str
    aliases: tuple[str, ...]
    severity: Severity
    fixed_versions: tuple[str, ...]
    summary: str | None
    status: MatchStatus = MatchStatus.AFFECTED
