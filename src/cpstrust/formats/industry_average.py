"""Industry-average maturity of the management guideline's ten items, as a user gives
them for the radar chart's overlay (cpstrust ships none): YAML ``{version: 1,
averages: {"1": 2.5, ...}}`` or CSV with the columns ``item,average``. Each average is a
number from 1 to 5; an item given twice, a key written twice or anything else is refused
with the file and the place. Which items exist is the caller's to check."""

from __future__ import annotations

import csv
import io
import math

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import pointer
from cpstrust.formats.safe_yaml import load_yaml_file
from cpstrust.limits import ReadLimits

AVERAGES_LIMITS = ReadLimits(max_bytes=64 * 1024, max_depth=4, max_string=256)
MAX_ITEMS = 100


def read_industry_averages(data: bytes, *, source: str, csv_file: bool,
                           ) -> dict[str, tuple[float, str]]:
    """Item label -> (average, place in the file)."""
    if len(data) > AVERAGES_LIMITS.max_bytes:
        raise LimitExceededError("input_file_over_limit", size=len(data),
                                 limit=AVERAGES_LIMITS.max_bytes, source=source)
    try:
        pairs = _csv_pairs(data) if csv_file else _yaml_pairs(data, source)
        averages: dict[str, tuple[float, str]] = {}
        for item, value, place in pairs:
            if item in averages:
                raise InputError("averages_duplicate_item", item=item, location=place)
            if len(averages) >= MAX_ITEMS:
                raise LimitExceededError("averages_too_many", limit=MAX_ITEMS, location=place)
            averages[item] = (_average(value, place), place)
        return averages
    except InputError as exc:
        raise exc.with_source(source) from None


def _yaml_pairs(data: bytes, source: str) -> list[tuple[str, object, str]]:
    tree = load_yaml_file(data, source=source, limits=AVERAGES_LIMITS,
                          too_large="input_file_over_limit", not_yaml="averages_malformed")
    if not isinstance(tree, dict) or set(tree) != {"version", "averages"}:
        raise InputError("averages_bad_shape", location="/")
    if tree["version"] != "1":
        raise InputError("averages_bad_shape", location="/version")
    averages = tree["averages"]
    if not isinstance(averages, dict):
        raise InputError("averages_bad_shape", location="/averages")
    return [(item, value, pointer(("averages", item))) for item, value in averages.items()]


def _csv_pairs(data: bytes) -> list[tuple[str, object, str]]:
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError("averages_malformed", detail=str(exc)) from None
    if not rows or [c.strip().lower() for c in rows[0]] != ["item", "average"]:
        raise InputError("averages_bad_shape", location="line 1")
    pairs: list[tuple[str, object, str]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 2:
            raise InputError("averages_bad_shape", location=f"line {number}")
        pairs.append((row[0].strip(), row[1].strip(), f"line {number}"))
    return pairs


def _average(value: object, place: str) -> float:
    try:
        number = float(value) if isinstance(value, str) else math.nan
    except ValueError:
        number = math.nan
    if not 1.0 <= number <= 5.0:  # NaN fails both
        raise InputError("averages_bad_value", value=str(value), location=place)
    return number
