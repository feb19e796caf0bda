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


CATEGORY_PREFIX = "category:"  # a conflict side naming a category, not a licence


@dataclass(frozen=True, slots=True)
class ConflictRule:
    """Two licences that must not meet in one product: each side an SPDX id (or
    ``id WITH exception``) or a ``category:<category>``; ``decision`` is review or deny."""

    between: tuple[str, str]
    decision: Decision = Decision.REVIEW
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class LicencePolicy:
    """Decisions by licence id (or ``id WITH exception``), else by category, else the
    default; and for components without a licence, or with one no index knows; and the
    combinations that conflict within one product."""

    licences: Mapping[str, Decision] = field(default_factory=dict)  # normalised ids
    categories: Mapping[LicenceCategory, Decision] = field(default_factory=dict)
    default: Decision = Decision.REVIEW
    missing: Decision = Decision.REVIEW
    unknown: Decision = Decision.REVIEW
    conflicts: tuple[ConflictRule, ...] = ()


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
    # The verdicts that make the decision (of an OR, those of its best choices; of an
    # AND, those of its worst parts): what a licence finding names.
    causes: tuple[LicenceVerdict, ...] = ()


@dataclass(frozen=True, slots=True)
class LicenceConflict:
    """A conflict rule met in one product: the components on each side (by ref)."""

    rule: ConflictRule
    first: tuple[str, ...]
    second: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenceReport:
    components: tuple[ComponentLicences, ...]
    conflicts: tuple[LicenceConflict, ...] = ()

    def count(self, decision: Decision) -> int:
        return sum(1 for c in self.components if c.decision == decision)

    @property
    def denied(self) -> int:
        """Components denied, and conflicts the policy denies: what fails a check."""
        return self.count(Decision.DENY) + sum(
            1 for c in self.conflicts if c.rule.decision is Decision.DENY)
