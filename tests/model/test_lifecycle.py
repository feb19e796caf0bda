"""The one finding lifecycle, as a pure function: every engine's findings follow it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cpstrust.model.finding import FindingStatus
from cpstrust.model.lifecycle import Decider, KeptFinding, reconcile

S, D = FindingStatus, Decider


def test_an_observation_not_kept_is_opened() -> None:
    plan = reconcile({}, ["a", "b", "a"])
    assert (plan.opened, plan.refreshed, plan.reopened, plan.resolved) == (("a", "b"), (), (), ())


def test_a_persons_decision_stands_while_the_problem_is_still_observed() -> None:
    kept = {k: KeptFinding(status, D.PERSON)
            for k, status in (("acc", S.ACCEPTED), ("na", S.NOT_AFFECTED), ("fix", S.FIXED))}
    plan = reconcile(kept, ["acc", "na", "fix"])
    assert plan.refreshed == ("acc", "na", "fix")
    assert plan.reopened == plan.opened == plan.resolved == ()


def test_what_the_engine_resolved_reopens_when_observed_again() -> None:
    kept = {"fixed": KeptFinding(S.FIXED, D.ENGINE),
            "cleared": KeptFinding(S.NOT_AFFECTED, D.ENGINE),
            "open": KeptFinding(S.OPEN, D.ENGINE)}
    plan = reconcile(kept, ["fixed", "cleared", "open"])
    assert plan.reopened == ("fixed", "cleared")
    assert plan.refreshed == ("open",)


def test_open_and_accepted_findings_no_longer_observed_are_resolved() -> None:
    kept = {"open": KeptFinding(S.OPEN, D.ENGINE), "accepted": KeptFinding(S.ACCEPTED, D.PERSON),
            "decided": KeptFinding(S.NOT_AFFECTED, D.PERSON),
            "done": KeptFinding(S.FIXED, D.ENGINE)}
    assert reconcile(kept, []).resolved == ("open", "accepted")


_STATES = st.builds(KeptFinding, st.sampled_from(S), st.sampled_from(D))


@given(st.dictionaries(st.integers(0, 20), _STATES), st.lists(st.integers(0, 30)))
def test_every_key_is_decided_once_and_nothing_else_moves(
    kept: dict[int, KeptFinding], observed: list[int]
) -> None:
    plan = reconcile(kept, observed)
    acted = [*plan.opened, *plan.refreshed, *plan.reopened]
    assert sorted(acted) == sorted(set(observed))  # every observation once
    assert not set(plan.resolved) & set(observed)
    assert set(plan.opened) == set(observed) - set(kept)
    untouched = set(kept) - set(observed) - set(plan.resolved)
    assert all(kept[k].status in (S.FIXED, S.NOT_AFFECTED) for k in untouched)
