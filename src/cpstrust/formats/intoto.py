"""in-toto Statements (https://github.com/in-toto/attestation, spec v1).

Read only after the envelope's signature verified: the payload is untrusted until then.
Statement v0.1 is read too, since in-toto tools of the 2.x/3.x line still write it.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.evidence import Statement, Subject

STATEMENT_V1 = "https://in-toto.io/Statement/v1"
STATEMENT_V01 = "https://in-toto.io/Statement/v0.1"
MAX_SUBJECTS = 1_000_000
_HEX = re.compile(r"[0-9a-f]+")
_UNNAMED = frozenset({"", "_"})
# Digest lengths in hex for the algorithms we compare; others are kept but unchecked.
_DIGEST_HEX_LENGTH = {"sha256": 64, "sha384": 96, "sha512": 128, "sha1": 40}


def write_statement(statement: Statement) -> bytes:
    return orjson.dumps(
        {
            "_type": STATEMENT_V1,
            "subject": [{"name": s.name, "digest": dict(s.digest)} for s in statement.subjects],
            "predicateType": statement.predicate_type,
            "predicate": dict(statement.predicate),
        }
    )


def read_statement(payload: bytes, source: str = "<statement>") -> Statement:
    """The Statement of a payload whose signature verified; ``InputError`` names the
    place of the first problem: a key named twice, a subject named twice, a bad shape."""
    document = parse_json_strict(payload, source)
    if not isinstance(document, dict):
        raise InputError("intoto_statement_not_object", source=source)
    kind = document.get("_type")
    if kind not in (STATEMENT_V1, STATEMENT_V01):
        raise InputError("intoto_wrong_type", kind=kind, source=source, location="/_type")
    subjects = document.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise InputError("intoto_no_subject", source=source, location="/subject")
    if len(subjects) > MAX_SUBJECTS:
        raise LimitExceededError("intoto_too_many_subjects", count=len(subjects),
                                 limit=MAX_SUBJECTS, source=source, location="/subject")
    predicate_type = document.get("predicateType")
    if not isinstance(predicate_type, str) or not predicate_type:
        raise InputError("intoto_predicate_type_missing", source=source,
                         location="/predicateType")
    predicate = document.get("predicate", {})
    if not isinstance(predicate, dict):
        raise InputError("intoto_predicate_not_object", source=source, location="/predicate")
    return Statement(
        subjects=_subjects(subjects, source),
        predicate_type=predicate_type,
        predicate=predicate,
    )


def _subjects(items: list[Any], source: str) -> tuple[Subject, ...]:
    """Each subject named once: under one name with two digests, a Statement would
    vouch for either file. The spec lets a subject go unnamed, as "" or "_"."""
    subjects = tuple(_subject(s, i, source) for i, s in enumerate(items))
    seen: set[str] = set()
    for index, subject in enumerate(subjects):
        if subject.name in seen:
            raise InputError("intoto_subject_named_twice", name=subject.name, source=source,
                             location=f"/subject/{index}/name")
        if subject.name not in _UNNAMED:
            seen.add(subject.name)
    return subjects


def _subject(item: Any, index: int, source: str) -> Subject:
    where = f"/subject/{index}"
    if not isinstance(item, dict):
        raise InputError("intoto_subject_not_object", source=source, location=where)
    name = item.get("name", "")
    digest = item.get("digest")
    if not isinstance(name, str) or not isinstance(digest, dict) or not digest:
        raise InputError("intoto_subject_incomplete", source=source, location=where)
    return Subject(name=name, digest=read_digest(digest, source, where + "/digest"))


def read_digest(digest: dict[str, Any], source: str, where: str) -> dict[str, str]:
    """A DigestSet: algorithm -> lowercase hex, lengths checked for the known algorithms."""
    checked: dict[str, str] = {}
    for algorithm, value in digest.items():
        if not isinstance(value, str):
            raise InputError("intoto_digest_not_string", algorithm=algorithm, source=source,
                             location=f"{where}/{algorithm}")
        expected = _DIGEST_HEX_LENGTH.get(algorithm)
        if expected is not None and (len(value) != expected or not _HEX.fullmatch(value)):
            raise InputError("intoto_digest_wrong_length", algorithm=algorithm, length=expected,
                             source=source, location=f"{where}/{algorithm}")
        checked[algorithm] = value
    return checked
