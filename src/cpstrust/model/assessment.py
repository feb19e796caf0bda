"""Assessments of an organisation against a catalogue or profile: the questionnaire it
answers, its answers (status, note, maturity, evidence files), and what scoring makes of
them (``assess.scoring``). No I/O here.

A requirement is named by its label (``CPS.AM-1``; the management guideline's items
``1`` to ``10``), as the signed assessment-result predicate names it; the statuses are
the predicate's (``RequirementStatus``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cpstrust.model.catalog import MaturityScale, Requirement
from cpstrust.model.orgevidence import RequirementStatus

MATURITY_LEVELS = (1, 2, 3, 4, 5)
# A requirement that counts toward a ★ level.
SATISFIED = frozenset({RequirementStatus.MET, RequirementStatus.NOT_APPLICABLE})


@dataclass(frozen=True, slots=True)
class Attachment:
    """An evidence file given with an answer: where it was, its SHA-256 and size."""

    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Answer:
    requirement: str  # label
    status: RequirementStatus
    note: str | None = None
    maturity: int | None = None  # 1-5, for the management guideline's items only
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    """One requirement to answer, from the catalogue that defines it; ``maturity`` when
    the answer also takes a maturity level (the management guideline's items)."""

    catalog: str
    requirement: Requirement
    maturity: bool

    @property
    def label(self) -> str:
        return self.requirement.label


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """The questions generated from a stored catalogue or profile, in its order."""

    source: str  # the stored catalogue or profile
    title: str
    questions: tuple[Question, ...]

    def by_key(self) -> dict[str, Question]:
        """Each question by its label and its control id, case folded."""
        keys: dict[str, Question] = {}
        for q in self.questions:
            keys[q.requirement.key] = q
            keys[q.requirement.id.upper()] = q
        return keys


class Action(StrEnum):
    """What closes a gap: answer the question, finish what is partly done, or put the
    measure in place."""

    ANSWER = "answer"
    COMPLETE = "complete"
    IMPLEMENT = "implement"


@dataclass(frozen=True, slots=True)
class Gap:
    """A requirement of ``level`` that is neither met nor not applicable."""

    requirement: str
    status: RequirementStatus
    level: int


@dataclass(frozen=True, slots=True)
class PlanStep:
    position: int  # 1 first
    gap: Gap
    action: Action


@dataclass(frozen=True, slots=True)
class ItemMaturity:
    """A management guideline item's maturity (None: not given) and, when the user gave
    one, the industry average it is drawn against."""

    item: str  # label, "1" to "10"
    level: int | None
    average: float | None


@dataclass(frozen=True, slots=True)
class StarStanding:
    """The ★ level attained (None: not even the lowest), the next one, and what keeps
    the organisation from it."""

    attained: int | None
    next_level: int | None
    gaps: tuple[Gap, ...]
    satisfied: Mapping[int, int]  # level -> requirements of it met or not applicable
    required: Mapping[int, int]  # level -> requirements of it


@dataclass(frozen=True, slots=True)
class AssessmentScore:
    statuses: Mapping[str, RequirementStatus]  # every requirement asked, by label
    counts: Mapping[RequirementStatus, int]
    maturity: tuple[ItemMaturity, ...]
    star: StarStanding
    plan: tuple[PlanStep, ...]


@dataclass(frozen=True, slots=True)
class AssessmentRun:
    """An organisation's assessment against one catalogue or profile."""

    organisation: str
    source: str
    started_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AssessmentReport:
    organisation: str
    generated_at: datetime
    runs: tuple[AssessmentRun, ...]
    questions: tuple[Question, ...]  # of every run, each once, in the runs' order
    answers: Mapping[str, Answer]  # by label
    items: tuple[Requirement, ...]  # the management guideline's ten
    maturity_scale: MaturityScale
    levels: Mapping[int, frozenset[str]]  # ★ level -> labels
    score: AssessmentScore
