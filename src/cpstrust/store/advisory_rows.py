"""What both readers of the advisory tables share (``store.advisories`` through SQLAlchemy,
``store.advisory_snapshot`` through the standard library): how an affected entry and a
merged vulnerability are spelled in their rows, and how package names are batched into
queries. No SQL library here: a one-off scan must not import one it does not use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import orjson

from cpstrust.model.advisory import (
    AffectedPackage,
    AffectedRange,
    RangeEvent,
    RangeType,
    Severity,
    VulnerabilityInfo,
)
from cpstrust.packages.ecosystems import PackageKey

CHUNK = 500  # bound on bound parameters per query (SQLite allows 32766; keep plans small)


def encode_affected(package: AffectedPackage) -> str:
    return orjson.dumps(
        {
            "e": package.ecosystem,
            "n": package.name,
            "p": package.purl,
            "r": [[r.type.value, [[e.kind, e.version] for e in r.events]] for r in package.ranges],
            "v": list(package.versions),
            "s": None if package.severity is None else int(package.severity),
        }
    ).decode()


# Dict lookups instead of enum calls: decoding runs for every entry a scan looks at.
_RANGE_TYPES = {t.value: t for t in RangeType}
SEVERITIES = {int(s): s for s in Severity}


def decode_affected(text: str | bytes) -> AffectedPackage:
    d: dict[str, Any] = orjson.loads(text)
    severity: int | None = d["s"]
    return AffectedPackage(
        ecosystem=d["e"],
        name=d["n"],
        purl=d["p"],
        ranges=tuple(
            [
                AffectedRange(_RANGE_TYPES[t], tuple([RangeEvent(k, v) for k, v in events]))
                for t, events in d["r"]
            ]
        ),
        versions=tuple(d["v"]),
        severity=None if severity is None else SEVERITIES[severity],
    )


# Keyed by the stored text itself, so never stale: a changed entry is a new key. Repeated
# scans in one process then decode each entry once, and hand matching the same objects.
decoded_affected = lru_cache(maxsize=1 << 15)(decode_affected)


def vulnerability_info(decoded: dict[str, VulnerabilityInfo], vuln_id: str, aliases: str,
                       severity: int, summary: str | None) -> VulnerabilityInfo:
    """A merged vulnerability's row as a value, decoded once per query's worth of rows
    (``decoded``: what this query decoded so far)."""
    info = decoded.get(vuln_id)
    if info is None:
        info = decoded[vuln_id] = VulnerabilityInfo(
            vuln_id, tuple(orjson.loads(aliases)), SEVERITIES[severity], summary)
    return info


def names_by_family(keys: Iterable[PackageKey]) -> Iterator[tuple[str, Sequence[str]]]:
    """The package names of ``keys`` by family, a bounded chunk at a time: one indexed
    query each."""
    by_family: dict[str, set[str]] = defaultdict(set)
    for family, name in keys:
        by_family[family].add(name)
    for family, names in by_family.items():
        for chunk in chunks(sorted(names)):
            yield family, chunk


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` a bounded slice at a time: one query's worth of bound parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
