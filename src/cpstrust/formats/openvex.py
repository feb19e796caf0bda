"""OpenVEX 0.2.0 JSON to ``VexDocument``, checked against the official OpenVEX JSON
schema (CC0, bundled in ``formats/schemas``).

A product or subcomponent is named by its ``identifiers`` (purl, CPE 2.3 or 2.2) and by
an ``@id`` that is a purl; an ``@id`` that is another IRI names nothing cpstrust can
compare, and the statement is reported as applying to nothing. A statement's time is its
``last_updated``, else its ``timestamp``, else the document's (the spec's inheritance).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs
import orjson

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import pointer
from cpstrust.formats.vexfields import Fields, Path, first_of, latest
from cpstrust.model.vex import ProductId, VexDocument, VexFormat, VexStatement, VexStatus

CONTEXT_PREFIX = "https://openvex.dev/ns"


@cache
def _validator() -> Any:
    schema = resources.files("cpstrust.formats").joinpath(
        "schemas/openvex-0.2.0.schema.json").read_bytes()
    return jsonschema_rs.validator_for(orjson.loads(schema))


def is_openvex(document: object) -> bool:
    context = document.get("@context") if isinstance(document, dict) else None
    return isinstance(context, str) and context.startswith(CONTEXT_PREFIX)


def read_openvex(document: dict[str, Any], *, source: str, sha256: str) -> VexDocument:
    """An OpenVEX document already parsed (duplicate keys refused, limits checked)."""
    for error in _validator().iter_errors(document):
        raise InputError("vex_schema_violation", format="OpenVEX", detail=error.message[:300],
                         source=source, location=pointer(list(error.instance_path)))
    fields = Fields(source)
    issued = fields.timestamp(document, "timestamp", ())
    statements = tuple(_statement(fields, node, at, issued)
                       for at, node in fields.objects(document, "statements", ()))
    return VexDocument(VexFormat.OPENVEX, source, document.get("@id"), document.get("author"),
                       latest(issued, fields.timestamp(document, "last_updated", ())),
                       statements, sha256)


def _statement(fields: Fields, node: dict[str, Any], at: Path, issued: Any) -> VexStatement:
    vulnerability = node["vulnerability"]
    own = latest(fields.timestamp(node, "timestamp", at),
                 fields.timestamp(node, "last_updated", at))
    return VexStatement(
        vulnerability=vulnerability["name"],
        aliases=tuple(vulnerability.get("aliases", ())),
        status=VexStatus(node["status"]),
        justification=node.get("justification"),
        impact=node.get("impact_statement") or node.get("status_notes"),
        action=node.get("action_statement"),
        products=tuple(_component(p, tuple(_component(s) for s in p.get("subcomponents", ())))
                       for _, p in fields.objects(node, "products", at)),
        timestamp=own or issued,
        place=pointer(at),
    )


def _component(node: dict[str, Any], subcomponents: tuple[ProductId, ...] = ()) -> ProductId:
    identifiers: dict[str, str] = node.get("identifiers", {})
    iri = node.get("@id")
    purl = first_of([identifiers.get("purl"), iri if iri and iri.startswith("pkg:") else None])
    cpe = first_of([identifiers.get("cpe23"), identifiers.get("cpe22")])
    return ProductId(label=first_of([iri, purl, cpe]) or "?", purl=purl, cpe=cpe,
                     subcomponents=subcomponents)
