"""The STIX 2.1 JSON schemas of OASIS (shipped in formats/schemas/stix-2.1, see
SOURCE.md there), applied to a bundle offline: the bundle against ``bundle.json``, each
object against the schema of its type, and every reference checked to name an object
of the bundle, which no schema can say. The bundle schema lists no ``grouping`` or
``incident``: it would judge them custom objects, which match both of its cores and so
fail its ``oneOf``; the incident is therefore written as a ``report``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jsonschema_rs
import orjson

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import pointer

_BASE = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/"
_FOLDERS = ("common", "sdos", "sros", "observables")


def _files() -> Iterator[tuple[str, Traversable]]:
    root = resources.files("cpstrust.formats").joinpath("schemas/stix-2.1")
    for folder in _FOLDERS:
        for entry in root.joinpath(folder).iterdir():
            if entry.name.endswith(".json"):
                yield f"{folder}/{entry.name}", entry


@cache
def _schemas() -> dict[str, Any]:
    """Each schema by its path under ``schemas/`` (``sdos/indicator.json``)."""
    return {path: orjson.loads(entry.read_bytes()) for path, entry in _files()}


@cache
def _registry() -> Any:
    return jsonschema_rs.Registry([(s["$id"], s) for s in _schemas().values()])


@cache
def _validator(path: str) -> Any:
    return jsonschema_rs.validator_for(_schemas()[path], registry=_registry())


def _type_schema(type_name: str) -> str | None:
    for folder in ("sdos", "sros", "observables"):
        if f"{folder}/{type_name}.json" in _schemas():
            return f"{folder}/{type_name}.json"
    return None


def validate_bundle(bundle: dict[str, Any], source: str) -> None:
    """Refuse a bundle the STIX 2.1 schemas reject or whose references dangle. Each
    object is checked against its own type's schema first: the bundle schema's
    ``anyOf`` over every type says only that none matched."""
    objects = bundle.get("objects")
    ids = set()
    for index, obj in enumerate(objects if isinstance(objects, list) else []):
        if not isinstance(obj, dict):
            continue  # the bundle schema names it below
        path = _type_schema(str(obj.get("type")))
        if path is not None:
            _check(_validator(path), obj, ["objects", index], source)
        ids.add(obj.get("id"))
    _check(_validator("common/bundle.json"), bundle, [], source)
    for index, obj in enumerate(bundle.get("objects", [])):
        for ref in _references(obj):
            if ref not in ids:
                raise InputError("stix_dangling_ref", ref=ref, source=source,
                                 location=pointer(["objects", index]))


def _check(validator: Any, instance: Any, at: list[str | int], source: str) -> None:
    for error in validator.iter_errors(instance):
        place = pointer([*at, *error.instance_path])
        raise InputError("stix_invalid", error=error.message[:300], place=place,
                         source=source, location=place)


def _references(obj: dict[str, Any]) -> Iterator[str]:
    for name, value in obj.items():
        if name.endswith("_ref") and isinstance(value, str):
            yield value
        elif name.endswith("_refs") and isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))
