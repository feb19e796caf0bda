"""Measurement reports as in-toto Statements: round trip, the subject digest anyone can
recompute with sha256sum, and hostile reports refused at the place of the problem."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.attestation import (
    ATTESTATION_PREDICATE,
    ReportLimits,
    measurement_list_digest,
    read_report,
    write_report,
)
from cpstrust.formats.intoto import read_statement
from cpstrust.model.attestation import MeasurementList, MeasurementReport, ReleaseClaim

NONCE = "ab" * 32
FILES = {"bin/sh": "1" * 64, "etc/motd": "2" * 64, "usr/lib/libc.so.6": "3" * 64}


def sample() -> MeasurementReport:
    return MeasurementReport("gw-1", NONCE, datetime(2026, 11, 23, 12, 0, tzinfo=UTC), FILES,
                             measurement_list_digest(FILES), frozenset({"bin/sh"}),
                             {"lib": "usr/lib"}, ReleaseClaim("HC-Gateway", "3.4.0"))


def statement_json() -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads(write_report(sample()))
    return document


def read(document: dict[str, Any], **kwargs: Any) -> MeasurementReport:
    return read_report(read_statement(orjson.dumps(document)), "report.json", **kwargs)


def test_report_round_trips() -> None:
    document = statement_json()
    assert document["predicateType"] == ATTESTATION_PREDICATE
    assert document["subject"] == [{"name": "gw-1",
                                    "digest": {"sha256": measurement_list_digest(FILES)}}]
    assert document["predicate"]["measured_at"] == "2026-11-23T12:00:00Z"
    assert read(document) == sample()


def test_subject_digest_is_what_sha256sum_prints_for_the_sorted_files(tmp_path: Path) -> None:
    if shutil.which("sha256sum") is None:
        pytest.fail("sha256sum (coreutils) is missing")
    contents = {"usr/bin/z": b"z", "bin/a b": b"a", "etc/init.d/rc": b"#!/bin/sh\n"}
    for name, data in contents.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    listing = subprocess.run(["sha256sum", "--", *sorted(contents)], cwd=tmp_path,
                             capture_output=True, check=True).stdout
    measured = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    assert measurement_list_digest(measured) == hashlib.sha256(listing).hexdigest()


def test_report_equal_to_known_measurements_is_read_without_item_checks() -> None:
    known = MeasurementList(dict(FILES), measurement_list_digest(FILES))
    assert read(statement_json(), known=known).measurements == FILES


def _set(document: dict[str, Any], pointer: str, value: Any) -> None:
    *parents, last = (p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/"))
    target = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[last] = value


@pytest.mark.parametrize(("pointer", "value", "location", "problem"), [
    ("predicate/nonce", None, "/predicate/nonce", "lowercase hex"),
    ("predicate/nonce", "AB" * 32, "/predicate/nonce", "lowercase hex"),
    ("predicate/measurements/bin~1sh", "not hex", "/predicate/measurements/bin~1sh", "hex"),
    ("predicate/measured_at", "yesterday", "/predicate/measured_at", "RFC 3339"),
    ("predicate/measured_at", "2026-11-23T12:00:00", "/predicate/measured_at", "offset"),
    ("predicate/executables", ["etc/shadow"], "/predicate/executables/0", "measured path"),
    ("predicate/executables", ["bin/sh", "bin/sh"], "/predicate/executables/1", "once"),
    ("predicate/links", {"bin/sh": "busybox"}, "/predicate/links/bin~1sh", "not a measured"),
    ("predicate/links", {"/lib": "usr/lib"}, "/predicate/links/~1lib", "product path"),
    ("predicate/release", {"product": "HC-Gateway"}, "/predicate/release/version", "name"),
    ("predicate/device", "gw-2", "/subject", "one subject"),
    ("subject/0/digest/sha256", "0" * 64, "/subject/0/digest/sha256", "SHA-256 of the"),
    ("predicateType", "https://slsa.dev/provenance/v1", "/predicateType", "not a measurement"),
])
def test_bad_report_names_the_place(pointer: str, value: Any, location: str,
                                    problem: str) -> None:
    document = statement_json()
    _set(document, pointer, value)
    with pytest.raises(InputError) as caught:
        read(document)
    assert caught.value.location == location
    assert problem in caught.value.problem
    assert caught.value.source == "report.json"


@pytest.mark.parametrize("path", ["/etc/passwd", "a//b", "a/./b", "../x", "a/..", "a/", ""])
def test_measured_path_must_be_a_product_path(path: str) -> None:
    document = statement_json()
    document["predicate"]["measurements"][path] = "0" * 64
    with pytest.raises(InputError, match="not a product path"):
        read(document)


def test_known_measurements_do_not_excuse_a_bad_entry() -> None:
    known = MeasurementList(dict(FILES), measurement_list_digest(FILES))
    document = statement_json()
    document["predicate"]["measurements"]["usr/bin/../x"] = "0" * 64
    with pytest.raises(InputError, match="not a product path"):
        read(document, known=known)


def test_too_many_measurements_are_refused() -> None:
    with pytest.raises(LimitExceededError, match="exceed the limit of 2"):
        read(statement_json(), limits=ReportLimits(max_measurements=2))


def test_overlong_path_is_refused() -> None:
    document = statement_json()
    document["predicate"]["measurements"]["x" * 50] = "0" * 64
    with pytest.raises(LimitExceededError, match="longer than 40"):
        read(document, limits=ReportLimits(max_path=40))
