"""Assessment answer files, YAML or CSV (the README shows both with a complete example).

Read strictly, since an answer file becomes signed evidence: a key written twice, a
field or column nobody defined, a status that is not one of the predicate's, a maturity
outside 1-5, a requirement answered twice in the file, and any size over the limits are
refused, naming the file and the place (JSON pointer for YAML, line for CSV). Whether a
requirement belongs to the questionnaire and whether evidence files exist is the
application layer's to check, with the places given here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import pointer
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import ReadLimits
from cpstrust.model.orgevidence import RequirementStatus

ANSWER_FILE_VERSION = "1"
FIELDS = ("requirement", "status", "note", "maturity", "evidence")
_TOP_FIELDS = frozenset({"version", "profile", "organisation", "answers"})
_MATURITY = re.compile(r"[1-5]")
CSV_EVIDENCE_SEPARATOR = ";"
_Placer = Callable[[str], str]  # the place of a field of an entry


@dataclass(frozen=True, slots=True)
class AnswerLimits:
    read: ReadLimits = field(default_factory=lambda: ReadLimits(
        max_bytes=4 * 1024**2, max_depth=8, max_string=8192))
    max_entries: int = 10_000
    max_note: int = 4000  # characters
    max_evidence: int = 20  # files per answer


DEFAULT_ANSWER_LIMITS = AnswerLimits()


@dataclass(frozen=True, slots=True)
class AnswerEntry:
    requirement: str  # as written: a label or a control id
    status: RequirementStatus
    note: str | None
    maturity: int | None
    evidence: tuple[str, ...]  # paths as written
    place: str  # "/answers/3" or "line 4"


@dataclass(frozen=True, slots=True)
class AnswerFile:
    profile: str | None  # the catalogue or profile the file says it answers
    organisation: str | None
    entries: tuple[AnswerEntry, ...]


def read_answer_file(data: bytes, *, source: str, csv_file: bool,
                     limits: AnswerLimits = DEFAULT_ANSWER_LIMITS) -> AnswerFile:
    """The answers in ``data``; ``InputError`` naming ``source`` and the place."""
    if len(data) > limits.read.max_bytes:
        raise LimitExceededError("input_file_over_limit", size=len(data),
                                 limit=limits.read.max_bytes, source=source)
    try:
        answers = _read_csv(data, limits) if csv_file else _read_yaml(data, source, limits)
        _refuse_repeats(answers.entries)
    except InputError as exc:
        raise exc.with_source(source) from None
    return answers


def _read_yaml(data: bytes, source: str, limits: AnswerLimits) -> AnswerFile:
    tree = load_yaml_file(data, source=source, limits=limits.read,
                          too_large="input_file_over_limit", not_yaml="answers_not_yaml")
    if not isinstance(tree, dict):
        raise InputError("answers_not_mapping", location="/")
    _known_fields(tree, _TOP_FIELDS, ())
    if tree.get("version") != ANSWER_FILE_VERSION:
        raise InputError("answers_bad_version", version=str(tree.get("version")),
                         expected=ANSWER_FILE_VERSION, location="/version")
    answers = tree.get("answers")
    if not isinstance(answers, list):
        raise InputError("answers_no_list", location="/answers")
    if len(answers) > limits.max_entries:
        raise LimitExceededError("answers_too_many", limit=limits.max_entries,
                                 location="/answers")
    entries = tuple(_yaml_entry(entry, ("answers", i), limits) for i, entry in enumerate(answers))
    return AnswerFile(_optional_text(tree, "profile", ()),
                      _optional_text(tree, "organisation", ()), entries)


def _yaml_entry(entry: object, path: tuple[str | int, ...], limits: AnswerLimits,
                ) -> AnswerEntry:
    if not isinstance(entry, dict):
        raise InputError("answers_entry_not_mapping", location=pointer(path))
    _known_fields(entry, frozenset(FIELDS), path)
    evidence = entry.get("evidence")
    if evidence is None:
        paths: tuple[str, ...] = ()
    elif isinstance(evidence, list) and all(isinstance(p, str) and p for p in evidence):
        paths = tuple(evidence)
    else:
        raise InputError("answers_bad_evidence", location=pointer((*path, "evidence")))
    return _entry(_required_text(entry, "requirement", path), entry.get("status"),
                  _optional_text(entry, "note", path), entry.get("maturity"), paths,
                  pointer(path), lambda field: pointer((*path, field)), limits)


def _read_csv(data: bytes, limits: AnswerLimits) -> AnswerFile:
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet's UTF-8 starts with a BOM
    except UnicodeDecodeError as exc:
        raise InputError("answers_csv_not_utf8", offset=exc.start) from None
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise InputError("answers_csv_no_header", location="line 1")
        columns = _csv_columns(header)
        entries = tuple(_csv_entries(rows, columns, limits))
    except csv.Error as exc:
        raise InputError("answers_csv_malformed", detail=str(exc),
                         location=f"line {rows.line_num}") from None
    return AnswerFile(None, None, entries)


def _csv_columns(header: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in header]
    for i, column in enumerate(columns):
        if column not in FIELDS:
            raise InputError("answers_unknown_field", field=header[i],
                             allowed=", ".join(FIELDS), location="line 1")
        if column in columns[:i]:
            raise InputError("answers_csv_duplicate_column", column=column, location="line 1")
    for needed in ("requirement", "status"):
        if needed not in columns:
            raise InputError("answers_csv_missing_column", column=needed, location="line 1")
    return columns


def _csv_entries(rows: Iterator[list[str]], columns: list[str],
                 limits: AnswerLimits) -> Iterator[AnswerEntry]:
    count = 0
    for row in rows:
        line = f"line {rows.line_num}"  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > limits.max_entries:
            raise LimitExceededError("answers_too_many", limit=limits.max_entries, location=line)
        if len(row) != len(columns):
            raise InputError("answers_csv_field_count", found=len(row), expected=len(columns),
                             location=line)
        cells = {c: v.strip() for c, v in zip(columns, row, strict=True)}
        if not cells["requirement"]:
            raise InputError("answers_missing_field", field="requirement", location=line)
        evidence = tuple(p.strip() for p in cells.get("evidence", "").split(
            CSV_EVIDENCE_SEPARATOR) if p.strip())
        yield _entry(cells["requirement"], cells["status"] or None,
                     cells.get("note") or None, cells.get("maturity") or None, evidence,
                     line, _line_place(line), limits)


def _line_place(line: str) -> _Placer:
    return lambda field: f"{line}, {field}"


def _entry(requirement: str, status: object, note: str | None, maturity: object,
           evidence: tuple[str, ...], place: str, field_place: _Placer,
           limits: AnswerLimits) -> AnswerEntry:
    if note is not None and len(note) > limits.max_note:
        raise LimitExceededError("answers_note_too_long", limit=limits.max_note,
                                 location=field_place("note"))
    if len(evidence) > limits.max_evidence:
        raise LimitExceededError("answers_too_much_evidence", limit=limits.max_evidence,
                                 location=field_place("evidence"))
    return AnswerEntry(requirement, _status(status, field_place("status")), note,
                       _maturity(maturity, field_place("maturity")), evidence, place)


def _status(value: object, place: str) -> RequirementStatus:
    allowed = ", ".join(s.value for s in RequirementStatus)
    if value is None:
        raise InputError("answers_missing_field", field="status", location=place)
    try:
        return RequirementStatus(str(value))
    except ValueError:
        raise InputError("answers_bad_status", status=str(value), allowed=allowed,
                         location=place) from None


def _maturity(value: object, place: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _MATURITY.fullmatch(value):
        raise InputError("answers_bad_maturity", maturity=str(value), location=place)
    return int(value)


def _known_fields(tree: dict[str, object], known: frozenset[str],
                  path: tuple[str | int, ...]) -> None:
    for key in tree:
        if key not in known:
            raise InputError("answers_unknown_field", field=key, allowed=", ".join(sorted(known)),
                             location=pointer((*path, key)))


def _required_text(tree: dict[str, object], key: str, path: tuple[str | int, ...]) -> str:
    value = _optional_text(tree, key, path)
    if value is None:
        raise InputError("answers_missing_field", field=key, location=pointer((*path, key)))
    return value


def _optional_text(tree: dict[str, object], key: str,
                   path: tuple[str | int, ...]) -> str | None:
    value = tree.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InputError("answers_not_text", field=key, location=pointer((*path, key)))
    return value.strip()


def _refuse_repeats(entries: tuple[AnswerEntry, ...]) -> None:
    first: dict[str, str] = {}
    for entry in entries:
        key = entry.requirement.upper()
        if key in first:
            raise InputError("answers_duplicate_requirement", requirement=entry.requirement,
                             first=first[key], location=entry.place)
        first[key] = entry.place
