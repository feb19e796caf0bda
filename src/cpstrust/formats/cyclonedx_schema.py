"""The official CycloneDX schemas, as shipped inside cyclonedx-python-lib, compiled once.

cyclonedx-python-lib keeps the JSON schemas and XSDs of every spec version in
``cyclonedx/schema/_res``, with the cross-schema references already pointed at local
copies, so validation works offline. Each validator is built on first use and cached.

``limited_json_validator`` adds our string-length limit to every string the official
schema types, so that validation checks it at no measurable cost; nesting is bounded
where we recurse (components, in the reader) and by orjson's own 1,024 levels.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import orjson

JSON_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
XML_VERSIONS = ("1.1", *JSON_VERSIONS)
XML_NAMESPACE_PREFIX = "http://cyclonedx.org/schema/bom/"

# The bom schemas $ref these by a relative id, resolved against their own
# "http://cyclonedx.org/schema/bom-1.x.schema.json" id.
_REFERENCED_JSON = (
    "spdx.SNAPSHOT.schema.json",
    "jsf-0.82.SNAPSHOT.schema.json",
    "cryptography-defs.SNAPSHOT.schema.json",
)


def _resource(name: str) -> bytes:
    return resources.files("cyclonedx.schema._res").joinpath(name).read_bytes()


@cache
def _registry() -> Any:
    return jsonschema_rs.Registry(
        [(f"http://cyclonedx.org/schema/{name}", orjson.loads(_resource(name)))
         for name in _REFERENCED_JSON]
    )


@cache
def json_validator(version: str) -> Any:
    """Draft-7 validator for the CycloneDX ``version`` JSON schema (formats checked)."""
    schema = orjson.loads(_resource(f"bom-{version}.SNAPSHOT.schema.json"))
    return jsonschema_rs.validator_for(schema, registry=_registry(), offline=True)


@cache
def limited_json_validator(version: str, max_string: int) -> Any:
    """The ``version`` validator that also refuses any string the schema types (every
    string we map is one) longer than ``max_string`` characters.

    Strings the schema leaves untyped (values of 1.2's free extension properties) are not
    walked: we never read them, and the document's byte limit bounds them. A failure
    does not say which rule failed; callers that need the limit's own message run
    ``jsonread.check_tree`` after a failure.
    """
    schema = orjson.loads(_resource(f"bom-{version}.SNAPSHOT.schema.json"))
    _limit_strings(schema, max_string)
    return jsonschema_rs.validator_for(schema, registry=_registry(), offline=True)


# Keywords whose values are instances, not schemas: a "type" inside them is data. And
# keywords whose values map names to schemas: a property may be called "default".
_INSTANCE_KEYWORDS = frozenset({"enum", "const", "examples", "default"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "definitions", "$defs"})


def _limit_strings(schema: Any, max_string: int) -> None:
    """Add ``maxLength`` to every subschema of ``"type": "string"`` (in place)."""
    pending = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string":
            node["maxLength"] = min(node.get("maxLength", max_string), max_string)
        for keyword, value in node.items():
            if keyword in _SCHEMA_MAPS and isinstance(value, dict):
                pending.extend(value.values())
            elif keyword not in _INSTANCE_KEYWORDS:
                pending.append(value)


@cache
def xml_schema(version: str) -> Any:
    """``lxml.etree.XMLSchema`` for the CycloneDX ``version`` XSD (imports resolved locally)."""
    from lxml import etree  # only for XML documents

    path = resources.files("cyclonedx.schema._res").joinpath(f"bom-{version}.SNAPSHOT.xsd")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    # Parsing from the file path lets the XSD's relative import of spdx.SNAPSHOT.xsd resolve.
    return etree.XMLSchema(etree.parse(str(path), parser=parser))
