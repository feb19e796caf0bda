"""Scoring an organisation's answers, as pure functions.

Rules: a requirement nobody answered is ``unanswered``; a ★ level is attained when every
requirement of its profile is met or not applicable, and only when every level below it
is (the levels nest, ★3 ⊂ ★4 ⊂ ★5, which the catalogues check); the gaps that block the
next level are its requirements in any other status. The plan takes every gap up to the
highest level: the nearer level first, then what is cheapest to close (a question not
yet answered, then a measure partly in place, then one missing), then catalogue order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from cpstrust.model.assessment import (
    SATISFIED,
    Action,
    Answer,
    AssessmentScore,
    Gap,
    ItemMaturity,
    PlanStep,
    StarStanding,
)
from cpstrust.model.orgevidence import RequirementStatus

_ACTION = {RequirementStatus.UNANSWERED: Action.ANSWER,
           RequirementStatus.PARTIALLY_MET: Action.COMPLETE,
           RequirementStatus.NOT_MET: Action.IMPLEMENT}
_ACTION_ORDER = {Action.ANSWER: 0, Action.COMPLETE: 1, Action.IMPLEMENT: 2}


def statuses_of(labels: Sequence[str], answers: Mapping[str, Answer],
                ) -> dict[str, RequirementStatus]:
    """The status of each requirement in ``labels``: its answer's, else unanswered."""
    return {label: answers[label].status if label in answers else RequirementStatus.UNANSWERED
            for label in labels}


def star_standing(levels: Mapping[int, frozenset[str]],
                  statuses: Mapping[str, RequirementStatus],
                  order: Sequence[str] = ()) -> StarStanding:
    """The highest level attained, the next one and its gaps (in ``order``, the
    catalogue's, then by label)."""
    attained: int | None = None
    next_level: int | None = None
    gaps: tuple[Gap, ...] = ()
    for level in sorted(levels):
        missing = _unsatisfied(levels[level], statuses)
        if missing:
            next_level = level
            gaps = tuple(Gap(r, statuses.get(r, RequirementStatus.UNANSWERED), level)
                         for r in _ordered(missing, order))
            break
        attained = level
    return StarStanding(
        attained=attained, next_level=next_level, gaps=gaps,
        satisfied={lv: len(reqs) - len(_unsatisfied(reqs, statuses))
                   for lv, reqs in levels.items()},
        required={lv: len(reqs) for lv, reqs in levels.items()})


def plan_of_action(levels: Mapping[int, frozenset[str]],
                   statuses: Mapping[str, RequirementStatus],
                   order: Sequence[str] = ()) -> tuple[PlanStep, ...]:
    """Every gap up to the highest level, each once at the lowest level needing it,
    ordered as the module says."""
    position = {label: i for i, label in enumerate(order)}
    seen: set[str] = set()
    gaps: list[Gap] = []
    for level in sorted(levels):
        for requirement in sorted(_unsatisfied(levels[level], statuses) - seen):
            seen.add(requirement)
            gaps.append(Gap(requirement, statuses.get(requirement, RequirementStatus.UNANSWERED),
                            level))
    gaps.sort(key=lambda g: (g.level, _ACTION_ORDER[_ACTION[g.status]],
                             position.get(g.requirement, len(position)), g.requirement))
    return tuple(PlanStep(i, g, _ACTION[g.status]) for i, g in enumerate(gaps, start=1))


def item_maturity(items: Sequence[str], answers: Mapping[str, Answer],
                  averages: Mapping[str, float]) -> tuple[ItemMaturity, ...]:
    """Each item's maturity as answered, with its industry average when given."""
    return tuple(ItemMaturity(item, answers[item].maturity if item in answers else None,
                              averages.get(item)) for item in items)


def score(asked: Sequence[str], answers: Mapping[str, Answer],
          levels: Mapping[int, frozenset[str]], items: Sequence[str],
          averages: Mapping[str, float]) -> AssessmentScore:
    """Everything the report says of the answers: ``asked`` are the labels of the
    questions put (in order), ``items`` the management guideline's."""
    statuses = statuses_of(asked, answers)
    # The ★ levels count the answers to their requirements wherever they were given.
    standing_statuses = {**statuses_of(sorted(set().union(*levels.values())), answers),
                         **statuses}
    counts = Counter(statuses.values())
    return AssessmentScore(
        statuses=statuses,
        counts={s: counts.get(s, 0) for s in RequirementStatus},
        maturity=item_maturity(items, answers, averages),
        star=star_standing(levels, standing_statuses, asked),
        plan=plan_of_action(levels, standing_statuses, asked))


def _unsatisfied(requirements: frozenset[str],
                 statuses: Mapping[str, RequirementStatus]) -> frozenset[str]:
    return frozenset(r for r in requirements
                     if statuses.get(r, RequirementStatus.UNANSWERED) not in SATISFIED)


def _ordered(labels: frozenset[str], order: Sequence[str]) -> list[str]:
    position = {label: i for i, label in enumerate(order)}
    return sorted(labels, key=lambda r: (position.get(r, len(position)), r))
