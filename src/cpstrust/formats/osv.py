"""OSV advisories (JSON or YAML) to ``Advisory`` objects, validated and size-limited."""

from __future__ import annotations

import logging
from functools import lru_cache

from cpstrust.errors import CpstrustError, InputError, LimitExceededError
from cpstrust.formats.jsonread import kind_of, load_json
from cpstrust.formats.safe_yaml import load_yaml
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import message
from cpstrust.model.advisory import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    CvssVector,
    RangeEvent,
    RangeType,
    Severity,
)

logger = logging.getLogger(__name__)


def read_osv(
    data: bytes, *, source: str, yaml: bool = False, limits: ReadLimits = DEFAULT_LIMITS
) -> Advisory:
    """Parse and validate one OSV record (JSON, or YAML when ``yaml``).

    Raises ``InputError`` (``LimitExceededError`` for oversized or too deeply nested input)
    naming ``source``, the JSON-pointer or line location and the problem.
    """
    try:
        if len(data) > limits.max_bytes:
            raise LimitExceededError("osv_too_large", size=len(data), limit=limits.max_bytes)
        document = load_yaml(data, limits) if yaml else load_json(data, limits)
        return _advisory(document)
    except CpstrustError as exc:
        raise exc.with_source(source) from None


_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


def _object(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise InputError("json_expected_object", found=kind_of(value), location=where or "/")
    return value


def _array(parent: dict[str, object], key: str, where: str) -> list[object]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("json_expected_array", found=kind_of(value), location=f"{where}/{key}")
    return value


def _optional(parent: dict[str, object], key: str, where: str) -> str | None:
    value = parent.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError("json_expected_string", found=kind_of(value), location=f"{where}/{key}")
    return value


def _required(parent: dict[str, object], key: str, where: str) -> str:
    value = parent.get(key)
    if not isinstance(value, str) or not value:
        found = message("json_kind_nothing") if value is None else kind_of(value)
        raise InputError("json_expected_nonempty_string", found=found, location=f"{where}/{key}")
    return value


def _strings(parent: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    items = _array(parent, key, where)
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise InputError("json_expected_string", found=kind_of(item),
                             location=f"{where}/{key}/{index}")
    return tuple(items)  # type: ignore[arg-type]


def _event(value: object, where: str) -> RangeEvent:
    event = _object(value, where)
    kinds = [k for k in event if k in _EVENT_KINDS]
    unknown = [k for k in event if k not in _EVENT_KINDS]
    if unknown:
        raise InputError("osv_unknown_event_kind", kind=unknown[0],
                         kinds=", ".join(_EVENT_KINDS), location=where)
    if len(kinds) != 1:
        raise InputError("osv_event_needs_one_kind", kinds=", ".join(_EVENT_KINDS),
                         location=where)
    return RangeEvent(kinds[0], _required(event, kinds[0], where))


def _range(value: object, where: str) -> AffectedRange:
    entry = _object(value, where)
    type_text = _required(entry, "type", where)
    try:
        range_type = RangeType(type_text)
    except ValueError:
        raise InputError("osv_unknown_range_type", range_type=type_text,
                         location=f"{where}/type") from None
    raw_events = _array(entry, "events", where)
    if not raw_events:
        raise InputError("osv_range_without_events", location=f"{where}/events")
    events = tuple(_event(e, f"{where}/events/{i}") for i, e in enumerate(raw_events))
    if not any(e.kind == "introduced" for e in events):
        raise InputError("osv_range_without_introduced", location=f"{where}/events")
    return AffectedRange(range_type, events)


def _severities(parent: dict[str, object], where: str) -> tuple[list[CvssVector], list[Severity]]:
    """CVSS vectors (scored) and qualitative ratings given in a ``severity`` array."""
    vectors: list[CvssVector] = []
    ratings: list[Severity] = []
    for index, value in enumerate(_array(parent, "severity", where)):
        here = f"{where}/severity/{index}"
        entry = _object(value, here)
        kind = _required(entry, "type", here)
        score = _required(entry, "score", here)
        if kind.startswith("CVSS_"):
            vectors.append(CvssVector(kind, score, cvss_base_score(kind, score)))
        else:  # e.g. "Ubuntu": a word such as "medium"
            ratings.extend(_rating(score))
    return vectors, ratings


def _rating(text: str) -> list[Severity]:
    try:
        return [Severity.parse(text)]
    except ValueError:
        return []


def _database_rating(parent: dict[str, object], where: str) -> list[Severity]:
    """GHSA-style ``database_specific.severity`` ("MODERATE", "HIGH"), when present."""
    value = parent.get("database_specific")
    if not isinstance(value, dict) or not isinstance(value.get("severity"), str):
        return []
    return _rating(str(value["severity"]))


def _from_scores(vectors: list[CvssVector]) -> list[Severity]:
    return [Severity.from_score(v.base_score) for v in vectors if v.base_score is not None]


def _affected(value: object, where: str) -> tuple[AffectedPackage | None, list[CvssVector]]:
    entry = _object(value, where)
    vectors, ratings = _severities(entry, where)
    package_value = entry.get("package")
    if package_value is None:  # GIT-only entries name no package: nothing to match by name
        return None, vectors
    package = _object(package_value, f"{where}/package")
    ecosystem = _required(package, "ecosystem", f"{where}/package")
    name = _required(package, "name", f"{where}/package")
    raw_ranges = _array(entry, "ranges", where)
    ranges = tuple(_range(r, f"{where}/ranges/{i}") for i, r in enumerate(raw_ranges))
    severities = _from_scores(vectors) or ratings or _database_rating(entry, where)
    return AffectedPackage(
        ecosystem=ecosystem,
        name=name,
        purl=_optional(package, "purl", f"{where}/package"),
        ranges=ranges,
        versions=_strings(entry, "versions", where),
        severity=max(severities) if severities else None,
    ), vectors


def _references(root: dict[str, object]) -> tuple[str, ...]:
    urls = []
    for index, value in enumerate(_array(root, "references", "")):
        here = f"/references/{index}"
        urls.append(_required(_object(value, here), "url", here))
    return tuple(urls)


def _advisory(document: object) -> Advisory:
    root = _object(document, "")
    vectors, ratings = _severities(root, "")
    packages: list[AffectedPackage] = []
    for index, value in enumerate(_array(root, "affected", "")):
        package, package_vectors = _affected(value, f"/affected/{index}")
        vectors.extend(package_vectors)
        if package is not None:
            packages.append(package)
    package_ratings = [p.severity for p in packages if p.severity is not None]
    severities = _from_scores(vectors) or ratings or _database_rating(root, "") or package_ratings
    return Advisory(
        id=_required(root, "id", ""),
        aliases=_strings(root, "aliases", ""),
        modified=_required(root, "modified", ""),
        published=_optional(root, "published", ""),
        withdrawn=_optional(root, "withdrawn", ""),
        summary=_optional(root, "summary", ""),
        details=_optional(root, "details", ""),
        affected=tuple(packages),
        cvss=tuple(dict.fromkeys(vectors)),
        severity=max(severities) if severities else Severity.UNKNOWN,
        related=_strings(root, "related", ""),
        references=_references(root),
    )


@lru_cache(maxsize=8192)
def cvss_base_score(kind: str, vector: str) -> float | None:
    """Base score of a CVSS v3 or v4 vector; None for v2 (other bands) or a bad vector."""
    from cvss import CVSS3, CVSS4, CVSSError  # ~20 ms import, only once vectors are met

    try:
        if kind == "CVSS_V3":
            return float(CVSS3(vector).base_score)
        if kind == "CVSS_V4":
            return float(CVSS4(vector).base_score)
    except CVSSError as exc:
        logger.warning("unscorable %s vector %r: %s", kind, vector, exc)
    return None
