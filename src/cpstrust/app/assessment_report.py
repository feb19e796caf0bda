"""What an organisation's assessments come to: the report (statuses, maturity of the ten
items, ★ level, gaps, plan), its OSCAL exports, and the signed assessment result.

The ★ levels are the stored supply-chain security rating profiles (``level_sets``); the
ten items the management guideline's. An industry average for the radar chart is the
user's file; cpstrust ships none.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cpstrust.app.assessments import questionnaire
from cpstrust.app.catalogs import level_sets, list_catalogs, management_items
from cpstrust.app.services import Services
from cpstrust.assess.scoring import score, statuses_of
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.dsse import write_envelope
from cpstrust.formats.files import read_limited
from cpstrust.formats.industry_average import AVERAGES_LIMITS, read_industry_averages
from cpstrust.formats.intoto import write_statement
from cpstrust.formats.oscal_assessment import write_assessment_results, write_poam
from cpstrust.model.assessment import AssessmentReport, Question
from cpstrust.model.evidence import INTOTO_PAYLOAD_TYPE, Statement
from cpstrust.model.orgevidence import AssessmentResult, Validity
from cpstrust.store.assessments import answers_of, assessment_runs
from cpstrust.store.orgevidence import save_evidence
from cpstrust.trust.orgevidence import assessment_result_statement
from cpstrust.trust.verify import sign_envelope

DEFAULT_VALIDITY = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class SignedResult:
    id: int
    result: AssessmentResult
    envelope: bytes


def assessment_report(services: Services, organisation: str, at: datetime,
                      averages: Path | None = None) -> AssessmentReport:
    """Everything the organisation's assessments say; ``NotFoundError`` when it has none."""
    with services.store.transaction() as session:
        runs = tuple(assessment_runs(session, organisation))
        held = answers_of(session, organisation)
    if not runs:
        raise NotFoundError("assess_no_assessment", organisation=organisation)
    questions: dict[tuple[str, str], Question] = {}
    for run in runs:
        for q in questionnaire(services, run.source).questions:
            questions.setdefault((q.catalog, q.label), q)
    answers = {label: a for (_, label), a in held.items()}
    guideline = management_items(services)
    items = tuple(r.label for r in guideline.items)
    levels = level_sets(services)
    scored = score([q.label for q in questions.values()], answers, levels, items,
                   _averages(averages, items))
    return AssessmentReport(organisation, at, runs, tuple(questions.values()), answers,
                            guideline.items, guideline.maturity, levels, scored)


def sign_result(services: Services, organisation: str, *, key: str,
                secrets: Mapping[str, str], at: datetime, profile: str | None = None,
                expires_at: datetime | None = None) -> SignedResult:
    """Sign the organisation's result against ``profile`` (default: the one profile of
    the ★ scheme it was assessed against, the highest if several) with ``key`` and keep
    it with its other evidence, to be exported with `evidence export`."""
    at = at.replace(microsecond=0)
    result, statement = result_statement(services, organisation, at=at, profile=profile,
                                         expires_at=expires_at)
    with services.keyring.signer(key, secrets) as signer:
        envelope = write_envelope(sign_envelope(INTOTO_PAYLOAD_TYPE,
                                                write_statement(statement), [signer]))
        keyid = signer.record.keyid
    with services.store.transaction() as session:
        evidence_id = save_evidence(session, result, envelope, signer_keyids=[keyid],
                                    source=f"assessment signed with key {key}", received_at=at)
    return SignedResult(evidence_id, result, envelope)


def result_statement(services: Services, organisation: str, *, at: datetime,
                     profile: str | None = None, expires_at: datetime | None = None,
                     ) -> tuple[AssessmentResult, Statement]:
    """The organisation's assessment result against ``profile`` (see ``sign_result``)
    and the in-toto Statement to sign, checked against the profile's requirements."""
    report = assessment_report(services, organisation, at)
    stars = _star_profiles(services)
    source = profile or _result_profile(stars, report)
    asked = questionnaire(services, source)
    statuses = statuses_of([q.label for q in asked.questions], report.answers)
    run = next((r for r in report.runs if r.source == source), None)
    validity = Validity(issued_at=at, expires_at=expires_at or at + DEFAULT_VALIDITY)
    if validity.expires_at <= validity.issued_at:
        raise InputError("evidence_expires_before_issued", location="--expires")
    result = AssessmentResult(
        organisation=organisation, validity=validity, profile=source,
        assessed_at=(run.updated_at if run else at).replace(microsecond=0),
        star_level=_claimed(report.score.star.attained, stars.get(source)), statuses=statuses)
    return result, assessment_result_statement(result, {q.label for q in asked.questions})


def _star_profiles(services: Services) -> dict[str, int]:
    return {d.name: d.level for d in list_catalogs(services) if d.level is not None}


def _claimed(attained: int | None, profile_level: int | None) -> int | None:
    """The ★ a result against a profile claims: none for a profile outside the scheme,
    and never above the profile's own level (a ★3 questionnaire cannot show ★4)."""
    if attained is None or profile_level is None:
        return None
    return min(attained, profile_level)


def _result_profile(stars: Mapping[str, int], report: AssessmentReport) -> str:
    """The run to sign: the highest ★ profile assessed, else the only run."""
    starred = sorted((stars[r.source], r.source) for r in report.runs if r.source in stars)
    if starred:
        return starred[-1][1]
    if len(report.runs) == 1:
        return report.runs[0].source
    raise InputError("assess_which_profile",
                     profiles=", ".join(r.source for r in report.runs), location="--profile")


def _averages(path: Path | None, items: tuple[str, ...]) -> dict[str, float]:
    if path is None:
        return {}
    read = read_industry_averages(read_limited(path, AVERAGES_LIMITS), source=str(path),
                                  csv_file=path.suffix.lower() == ".csv")
    for item, (_, place) in read.items():
        if item not in items:
            raise InputError("averages_unknown_item", item=item, items=", ".join(items),
                             source=str(path), location=place)
    return {item: value for item, (value, _) in read.items()}


class OscalExport(StrEnum):
    ASSESSMENT_RESULTS = "assessment-results"
    POAM = "poam"


def export_oscal(services: Services, organisation: str, kind: OscalExport,
                 at: datetime) -> bytes:
    """The organisation's assessment as OSCAL assessment results, or its gaps as a
    POA&M (refused when there is no gap: OSCAL's POA&M needs an item)."""
    report = assessment_report(services, organisation, at)
    document = uuid.uuid4()
    if kind is OscalExport.ASSESSMENT_RESULTS:
        return write_assessment_results(report, document)
    if not report.score.plan:
        raise NotFoundError("assess_no_gaps", organisation=organisation)
    return write_poam(report, document)
