"""Licences against a policy (``licenses check``): what each component's licence
expression decides, why, and which part of the policy (its base, or the overrides for
an organisation or a product) decided it."""

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


class ScopeKind(StrEnum):
    """Where in a policy document a rule is written."""

    BASE = "base"
    ORGANISATION = "organisation"
    PRODUCT = "product"


@dataclass(frozen=True, slots=True)
class PolicyScope:
    """The part of a policy a rule comes from: the base, or the overrides written for
    one organisation or one product (then ``name`` is its name)."""

    kind: ScopeKind
    name: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is ScopeKind.BASE) != (self.name is None):
            raise ValueError(f"a {self.kind.value} scope {'takes no' if self.name else 'needs a'}"
                             " name")

    def __str__(self) -> str:
        return self.kind.value if self.name is None else f"{self.kind.value} {self.name}"


BASE_SCOPE = PolicyScope(ScopeKind.BASE)


@dataclass(frozen=True, slots=True)
class ConflictRule:
    """Two licences that must not meet in one product: each side an SPDX id (or
    ``id WITH exception``) or a ``category:<category>``; ``decision`` is review or deny
    (allow only in an override: it lifts a broader scope's rule between the same sides)."""

    between: tuple[str, str]
    decision: Decision = Decision.REVIEW
    reason: str | None = None
    scope: PolicyScope = BASE_SCOPE

    @property
    def sides(self) -> frozenset[str]:
        """What makes two rules the same rule: their sides, in either order."""
        return frozenset(self.between)


@dataclass(frozen=True, slots=True)
class PolicyOverride:
    """A partial policy for one organisation or product, layered over the broader
    scopes: each licence, category and decision it gives replaces theirs; its conflict
    rules are added to theirs (one between the same sides replaces theirs)."""

    licences: Mapping[str, Decision] = field(default_factory=dict)  # normalised ids
    categories: Mapping[LicenceCategory, Decision] = field(default_factory=dict)
    default: Decision | None = None
    missing: Decision | None = None
    unknown: Decision | None = None
    conflicts: tuple[ConflictRule, ...] = ()


@dataclass(frozen=True, slots=True)
class LicencePolicy:
    """Decisions by licence id (or ``id WITH exception``), else by category, else the
    default; and for components without a licence, or with one no index knows; and the
    combinations that conflict within one product. ``organisations`` and ``products``
    override it by name (``effective_policy``)."""

    licences: Mapping[str, Decision] = field(default_factory=dict)  # normalised ids
    categories: Mapping[LicenceCategory, Decision] = field(default_factory=dict)
    default: Decision = Decision.REVIEW
    missing: Decision = Decision.REVIEW
    unknown: Decision = Decision.REVIEW
    conflicts: tuple[ConflictRule, ...] = ()
    organisations: Mapping[str, PolicyOverride] = field(default_factory=dict)
    products: Mapping[str, PolicyOverride] = field(default_factory=dict)

    def scopes_for(self, product: str | None, organisation: str | None,
                   ) -> tuple[PolicyScope, ...]:
        """The overrides that apply to a product of ``organisation``, broadest first."""
        found = []
        if organisation is not None and organisation in self.organisations:
            found.append(PolicyScope(ScopeKind.ORGANISATION, organisation))
        if product is not None and product in self.products:
            found.append(PolicyScope(ScopeKind.PRODUCT, product))
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Ruling:
    """A decision and the scope whose rule gave it."""

    decision: Decision
    scope: PolicyScope


@dataclass(frozen=True, slots=True)
class EffectivePolicy:
    """The policy that applies to one product: the base with the overrides of its
    organisation, then of the product, layered over it; each rule with its scope."""

    licences: Mapping[str, Ruling]
    categories: Mapping[LicenceCategory, Ruling]
    default: Ruling
    missing: Ruling
    unknown: Ruling
    conflicts: tuple[ConflictRule, ...]  # each carries its scope


def effective_policy(policy: LicencePolicy, product: str | None = None,
                     organisation: str | None = None) -> EffectivePolicy:
    """``policy`` as it applies to ``product`` supplied by ``organisation`` (either None:
    not known, its overrides not applied): the product's overrides over the
    organisation's over the base, key by key; conflict rules added, a narrower rule
    between the same sides replacing a broader one, and one that allows lifting it."""
    licences = {k: Ruling(d, BASE_SCOPE) for k, d in policy.licences.items()}
    categories = {k: Ruling(d, BASE_SCOPE) for k, d in policy.categories.items()}
    default, missing, unknown = (Ruling(d, BASE_SCOPE) for d in
                                 (policy.default, policy.missing, policy.unknown))
    conflicts = {rule.sides: rule for rule in policy.conflicts}
    for scope in policy.scopes_for(product, organisation):
        layer = (policy.organisations if scope.kind is ScopeKind.ORGANISATION
                 else policy.products)[str(scope.name)]
        licences |= {k: Ruling(d, scope) for k, d in layer.licences.items()}
        categories |= {k: Ruling(d, scope) for k, d in layer.categories.items()}
        default = Ruling(layer.default, scope) if layer.default is not None else default
        missing = Ruling(layer.missing, scope) if layer.missing is not None else missing
        unknown = Ruling(layer.unknown, scope) if layer.unknown is not None else unknown
        for rule in layer.conflicts:
            conflicts.pop(rule.sides, None)  # the narrower rule takes the broader's place
            conflicts[rule.sides] = rule
    return EffectivePolicy(licences, categories, default, missing, unknown,
                           tuple(r for r in conflicts.values()
                                 if r.decision is not Decision.ALLOW))


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
    scope: PolicyScope  # whose rule decided: the base, an organisation's, a product's


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
    # The scope of ``missing`` when the component gives no licence (it has no verdict).
    missing_scope: PolicyScope | None = None

    @property
    def scopes(self) -> tuple[PolicyScope, ...]:
        """The scopes whose rules make the decision."""
        if self.missing_scope is not None:
            return (self.missing_scope,)
        return tuple(dict.fromkeys(v.scope for v in self.causes))


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
