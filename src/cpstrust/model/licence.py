"""Licences against a policy (``licenses check``): what each component's licence
expression decides, and why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class LicenceCategory(StrEnum):
    """The categories of the ScanCode LicenseDB, which classifies ~2,600 licences (the
    index license-expression ships), spelled as policy keys."""

    PERMISSIVE = "permissive"
    PUBLIC_DOMAIN = "public-domain"
    COPYLEFT_LIMITED = "copyleft-limited"  # weak copyleft: LGPL, MPL, EPL, ...
    COPYLEFT = "copyleft"  # strong copyleft: GPL, AGPL, ...
    COMMERCIAL = "commercial"
    PROPRIETARY_FREE = "proprietary-free"
    FREE_RESTRICTED = "free-restricted"
    SOURCE_AVAILABLE = "source-available"
    PATENT_LICENSE = "patent-license"
    CLA = "cla"
    UNSTATED_LICENSE = "unstated-license"


class Decision(StrEnum):
    """What a policy says of a licence; a worse decision sorts after a better one."""

    ALLOW = "allow"
    REVIEW = "review"
    DENY = "deny"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Decision.ALLOW: 0, Decision.REVIEW: 1, Decision.DENY: 2}


@dataclass(frozen=True, slots=True)
class LicencePolicy:
    """Decisions by licence id (or ``id WITH exception``), else by category, else the
    default; and for components without a licence, or with one no index knows."""

    licences: Mapping[str, Decision] = field(default_factory=dict)  # normalised ids
    categories: Mapping[LicenceCategory, Decision] = field(default_factory=dict)
    default: Decision = Decision.REVIEW
    missing: Decision = Decision.REVIEW
    unknown: Decision = Decision.REVIEW


class Rule(StrEnum):
    """Which part of the policy decided."""

    LICENCE = "licenses"
    CATEGORY = "categories"
    DEFAULT = "default"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LicenceVerdict:
    """One licence of an expression, decided."""

    licence: str  # normalised SPDX id, "id WITH exception", LicenseRef-..., or as written
    category: LicenceCategory | None  # None: no index knows it
    decision: Decision
    rule: Rule


@dataclass(frozen=True, slots=True)
class ComponentLicences:
    """A component's licence expression and what the policy decides of it: OR takes
    the best choice, AND the worst part."""

    ref: str
    name: str
    version: str | None
    purl: str | None
    expression: str | None  # normalised; None when the component gives no licence
    decision: Decision
    verdicts: tuple[LicenceVerdict, ...]
    problem: str | None = None  # why the expression could not be read, as written


@dataclass(frozen=True, slots=True)
class LicenceReport:
    components: tuple[ComponentLicences, ...]

    def count(self, decision: Decision) -> int:
        return sum(1 for c in self.components if c.decision == decision)
