"""Licence findings: what a licence report (``sbom.licences``) flags on each component,
as findings of kind ``licence`` that the one lifecycle (``model.lifecycle``) keeps.

A finding is keyed, as every finding is, by its component and a rule id in the finding's
id column (ADR 0015): ``licence-denied:GPL-3.0-only``, ``licence-review:LGPL-2.1-only``,
``licence-unknown:<text as written>``, ``licence-missing``, and
``licence-conflict:<side>+<side>`` on every component of either side. The id names the
licence, not only the decision: accepting a component's GPL-3.0-only does not accept the
MIT a later policy denies on it too. A re-evaluation under any policy observes the same
id again while the same licence is flagged the same way, so a person's decision stands.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from cpstrust.model.advisory import Severity
from cpstrust.model.licence import ComponentLicences, Decision, LicenceReport, Rule

# The id column's width (finding.vulnerability_id); a longer id is cut and hashed.
ID_LIMIT = 128
_SEVERITY = {Decision.DENY: Severity.HIGH, Decision.REVIEW: Severity.MEDIUM}


class LicenceRule(StrEnum):
    """Why a component's licence is a finding: the prefix of the finding's id."""

    DENIED = "licence-denied"
    REVIEW = "licence-review"
    UNKNOWN = "licence-unknown"  # a licence no index knows, or an unreadable expression
    MISSING = "licence-missing"  # the component gives no licence
    CONFLICT = "licence-conflict"  # a conflict rule of the policy met in the product


@dataclass(frozen=True, slots=True)
class LicenceProblem:
    """One licence finding the policy observes on a component (by its SBOM ref)."""

    component_ref: str
    rule: LicenceRule
    licence: str | None  # the licence, the text no index knows, or the rule's two sides
    decision: Decision

    @property
    def finding_id(self) -> str:
        """The id the finding is stored and found again under."""
        whole = self.rule.value if self.licence is None else f"{self.rule.value}:{self.licence}"
        if len(whole) <= ID_LIMIT:
            return whole
        digest = hashlib.sha256(whole.encode()).hexdigest()[:32]
        return f"{whole[:ID_LIMIT - 34]}#{digest}"  # still unique, still readable

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self.decision]


def licence_problems(report: LicenceReport) -> list[LicenceProblem]:
    """Every finding ``report`` gives: a component the policy does not allow, for each
    licence that makes its decision; and every component of a conflict met."""
    found = [p for c in report.components for p in _component_problems(c)]
    for conflict in report.conflicts:
        sides = "+".join(conflict.rule.between)
        for ref in dict.fromkeys((*conflict.first, *conflict.second)):
            found.append(LicenceProblem(ref, LicenceRule.CONFLICT, sides, conflict.rule.decision))
    return found


def _component_problems(component: ComponentLicences) -> Iterator[LicenceProblem]:
    if component.decision is Decision.ALLOW:
        return
    if component.expression is None:
        yield LicenceProblem(component.ref, LicenceRule.MISSING, None, component.decision)
        return
    for verdict in component.causes:
        if verdict.rule is Rule.UNKNOWN:
            rule = LicenceRule.UNKNOWN
        else:
            rule = LicenceRule.DENIED if verdict.decision is Decision.DENY else LicenceRule.REVIEW
        yield LicenceProblem(component.ref, rule, verdict.licence, verdict.decision)
