"""The OT baseline file (``cpstrust-ot-baseline``, version 2): JSON, each table a list
of rows (arrays of fixed shape), written sorted so that the same baseline gives the same
bytes, and the learned model (``model``: null, or its trees as parallel arrays). Read
back strictly: the size bounded, keys never twice, the format and version named, every
row of its shape and types, no row twice, the model's arrays of one length and every
child index inside them."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.ot_detect import (
    BASELINE_VERSION,
    WINDOW_FEATURES,
    Baseline,
    RateProfile,
    ValueRange,
    WindowModelParams,
)

FORMAT = "cpstrust-ot-baseline"
MAX_BYTES = 256 * 1024 * 1024
MAX_ROWS = 2_000_000  # rows of one table

Check = Callable[[object], bool]


def _text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -1 <= value < 2**32


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


_TABLES: dict[str, tuple[Check, ...]] = {
    "hosts": (_text,),
    "talkers": (_text, _text, _int, _int),
    "modbus_functions": (_text, _text, _int, _int),
    "modbus_units": (_text, _int),
    "address_ranges": (_text, _text, _int, _text, _int, _int),
    "writers": (_text, _text),
    "bacnet_services": (_text, _text, _int, _int),
    "bacnet_objects": (_text, _int, _int),
    "values": (_text, _text, _int, _int, _int, _number, _number, _number, _int),
    "rates": (_text, _text, _number, _number, _number, _number, _int, _number),
}
_SCALARS = ("packets", "first_ts", "last_ts", "fastest_rate")
MAX_NODES = 10_000_000  # the model's nodes, all trees
_MODEL_SCALARS = ("windows", "depth", "normaliser", "threshold", "strict")
_NODE_ARRAYS = ("feature", "split", "left", "right", "path")
_MODEL_KEYS = frozenset({"features", "centres", "roots", "median", "spread",
                         *_MODEL_SCALARS, *_NODE_ARRAYS})
_CENTRE = (_text, _text, _text) + (_number,) * len(WINDOW_FEATURES)


def write_baseline(baseline: Baseline) -> bytes:
    tables: dict[str, list[Any]] = {
        "hosts": [[h] for h in baseline.hosts],
        "talkers": [list(t) for t in baseline.talkers],
        "modbus_functions": [list(f) for f in baseline.modbus_functions],
        "modbus_units": [list(u) for u in baseline.modbus_units],
        "address_ranges": [[*k, *v] for k, v in baseline.address_ranges.items()],
        "writers": [list(w) for w in baseline.writers],
        "bacnet_services": [list(s) for s in baseline.bacnet_services],
        "bacnet_objects": [list(o) for o in baseline.bacnet_objects],
        "values": [[*k, v.low, v.high, v.margin, v.samples] for k, v in baseline.values.items()],
        "rates": [[*k, r.interval, r.interval_mad, r.window, r.median_count, r.max_count,
                   r.per_window] for k, r in baseline.rates.items()],
    }
    document: dict[str, Any] = {"format": FORMAT, "version": baseline.version,
                                "packets": baseline.packets, "first_ts": baseline.first_ts,
                                "last_ts": baseline.last_ts,
                                "fastest_rate": baseline.fastest_rate}
    document.update({name: sorted(rows) for name, rows in tables.items()})
    document["model"] = None if baseline.model is None else _model_document(baseline.model)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def read_baseline(data: bytes, source: str) -> Baseline:
    """The baseline in ``data``; ``InputError`` naming ``source`` and the place."""
    if len(data) > MAX_BYTES:
        raise LimitExceededError("baseline_too_large", limit=MAX_BYTES, source=source)
    document = parse_json_strict(data, source)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError("baseline_format", expected=FORMAT, source=source)
    if document.get("version") != BASELINE_VERSION:
        raise InputError("baseline_version", version=str(document.get("version")),
                         expected=BASELINE_VERSION, source=source, location="/version")
    expected = {"format", "version", "model", *_SCALARS, *_TABLES}
    if set(document) != expected:
        raise InputError("baseline_fields", fields=", ".join(sorted(expected)), source=source)
    for name in _SCALARS:
        if not _number(document[name]):
            raise InputError("baseline_row", source=source, location=f"/{name}")
    t = {name: _rows(document[name], checks, source, name)
         for name, checks in _TABLES.items()}
    return Baseline(
        version=BASELINE_VERSION, packets=int(document["packets"]),
        first_ts=float(document["first_ts"]), last_ts=float(document["last_ts"]),
        hosts=frozenset(r[0] for r in t["hosts"]),
        talkers=frozenset(t["talkers"]), modbus_functions=frozenset(t["modbus_functions"]),
        modbus_units=frozenset(t["modbus_units"]),
        address_ranges=_keyed(t["address_ranges"], 4, lambda v: (v[0], v[1]), source,
                              "address_ranges"),
        writers=frozenset(t["writers"]), bacnet_services=frozenset(t["bacnet_services"]),
        bacnet_objects=frozenset(t["bacnet_objects"]),
        values=_keyed(t["values"], 5, lambda v: ValueRange(float(v[0]), float(v[1]),
                                                           float(v[2]), v[3]),
                      source, "values"),
        rates=_keyed(t["rates"], 2, _rate, source, "rates"),
        fastest_rate=float(document["fastest_rate"]),
        model=None if document["model"] is None else _model(document["model"], source))


def _index(bound: int) -> Check:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < bound


def _positive(value: object) -> bool:
    return _number(value) and value > 0  # type: ignore[operator]


def _model_document(model: WindowModelParams) -> dict[str, Any]:
    return {"features": list(WINDOW_FEATURES), "windows": model.windows,
            "depth": model.depth, "normaliser": model.normaliser,
            "threshold": model.threshold, "strict": model.strict,
            "median": list(model.median),
            "spread": list(model.spread), "roots": list(model.roots),
            "centres": sorted([*key, *centre] for key, centre in model.centres.items()),
            **{name: list(getattr(model, name)) for name in _NODE_ARRAYS}}


def _model(document: object, source: str) -> WindowModelParams:
    """The model's arrays, each checked: a traversal must stay inside the trees."""
    def bad(field: str) -> InputError:
        return InputError("baseline_row", source=source,
                          location="/model" + (f"/{field}" if field else ""))

    if not isinstance(document, dict) or set(document) != _MODEL_KEYS:
        raise bad("")
    if document["features"] != list(WINDOW_FEATURES):
        raise bad("features")
    for name in _MODEL_SCALARS:
        if not _number(document[name]):
            raise bad(name)
    nodes = document["feature"]
    if not isinstance(nodes, list) or not 0 < len(nodes) <= MAX_NODES:
        raise bad("feature")
    count = len(nodes)
    width = len(WINDOW_FEATURES)
    shapes: dict[str, tuple[Check, int]] = {
        "feature": (_index(width), count), "left": (_index(count), count),
        "right": (_index(count), count), "split": (_number, count), "path": (_number, count),
        "roots": (_index(count), -1), "median": (_number, width), "spread": (_positive, width),
    }
    for name, (check, length) in shapes.items():
        values = document[name]
        if not isinstance(values, list) or (length >= 0 and len(values) != length) \
                or not values or not all(check(v) for v in values):
            raise bad(name)
    centres = _keyed(_rows(document["centres"], _CENTRE, source, "model/centres"), 3,
                     lambda v: tuple(float(x) for x in v), source, "model/centres")
    depth = document["depth"]
    if not _int(depth) or not 0 <= depth <= 64:
        raise bad("depth")
    return WindowModelParams(
        windows=int(document["windows"]), centres=centres, roots=tuple(document["roots"]),
        feature=tuple(nodes), split=tuple(float(x) for x in document["split"]),
        left=tuple(document["left"]), right=tuple(document["right"]),
        path=tuple(float(x) for x in document["path"]), depth=depth,
        normaliser=float(document["normaliser"]), threshold=float(document["threshold"]),
        strict=float(document["strict"]),
        median=tuple(float(x) for x in document["median"]),
        spread=tuple(float(x) for x in document["spread"]))


def _rate(v: tuple[Any, ...]) -> RateProfile:
    return RateProfile(interval=float(v[0]), interval_mad=float(v[1]), window=float(v[2]),
                       median_count=float(v[3]), max_count=int(v[4]), per_window=float(v[5]))


def _rows(rows: object, checks: Sequence[Check], source: str, name: str,
          ) -> list[tuple[Any, ...]]:
    if not isinstance(rows, list):
        raise InputError("baseline_row", source=source, location=f"/{name}")
    if len(rows) > MAX_ROWS:
        raise LimitExceededError("baseline_rows", limit=MAX_ROWS, source=source,
                                 location=f"/{name}")
    found: list[tuple[Any, ...]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != len(checks) \
                or not all(check(v) for check, v in zip(checks, row, strict=True)):
            raise InputError("baseline_row", source=source, location=f"/{name}/{index}")
        found.append(tuple(row))
    if len(set(found)) != len(found):
        raise InputError("baseline_duplicate_row", source=source, location=f"/{name}")
    return found


def _keyed(rows: list[tuple[Any, ...]], width: int, value: Callable[[tuple[Any, ...]], Any],
           source: str, name: str) -> dict[Any, Any]:
    """Rows as key -> value: a key twice (with other values) is refused."""
    keyed = {row[:width]: value(row[width:]) for row in rows}
    if len(keyed) != len(rows):
        raise InputError("baseline_duplicate_row", source=source, location=f"/{name}")
    return keyed
