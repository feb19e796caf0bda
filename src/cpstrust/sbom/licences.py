"""Each component's licence against a policy.

The licence a component is distributed under is its concluded licence where the SBOM
gives one (SPDX licenseConcluded, CycloneDX 1.6 acknowledgement "concluded"), else the
declared one, else whatever licences it lists; several listed licences all apply (AND),
since nothing says the user may choose among them. The expression is read with
license-expression against the SPDX list: an OR leaves the choice to the user, so it
takes the best decision of its operands; an AND takes the worst. A licence is decided by
the policy's entry for it (for ``id WITH exception`` the entry for the whole, else for
the id), else by its ScanCode LicenseDB category, else by the policy's default; a
licence no index knows (free text, a LicenseRef) by ``unknown``, a component that gives
none by ``missing``. Each verdict names the scope of the rule that decided it (the
policy's base, or the overrides of the product's organisation or of the product:
``model.licence.effective_policy``).

A conflict rule of the policy is met when one component carries a licence of its first
side and a component (the same or another) one of its second. A component carries a
licence its expression requires whatever the choice: every licence of an AND, and of an
OR only those all its alternatives carry, since the user may choose the alternative that
avoids the conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseWithExceptionSymbol,
    Licensing,
    get_spdx_licensing,
)

from cpstrust.model.licence import (
    CATEGORY_PREFIX,
    ComponentLicences,
    Decision,
    EffectivePolicy,
    LicenceCategory,
    LicenceConflict,
    LicencePolicy,
    LicenceReport,
    LicenceVerdict,
    PolicyScope,
    Rule,
    Ruling,
    effective_policy,
)
from cpstrust.model.sbom import ComponentFacts, Sbom, SbomComponent

Categories = Mapping[str, LicenceCategory]  # SPDX id -> category (formats.licensedb)


def check_licences(sbom: Sbom, policy: LicencePolicy, categories: Categories,
                   product: str | None = None, organisation: str | None = None,
                   ) -> LicenceReport:
    """Every component but file entries, decided by ``policy`` as it applies to
    ``product`` supplied by ``organisation`` (None: not known), and the conflicts."""
    return LicenceJudge(effective_policy(policy, product, organisation), categories).check(sbom)


class ScopedJudges:
    """A policy document's judges, one per set of overrides that applies: products
    that no override names share the base's judge and its cache of judged texts."""

    def __init__(self, policy: LicencePolicy, categories: Categories) -> None:
        self.policy = policy
        self.categories = categories
        self._judges: dict[tuple[object, ...], LicenceJudge] = {}

    def judge(self, product: str | None, organisation: str | None) -> LicenceJudge:
        """The judge of a product supplied by ``organisation`` (None: not known)."""
        scopes = self.policy.scopes_for(product, organisation)
        judge = self._judges.get(scopes)
        if judge is None:
            judge = self._judges[scopes] = LicenceJudge(
                effective_policy(self.policy, product, organisation), self.categories)
        return judge


class LicenceJudge:
    """A policy applied to SBOM after SBOM. Components written alike are judged once:
    a portfolio holds a million components but a few hundred distinct licence texts, and
    parsing one takes ~15 µs, so a policy over every stored release is mostly lookups."""

    def __init__(self, policy: EffectivePolicy, categories: Categories) -> None:
        self.policy = policy
        self.categories = categories
        self._judged: dict[tuple[str, ...], _Judged] = {}
        self._carried: dict[tuple[str, ...], frozenset[str]] = {}

    def check(self, sbom: Sbom) -> LicenceReport:
        """Every component of ``sbom`` but file entries, and the conflicts."""
        facts = sbom.facts.components if sbom.facts is not None else {}
        packages = [c for c in sbom.components if c.type != "file"]
        written = [tuple(_written(c, facts.get(c.ref))) for c in packages]
        decided = tuple(ComponentLicences(c.ref, c.name, c.version, c.purl, *self._judge(w))
                        for c, w in zip(packages, written, strict=True))
        if not self.policy.conflicts:
            return LicenceReport(decided)
        carried = {c.ref: self._carry(w) for c, w in zip(packages, written, strict=True)}
        return LicenceReport(decided, tuple(_conflicts(self.policy, carried, self.categories)))

    def _judge(self, written: tuple[str, ...]) -> _Judged:
        judged = self._judged.get(written)
        if judged is None:
            judged = self._judged[written] = _judge(written, self.policy, self.categories)
        return judged

    def _carry(self, written: tuple[str, ...]) -> frozenset[str]:
        carried = self._carried.get(written)
        if carried is None:
            carried = self._carried[written] = _carried(written)
        return carried


# ComponentLicences' fields after ref, name, version and purl: expression, decision,
# verdicts, problem, causes, missing_scope.
_Judged = tuple[str | None, Decision, tuple[LicenceVerdict, ...], str | None,
                tuple[LicenceVerdict, ...], PolicyScope | None]


@cache
def _spdx_licensing() -> Licensing:
    """Built once: get_spdx_licensing() builds a new one each call (~13 ms, and cycles a
    command, which runs without the cyclic collector, never frees), and two calls per
    component made a 10,000-component SBOM's licences take minutes and gigabytes."""
    return get_spdx_licensing()


def _carried(written: Sequence[str]) -> frozenset[str]:
    """The licences a component carries whatever it chooses (see the module's note)."""
    if not written:
        return frozenset()
    text = " AND ".join(f"({w})" if len(written) > 1 else w for w in written)
    try:
        return _required(_spdx_licensing().parse(text, validate=False))
    except ExpressionError:
        return frozenset()


def _required(expression: object) -> frozenset[str]:
    if isinstance(expression, AND):
        return frozenset().union(*(_required(a) for a in expression.args))
    if isinstance(expression, OR):
        return frozenset.intersection(*(_required(a) for a in expression.args))
    return frozenset({str(expression)})


def _conflicts(policy: EffectivePolicy, carried: Mapping[str, frozenset[str]],
               categories: Categories) -> list[LicenceConflict]:
    found = []
    for rule in policy.conflicts:
        first, second = (tuple(ref for ref, licences in carried.items()
                               if any(_is(side, lic, categories) for lic in licences))
                         for side in rule.between)
        if first and second:
            found.append(LicenceConflict(rule, first, second))
    return found


def _is(side: str, licence: str, categories: Categories) -> bool:
    """Whether ``licence`` is what a conflict rule's ``side`` names."""
    key = licence.partition(" WITH ")[0]
    if side.startswith(CATEGORY_PREFIX):
        return categories.get(key) == side[len(CATEGORY_PREFIX):]
    return side in (licence, key)


def _judge(written: Sequence[str], policy: EffectivePolicy, categories: Categories,
           ) -> _Judged:
    if not written:
        return None, policy.missing.decision, (), None, (), policy.missing.scope
    text = " AND ".join(f"({w})" if len(written) > 1 else w for w in written)
    try:
        parsed = _spdx_licensing().parse(text, validate=False)
    except ExpressionError as exc:
        verdict = LicenceVerdict(text, None, policy.unknown.decision, Rule.UNKNOWN,
                                 policy.unknown.scope)
        return text, verdict.decision, (verdict,), str(exc), (verdict,), None
    verdicts: list[LicenceVerdict] = []
    decision, causes = _decide(parsed, policy, categories, verdicts)
    return str(parsed), decision, tuple(verdicts), None, causes, None


def _written(component: SbomComponent, facts: ComponentFacts | None) -> Sequence[str]:
    if facts is not None and (facts.concluded_licences or facts.declared_licences):
        return facts.concluded_licences or facts.declared_licences
    return component.licenses


def _decide(expression: object, policy: EffectivePolicy, categories: Categories,
            verdicts: list[LicenceVerdict]) -> tuple[Decision, tuple[LicenceVerdict, ...]]:
    """The decision of an expression and the verdicts that make it; each licence's
    verdict is added to ``verdicts``."""
    if isinstance(expression, OR | AND):
        parts = [_decide(a, policy, categories, verdicts) for a in expression.args]
        pick = min if isinstance(expression, OR) else max
        decision = pick((d for d, _ in parts), key=lambda d: d.rank)
        return decision, tuple(v for d, causes in parts if d is decision for v in causes)
    verdict = _licence(expression, policy, categories)
    verdicts.append(verdict)
    return verdict.decision, (verdict,)


def _licence(symbol: object, policy: EffectivePolicy, categories: Categories,
             ) -> LicenceVerdict:
    whole = str(symbol)
    key = str(symbol.license_symbol) if isinstance(symbol, LicenseWithExceptionSymbol) \
        else whole
    category = categories.get(key)
    for name in (whole, key):
        if name in policy.licences:
            return _verdict(whole, category, policy.licences[name], Rule.LICENCE)
    if category is None:
        return _verdict(whole, None, policy.unknown, Rule.UNKNOWN)
    if category in policy.categories:
        return _verdict(whole, category, policy.categories[category], Rule.CATEGORY)
    return _verdict(whole, category, policy.default, Rule.DEFAULT)


def _verdict(licence: str, category: LicenceCategory | None, ruling: Ruling,
             rule: Rule) -> LicenceVerdict:
    return LicenceVerdict(licence, category, ruling.decision, rule, ruling.scope)
