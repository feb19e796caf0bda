"""Scoring rules: statuses, ★ levels (nested, met or not applicable), the gaps that block
the next level, the plan's order, and the maturity of the items."""

from __future__ import annotations

from cpstrust.assess.scoring import (
    item_maturity,
    plan_of_action,
    score,
    star_standing,
    statuses_of,
)
from cpstrust.model.assessment import Action, Answer
from cpstrust.model.orgevidence import RequirementStatus as S

LEVELS = {3: frozenset({"A", "B"}), 4: frozenset({"A", "B", "C"}),
          5: frozenset({"A", "B", "C", "D", "E"})}
ORDER = ["A", "B", "C", "D", "E"]


def _answers(**statuses: S) -> dict[str, Answer]:
    return {label: Answer(label, status) for label, status in statuses.items()}


def test_a_requirement_nobody_answered_is_unanswered() -> None:
    assert statuses_of(["A", "B"], _answers(A=S.MET)) == {"A": S.MET, "B": S.UNANSWERED}


def test_a_level_is_attained_when_every_requirement_is_met_or_not_applicable() -> None:
    standing = star_standing(LEVELS, {"A": S.MET, "B": S.NOT_APPLICABLE}, ORDER)
    assert (standing.attained, standing.next_level) == (3, 4)
    assert [(g.requirement, g.status, g.level) for g in standing.gaps] == [
        ("C", S.UNANSWERED, 4)]
    assert standing.satisfied == {3: 2, 4: 2, 5: 2}
    assert standing.required == {3: 2, 4: 3, 5: 5}


def test_partially_met_does_not_count_toward_a_level() -> None:
    standing = star_standing(LEVELS, {"A": S.MET, "B": S.PARTIALLY_MET}, ORDER)
    assert standing.attained is None and standing.next_level == 3
    assert [g.requirement for g in standing.gaps] == ["B"]


def test_a_higher_level_is_not_attained_over_a_missing_lower_one() -> None:
    # Levels that (wrongly) did not nest: ★4's own requirements met, ★3's not.
    levels = {3: frozenset({"A"}), 4: frozenset({"B"})}
    standing = star_standing(levels, {"B": S.MET}, ORDER)
    assert standing.attained is None and standing.next_level == 3


def test_every_level_attained_leaves_no_gap_and_no_next_level() -> None:
    standing = star_standing(LEVELS, dict.fromkeys(ORDER, S.MET), ORDER)
    assert (standing.attained, standing.next_level, standing.gaps) == (5, None, ())
    assert plan_of_action(LEVELS, dict.fromkeys(ORDER, S.MET), ORDER) == ()


def test_gaps_follow_the_catalogue_order() -> None:
    standing = star_standing(LEVELS, {"B": S.NOT_MET, "A": S.NOT_MET}, ["B", "A"])
    assert [g.requirement for g in standing.gaps] == ["B", "A"]


def test_plan_takes_the_nearer_level_first_then_the_cheapest_action() -> None:
    statuses = {"A": S.NOT_MET, "B": S.PARTIALLY_MET, "C": S.NOT_MET, "D": S.PARTIALLY_MET}
    plan = plan_of_action(LEVELS, statuses, ORDER)
    assert [(p.position, p.gap.requirement, p.gap.level, p.action) for p in plan] == [
        (1, "B", 3, Action.COMPLETE), (2, "A", 3, Action.IMPLEMENT),
        (3, "C", 4, Action.IMPLEMENT),
        (4, "E", 5, Action.ANSWER), (5, "D", 5, Action.COMPLETE)]


def test_each_gap_is_planned_once_at_the_lowest_level_needing_it() -> None:
    plan = plan_of_action(LEVELS, {}, ORDER)
    assert [p.gap.requirement for p in plan] == ORDER
    assert [p.gap.level for p in plan] == [3, 3, 4, 5, 5]


def test_maturity_is_the_answer_level_with_the_average_when_given() -> None:
    answers = {"1": Answer("1", S.MET, maturity=4), "2": Answer("2", S.NOT_MET)}
    got = item_maturity(["1", "2", "3"], answers, {"1": 2.5})
    assert [(m.item, m.level, m.average) for m in got] == [
        ("1", 4, 2.5), ("2", None, None), ("3", None, None)]


def test_score_counts_statuses_of_the_questions_and_levels_from_all_answers() -> None:
    answers = _answers(A=S.MET, B=S.MET, C=S.NOT_MET, X=S.NOT_APPLICABLE)
    scored = score(["A", "X"], answers, LEVELS, ["1"], {})
    assert scored.statuses == {"A": S.MET, "X": S.NOT_APPLICABLE}
    assert scored.counts[S.MET] == 1 and scored.counts[S.NOT_APPLICABLE] == 1
    assert scored.counts[S.UNANSWERED] == 0
    # B was answered in another questionnaire: it still counts toward ★3.
    assert scored.star.attained == 3
    assert [g.requirement for g in scored.star.gaps] == ["C"]
