"""Findings: something wrong, found by an engine, with one lifecycle."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.advisory import Severity


class FindingStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    FIXED = "fixed"
    NOT_AFFECTED = "not_affected"


@dataclass(frozen=True, slots=True)
class VulnerabilityMatch:
    """A component matched by a vulnerability: the engine's output, before it is stored.

    ``vulnerability_id`` is the canonical id of the merged vulnerability (all its
    advisories' ids are in ``aliases``), so one vulnerability known under several ids
    is one match.
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
