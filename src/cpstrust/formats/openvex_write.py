"""``VexDocument`` to OpenVEX 0.2.0 JSON.

A not_affected statement must give one of OpenVEX's five justifications or an impact
statement: a CycloneDX justification is mapped to OpenVEX's (``OPENVEX_FROM_CYCLONEDX``)
and its own word kept in the impact statement. An affected statement must give an action.
"""

from __future__ import annotations

from typing import Any

import orjson

from cpstrust.model.vex import (
    OPENVEX_FROM_CYCLONEDX,
    OPENVEX_JUSTIFICATIONS,
    ProductId,
    VexDocument,
    VexStatement,
    VexStatus,
)

CONTEXT = "https://openvex.dev/ns/v0.2.0"


def write_openvex(document: VexDocument, *, tooling: str) -> bytes:
    """Serialise ``document`` (its timestamp and id are required by OpenVEX)."""
    if document.timestamp is None or document.document_id is None:
        raise ValueError("an OpenVEX document needs an id and a timestamp")
    return orjson.dumps({
        "@context": CONTEXT,
        "@id": document.document_id,
        "author": document.author or "unknown",
        "timestamp": document.timestamp.isoformat(),
        "version": 1,
        "tooling": tooling,
        "statements": [_statement(s) for s in document.statements],
    }, option=orjson.OPT_INDENT_2)


def _statement(statement: VexStatement) -> dict[str, Any]:
    out: dict[str, Any] = {
        "vulnerability": {"name": statement.vulnerability,
                          **({"aliases": list(statement.aliases)} if statement.aliases else {})},
        "products": [_product(p) for p in statement.products],
        "status": statement.status.value,
    }
    impact = statement.impact
    if statement.status is VexStatus.NOT_AFFECTED:
        given = statement.justification
        justification = given if given in OPENVEX_JUSTIFICATIONS else OPENVEX_FROM_CYCLONEDX.get(
            given or "")
        if justification is not None:
            out["justification"] = justification
        if given and given != justification:
            impact = f"{impact} ({given})" if impact else f"Not affected: {given}."
        if impact is None and justification is None:
            impact = "Assessed as not affected."
    if impact:
        out["impact_statement"] = impact
    if statement.status is VexStatus.AFFECTED:
        out["action_statement"] = statement.action or "No action is stated."
    elif statement.action:
        out["status_notes"] = statement.action
    return out


def _product(product: ProductId) -> dict[str, Any]:
    out: dict[str, Any] = {"@id": product.purl or product.label}
    if product.subcomponents:
        out["subcomponents"] = [{"@id": s.purl or s.label} for s in product.subcomponents]
    return out
