"""Answer files, YAML and CSV: what they say, and every bad-input class refused with the
file and the place."""

from __future__ import annotations

import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.answer_file import AnswerLimits, read_answer_file
from cpstrust.formats.industry_average import read_industry_averages
from cpstrust.limits import ReadLimits
from cpstrust.model.orgevidence import RequirementStatus

YAML = b"""\
version: 1
profile: cpsf-star3
organisation: Hokuriku Controls
answers:
  - requirement: CPS.AM-1
    status: met
    note: asset register reviewed quarterly
    evidence: [register.xlsx, review-2026.pdf]
  - requirement: "3"
    status: partially-met
    maturity: 2
"""

CSV = (b"\xef\xbb\xbfrequirement,status,note,maturity,evidence\r\n"
       b"CPS.AM-1,met,\"register, reviewed\",,register.xlsx;review.pdf\r\n"
       b"\r\n"
       b"3,not-applicable,,4,\r\n")


def _yaml(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read_answer_file(text.encode(), source="answers.yaml", csv_file=False)
    return caught.value


def _csv(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        read_answer_file(text.encode(), source="answers.csv", csv_file=True)
    return caught.value


def test_yaml_answers_are_read_with_their_places() -> None:
    read = read_answer_file(YAML, source="a.yaml", csv_file=False)
    assert (read.profile, read.organisation) == ("cpsf-star3", "Hokuriku Controls")
    first, second = read.entries
    assert (first.requirement, first.status, first.note, first.evidence, first.place) == (
        "CPS.AM-1", RequirementStatus.MET, "asset register reviewed quarterly",
        ("register.xlsx", "review-2026.pdf"), "/answers/0")
    assert (second.requirement, second.maturity, second.evidence) == ("3", 2, ())


def test_csv_answers_are_read_with_line_numbers_and_a_bom() -> None:
    read = read_answer_file(CSV, source="a.csv", csv_file=True)
    first, second = read.entries
    assert (first.note, first.evidence, first.place) == (
        "register, reviewed", ("register.xlsx", "review.pdf"), "line 2")
    assert (second.status, second.maturity, second.place) == (
        RequirementStatus.NOT_APPLICABLE, 4, "line 4")


@pytest.mark.parametrize(("text", "code", "location"), [
    ("version: 1\nanswers:\n  - {requirement: A, status: done}\n", "answers_bad_status",
     "/answers/0/status"),
    ("version: 1\nanswers:\n  - {requirement: A, status: met, maturity: 6}\n",
     "answers_bad_maturity", "/answers/0/maturity"),
    ("version: 1\nanswers:\n  - {requirement: A, status: met, maturity: '2.5'}\n",
     "answers_bad_maturity", "/answers/0/maturity"),
    ("version: 1\nanswers:\n  - {requirement: A, status: met}\n  - {requirement: a, status: "
     "not-met}\n", "answers_duplicate_requirement", "/answers/1"),
    ("version: 1\nanswers:\n  - {requirement: A, status: met, score: 3}\n",
     "answers_unknown_field", "/answers/0/score"),
    ("version: 1\nanswers:\n  - {requirement: A}\n", "answers_missing_field",
     "/answers/0/status"),
    ("version: 1\nanswers:\n  - {status: met}\n", "answers_missing_field",
     "/answers/0/requirement"),
    ("version: 1\nanswers:\n  - {requirement: A, status: met, evidence: a.pdf}\n",
     "answers_bad_evidence", "/answers/0/evidence"),
    ("version: 2\nanswers: []\n", "answers_bad_version", "/version"),
    ("version: 1\nanswers: {A: met}\n", "answers_no_list", "/answers"),
    ("version: 1\nanswers: []\nowner: me\n", "answers_unknown_field", "/owner"),
    ("- a\n", "answers_not_mapping", "/"),
])
def test_bad_yaml_is_refused_naming_the_file_and_pointer(text: str, code: str,
                                                         location: str) -> None:
    error = _yaml(text)
    assert (error.code, error.source, error.location) == (code, "answers.yaml", location)


def test_a_key_written_twice_in_yaml_is_refused_with_its_line() -> None:
    error = _yaml("version: 1\nanswers:\n  - requirement: A\n    status: met\n"
                  "    status: not-met\n")
    assert error.code == "answers_not_yaml" and error.source == "answers.yaml"
    assert error.location is not None and error.location.startswith("line 5")


@pytest.mark.parametrize(("text", "code", "location"), [
    ("requirement,status\nA,maybe\n", "answers_bad_status", "line 2, status"),
    ("requirement,status,maturity\nA,met,0\n", "answers_bad_maturity", "line 2, maturity"),
    ("requirement,status\nA,met\nB,met\na,not-met\n", "answers_duplicate_requirement",
     "line 4"),
    ("requirement,status,status\nA,met,met\n", "answers_csv_duplicate_column", "line 1"),
    ("requirement,state\nA,met\n", "answers_unknown_field", "line 1"),
    ("requirement,note\nA,x\n", "answers_csv_missing_column", "line 1"),
    ("requirement,status\nA,met,extra\n", "answers_csv_field_count", "line 2"),
    ("requirement,status\n,met\n", "answers_missing_field", "line 2"),
    ("", "answers_csv_no_header", "line 1"),
    ('requirement,status\nA,"met\n', "answers_csv_malformed", "line 2"),
])
def test_bad_csv_is_refused_naming_the_file_and_line(text: str, code: str,
                                                     location: str) -> None:
    error = _csv(text)
    assert (error.code, error.source, error.location) == (code, "answers.csv", location)


def test_csv_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_answer_file(b"requirement,status\n\xff,met\n", source="a.csv", csv_file=True)
    assert caught.value.code == "answers_csv_not_utf8"


def test_limits_on_size_entries_notes_and_evidence() -> None:
    small = AnswerLimits(read=ReadLimits(max_bytes=100), max_entries=1, max_note=5,
                         max_evidence=1)
    with pytest.raises(LimitExceededError):
        read_answer_file(b"x" * 101, source="a.yaml", csv_file=False, limits=small)
    with pytest.raises(LimitExceededError) as caught:
        read_answer_file(b"requirement,status\nA,met\nB,met\n", source="a.csv",
                         csv_file=True, limits=small)
    assert caught.value.location == "line 3"
    with pytest.raises(LimitExceededError):
        read_answer_file(b"requirement,status,note\nA,met,too long\n", source="a.csv",
                         csv_file=True, limits=small)
    with pytest.raises(LimitExceededError):
        read_answer_file(b"requirement,status,evidence\nA,met,a;b\n", source="a.csv",
                         csv_file=True, limits=small)


def test_industry_averages_from_yaml_and_csv() -> None:
    from_yaml = read_industry_averages(b"version: 1\naverages: {'1': 2.5, '2': '3'}\n",
                                       source="avg.yaml", csv_file=False)
    assert {k: v for k, (v, _) in from_yaml.items()} == {"1": 2.5, "2": 3.0}
    from_csv = read_industry_averages(b"item,average\n1,2.5\n10,5\n", source="avg.csv",
                                      csv_file=True)
    assert from_csv == {"1": (2.5, "line 2"), "10": (5.0, "line 3")}


@pytest.mark.parametrize(("data", "code"), [
    (b"item,average\n1,0.5\n", "averages_bad_value"),
    (b"item,average\n1,nan\n", "averages_bad_value"),
    (b"item,average\n1,2\n1,3\n", "averages_duplicate_item"),
    (b"item,mean\n1,2\n", "averages_bad_shape"),
])
def test_bad_industry_averages_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as caught:
        read_industry_averages(data, source="avg.csv", csv_file=True)
    assert caught.value.code == code and caught.value.source == "avg.csv"


def test_the_readme_examples_read_alike_as_yaml_and_csv() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme[readme.index("## Assessments"):]
    yaml_text = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    csv_text = section.split("```csv\n", 1)[1].split("```", 1)[0]
    from_yaml = read_answer_file(yaml_text.encode(), source="README", csv_file=False)
    from_csv = read_answer_file(csv_text.encode(), source="README", csv_file=True)
    assert from_yaml.profile == "cpsf-star3" and len(from_yaml.entries) == 4
    assert [(e.requirement, e.status, e.note, e.evidence) for e in from_yaml.entries] == [
        (e.requirement, e.status, e.note, e.evidence) for e in from_csv.entries]
