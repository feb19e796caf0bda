"""The SPDX 3.0.1 JSON schema (spdx.org/schema/3.0.1/spdx-json-schema.json, shipped in
formats/schemas), applied one element at a time.

The schema checks each element of ``@graph`` against ``AnyClass``, an ``anyOf`` of every
class with ``unevaluatedProperties: false`` around it, so a validator must try all ~100
classes on every element: jsonschema-rs took 1.9 s for a document of 60,000 elements
(10,000 packages and 20,000 files, a relationship each). Checking each element against
the class its ``type`` names gives the same verdict in 0.15 s. Elements whose type the
schema does not list as a class (extension classes, named by IRI) still go through
``AnyClass``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import orjson

_SCHEMA_URI = "https://spdx.org/schema/3.0.1/spdx-json-schema.json"
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@cache
def _schema() -> dict[str, Any]:
    data = resources.files("cpstrust.formats").joinpath(
        "schemas/spdx-3.0.1.schema.json").read_bytes()
    schema: dict[str, Any] = orjson.loads(data)
    return schema


@cache
def _registry() -> Any:
    return jsonschema_rs.Registry([(_SCHEMA_URI, _schema())])


@cache
def classes() -> frozenset[str]:
    """The type names the schema lists as classes an ``@graph`` element may be."""
    return frozenset(entry["$ref"].rpartition("/")[2]
                     for entry in _schema()["$defs"]["AnyClass"]["anyOf"])


def element_validator(type_name: object) -> Any:
    """The validator of one ``@graph`` element whose ``type`` is ``type_name``: its
    class's, or ``AnyClass`` for a type the schema lists as no class."""
    if isinstance(type_name, str) and type_name in classes():
        return _class_validator(type_name)
    return _class_validator("AnyClass")


@cache
def _class_validator(name: str) -> Any:
    return jsonschema_rs.validator_for(
        {"$schema": _DRAFT, "type": "object", "$ref": f"{_SCHEMA_URI}#/$defs/{name}",
         "unevaluatedProperties": False},
        registry=_registry())
