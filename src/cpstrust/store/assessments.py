"""Stored assessments and answers: loads and saves, no rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from cpstrust.model.assessment import Answer, AssessmentRun, Attachment
from cpstrust.model.orgevidence import RequirementStatus
from cpstrust.store.tables import (
    AssessmentAnswerRow,
    AssessmentAttachmentRow,
    AssessmentRow,
    table_of,
)
from cpstrust.timeutil import as_utc


def touch_assessment(session: Session, organisation: str, source: str, at: datetime) -> None:
    """Record that ``organisation`` is assessed against ``source`` (started now, or
    updated now)."""
    row = session.scalars(select(AssessmentRow).where(
        AssessmentRow.organisation == organisation, AssessmentRow.source == source)).first()
    if row is None:
        session.add(AssessmentRow(organisation=organisation, source=source, started_at=at,
                                  updated_at=at))
    else:
        row.updated_at = at
    session.flush()


def assessment_runs(session: Session, organisation: str) -> list[AssessmentRun]:
    rows = session.scalars(select(AssessmentRow).where(
        AssessmentRow.organisation == organisation).order_by(AssessmentRow.id))
    return [AssessmentRun(r.organisation, r.source, as_utc(r.started_at), as_utc(r.updated_at))
            for r in rows]


def save_answers(session: Session, organisation: str,
                 answers: Iterable[tuple[str, Answer]], at: datetime) -> None:
    """Keep each (catalogue, answer), replacing that requirement's earlier answer and
    its evidence files."""
    for catalog, answer in answers:
        key = (organisation, catalog, answer.requirement)
        session.execute(delete(AssessmentAttachmentRow).where(
            AssessmentAttachmentRow.organisation == organisation,
            AssessmentAttachmentRow.catalog == catalog,
            AssessmentAttachmentRow.requirement == answer.requirement))
        row = session.get(AssessmentAnswerRow, key)
        if row is None:
            row = AssessmentAnswerRow(organisation=organisation, catalog=catalog,
                                      requirement=answer.requirement)
            session.add(row)
        row.status = answer.status.value
        row.note = answer.note
        row.maturity = answer.maturity
        row.answered_at = at
        session.flush()
        if answer.attachments:
            session.execute(insert(table_of(AssessmentAttachmentRow)), [
                {"organisation": organisation, "catalog": catalog,
                 "requirement": answer.requirement, "position": i, "path": a.path,
                 "sha256": a.sha256, "size": a.size}
                for i, a in enumerate(answer.attachments)])


def answers_of(session: Session, organisation: str) -> dict[tuple[str, str], Answer]:
    """(catalogue, label) -> the organisation's answer, with its evidence files."""
    files: dict[tuple[str, str], list[Attachment]] = {}
    for a in session.scalars(select(AssessmentAttachmentRow).where(
            AssessmentAttachmentRow.organisation == organisation).order_by(
            AssessmentAttachmentRow.catalog, AssessmentAttachmentRow.requirement,
            AssessmentAttachmentRow.position)):
        files.setdefault((a.catalog, a.requirement), []).append(
            Attachment(a.path, a.sha256, a.size))
    return {(r.catalog, r.requirement): Answer(
                r.requirement, RequirementStatus(r.status), r.note, r.maturity,
                tuple(files.get((r.catalog, r.requirement), ())))
            for r in session.scalars(select(AssessmentAnswerRow).where(
                AssessmentAnswerRow.organisation == organisation))}
