"""Assessments: the questionnaire of a stored catalogue or profile, answered one question
at a time (each answer its own transaction, so that a session stopped anywhere resumes
where it stopped) or from an answer file (checked whole, then stored in one transaction:
a bad file stores nothing).

An organisation's answers are kept per requirement, not per questionnaire: answering
★4 after ★3 asks only what ★3 did not. Evidence files are hashed (SHA-256) and their size
and path kept; the files themselves stay where they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cpstrust.app.catalogs import MANAGEMENT_GUIDELINE, control_set
from cpstrust.app.services import Services
from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.answer_file import AnswerEntry, read_answer_file
from cpstrust.formats.files import read_limited, sha256_file
from cpstrust.limits import ReadLimits
from cpstrust.model.assessment import Answer, Attachment, Question, Questionnaire
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.store.assessments import answers_of, save_answers, touch_assessment

MAX_EVIDENCE_BYTES = 64 * 1024**2  # one evidence file: documents, not disk images
ANSWER_FILE_LIMITS = ReadLimits(max_bytes=4 * 1024**2)
_CSV_SUFFIXES = (".csv",)


@dataclass(frozen=True, slots=True)
class AssessmentState:
    """A questionnaire with the organisation's answers to it so far (by label)."""

    organisation: str
    questionnaire: Questionnaire
    answers: Mapping[str, Answer]

    @property
    def pending(self) -> tuple[Question, ...]:
        """The questions still to answer, in order."""
        return tuple(q for q in self.questionnaire.questions
                     if self.answers.get(q.label) is None
                     or self.answers[q.label].status is RequirementStatus.UNANSWERED)


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    """An answer as a person gives it: evidence as paths, not yet hashed."""

    requirement: str  # label or control id
    status: RequirementStatus
    note: str | None = None
    maturity: int | None = None
    evidence: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class AnswersImported:
    state: AssessmentState
    stored: int  # answers written from the file


def questionnaire(services: Services, source: str) -> Questionnaire:
    """The questions of the stored catalogue or profile ``source``; the management
    guideline's items also ask a maturity level."""
    found = control_set(services, source)
    return Questionnaire(source, found.document.title, tuple(
        Question(f.catalog, f.requirement, f.catalog == MANAGEMENT_GUIDELINE)
        for f in found.items))


def open_assessment(services: Services, organisation: str, source: str,
                    at: datetime) -> AssessmentState:
    """Start (or resume) assessing ``organisation`` against ``source``."""
    asked = questionnaire(services, source)
    with services.store.transaction() as session:
        touch_assessment(session, organisation, source, at)
        held = answers_of(session, organisation)
    return AssessmentState(organisation, asked, _answers_to(asked, held))


def answer(services: Services, state: AssessmentState, given: GivenAnswer,
           at: datetime) -> AssessmentState:
    """Keep one answer now, in its own transaction; the state with it."""
    question = _question(state.questionnaire, given.requirement, "-")
    kept = _answer(question, given.status, given.note, given.maturity,
                   tuple(_attachment(p, str(p), "-") for p in given.evidence), "-")
    with services.store.transaction() as session:
        save_answers(session, state.organisation, [(question.catalog, kept)], at)
        touch_assessment(session, state.organisation, state.questionnaire.source, at)
    return AssessmentState(state.organisation, state.questionnaire,
                           {**state.answers, question.label: kept})


def import_answers(services: Services, organisation: str, source: str, path: Path,
                   at: datetime) -> AnswersImported:
    """Keep the answers of the file at ``path`` (YAML, or CSV by extension), all or none.
    Evidence paths are relative to the file's directory."""
    data = read_limited(path, ANSWER_FILE_LIMITS)
    where = str(path)
    read = read_answer_file(data, source=where, csv_file=path.suffix.lower() in _CSV_SUFFIXES)
    if read.profile is not None and read.profile != source:
        raise InputError("assess_file_other_source", found=read.profile, expected=source,
                         source=where, location="/profile")
    if read.organisation is not None and read.organisation != organisation:
        raise InputError("assess_file_other_organisation", found=read.organisation,
                         expected=organisation, source=where, location="/organisation")
    asked = questionnaire(services, source)
    kept = _file_answers(asked, read.entries, path)
    with services.store.transaction() as session:
        touch_assessment(session, organisation, source, at)
        save_answers(session, organisation, kept, at)
        held = answers_of(session, organisation)
    return AnswersImported(AssessmentState(organisation, asked, _answers_to(asked, held)),
                           len(kept))


def _file_answers(asked: Questionnaire, entries: Sequence[AnswerEntry],
                  path: Path) -> list[tuple[str, Answer]]:
    """Each entry checked against the questionnaire and its evidence hashed, before
    anything is stored."""
    where = str(path)
    first: dict[str, str] = {}
    kept = []
    for entry in entries:
        question = _question(asked, entry.requirement, entry.place, where)
        if question.label in first:  # its label and its id both given
            raise InputError("answers_duplicate_requirement", requirement=entry.requirement,
                             first=first[question.label], source=where, location=entry.place)
        first[question.label] = entry.place
        files = tuple(_attachment(path.parent / p, where, entry.place) for p in entry.evidence)
        kept.append((question.catalog, _answer(question, entry.status, entry.note,
                                               entry.maturity, files, entry.place, where)))
    return kept


def _question(asked: Questionnaire, key: str, place: str,
              source: str | None = None) -> Question:
    question = asked.by_key().get(key.strip().upper())
    if question is None:
        raise InputError("assess_unknown_requirement", requirement=key,
                         questionnaire=asked.source, source=source, location=place)
    return question


def _answer(question: Question, status: RequirementStatus, note: str | None,
            maturity: int | None, files: tuple[Attachment, ...], place: str,
            source: str | None = None) -> Answer:
    if maturity is not None and not question.maturity:
        raise InputError("assess_maturity_not_asked", requirement=question.label,
                         source=source, location=place)
    return Answer(question.label, status, note or None, maturity, files)


def _attachment(path: Path, source: str, place: str) -> Attachment:
    """An evidence file hashed, refused when it is missing, not a file or too large."""
    try:
        if not path.is_file():
            raise InputError("assess_evidence_missing", file=str(path), source=source,
                             location=place)
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise LimitExceededError("assess_evidence_too_large", file=str(path), size=size,
                                     limit=MAX_EVIDENCE_BYTES, source=source, location=place)
        return Attachment(str(path.resolve()), sha256_file(path), size)
    except OSError as exc:
        raise InputError("assess_evidence_unreadable", file=str(path),
                         reason=exc.strerror or str(exc), source=source,
                         location=place) from None


def _answers_to(asked: Questionnaire,
                held: Mapping[tuple[str, str], Answer]) -> dict[str, Answer]:
    return {q.label: held[(q.catalog, q.label)] for q in asked.questions
            if (q.catalog, q.label) in held}
