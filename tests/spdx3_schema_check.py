"""The SPDX 3.0.1 JSON schema as published, for tests of whole documents (the reader
applies it element by element: formats/spdx3_schema.py)."""

from __future__ import annotations

from pathlib import Path

import jsonschema_rs
import orjson

SCHEMA = Path(__file__).resolve().parents[1] / "src/cpstrust/formats/schemas" \
    / "spdx-3.0.1.schema.json"


def spdx3_document_validator() -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for(orjson.loads(SCHEMA.read_bytes()))
