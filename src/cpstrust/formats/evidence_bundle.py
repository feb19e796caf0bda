"""The evidence bundle a supplier hands its buyer: one JSON object holding standard DSSE
envelopes and, for the buyer to review, the public keys that signed them.

    {
      "_type": "https://cpstrust.dev/evidence-bundle/v1",
      "exportedAt": "2026-11-23T12:00:00Z",
      "envelopes": [ {"payloadType": ..., "payload": ..., "signatures": [...]}, ... ],
      "keys": [ {"keyid": ..., "algorithm": "ed25519", "publicKey": "-----BEGIN ...",
                 "comment": "..."} ]
    }

Each envelope verifies alone with any DSSE tool. The keys are an offer, never trusted by
being in the bundle: a key's id must be the hash of its key, and a key or an envelope
listed twice makes the bundle ambiguous, so it is refused whole.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jsonschema_rs
import orjson

from cpstrust.crypto import MAX_PEM_BYTES, algorithm_of, keyid_of, read_public_key
from cpstrust.errors import InputError, LimitExceededError
from cpstrust.formats.dsse import EnvelopeLimits, envelope_from_json, envelope_json
from cpstrust.formats.jsonread import parse_json_strict, pointer
from cpstrust.formats.orgevidence import zoned_time
from cpstrust.model.evidence import Envelope
from cpstrust.model.trust import Algorithm

BUNDLE_TYPE = "https://cpstrust.dev/evidence-bundle/v1"
BUNDLE_MEDIA_TYPE = "application/vnd.cpstrust.evidence-bundle+json"


@dataclass(frozen=True, slots=True)
class BundleLimits:
    max_bytes: int = 64 * 1024 * 1024
    max_envelopes: int = 10_000
    max_keys: int = 256


DEFAULT_BUNDLE_LIMITS = BundleLimits()
# One piece of evidence is a few kilobytes; an assessment result with every requirement
# of a catalogue some hundreds.
_ENVELOPE_LIMITS = EnvelopeLimits(max_bytes=4 * 1024 * 1024, max_signatures=16)


@dataclass(frozen=True, slots=True)
class OfferedKey:
    """A public key the exporter offers for review: trusted only by the buyer's own act."""

    keyid: str
    algorithm: Algorithm
    public_key_pem: str
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceBundle:
    exported_at: datetime
    envelopes: tuple[Envelope, ...]
    keys: tuple[OfferedKey, ...] = ()


def _schema(limits: BundleLimits) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["_type", "exportedAt", "envelopes"],
        "properties": {
            "_type": {"const": BUNDLE_TYPE},
            "exportedAt": {"type": "string", "maxLength": 64},
            "envelopes": {"type": "array", "maxItems": limits.max_envelopes,
                          "items": {"type": "object"}},
            "keys": {"type": "array", "maxItems": limits.max_keys, "items": {
                "type": "object", "additionalProperties": False,
                "required": ["keyid", "algorithm", "publicKey"],
                "properties": {
                    "keyid": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                    "algorithm": {"enum": [a.value for a in Algorithm]},
                    "publicKey": {"type": "string", "maxLength": MAX_PEM_BYTES},
                    "comment": {"type": "string", "maxLength": 1024},
                }}},
        },
    }


@functools.cache
def _validator(limits: BundleLimits) -> Any:
    return jsonschema_rs.validator_for(_schema(limits))


def write_bundle(bundle: EvidenceBundle) -> bytes:
    return orjson.dumps({
        "_type": BUNDLE_TYPE,
        "exportedAt": bundle.exported_at.isoformat().replace("+00:00", "Z"),
        "envelopes": [envelope_json(e) for e in bundle.envelopes],
        "keys": [{"keyid": k.keyid, "algorithm": k.algorithm.value,
                  "publicKey": k.public_key_pem, **({"comment": k.comment} if k.comment else {})}
                 for k in bundle.keys],
    }, option=orjson.OPT_INDENT_2)


def read_bundle(data: bytes, source: str,
                limits: BundleLimits = DEFAULT_BUNDLE_LIMITS) -> EvidenceBundle:
    """The bundle in ``data``; ``InputError`` naming ``source`` and the JSON pointer of
    the first problem. Nothing of a bundle is used unless all of it reads."""
    if len(data) > limits.max_bytes:
        raise LimitExceededError("evidence_bundle_too_large", size=len(data),
                                 limit=limits.max_bytes, source=source)
    document = parse_json_strict(data, source)
    for error in _validator(limits).iter_errors(document):
        raise InputError("evidence_bundle_invalid", detail=error.message, source=source,
                         location=pointer(list(error.instance_path)))
    assert isinstance(document, dict)  # the schema says so
    envelopes = tuple(envelope_from_json(e, source, f"/envelopes/{i}", _ENVELOPE_LIMITS)
                      for i, e in enumerate(document["envelopes"]))
    _refuse_repeats([orjson.dumps(envelope_json(e)) for e in envelopes], "envelopes", source)
    keys = tuple(_offered_key(k, f"/keys/{i}", source)
                 for i, k in enumerate(document.get("keys", ())))
    _refuse_repeats([k.keyid for k in keys], "keys", source)
    return EvidenceBundle(exported_at=zoned_time(document["exportedAt"], source, "/exportedAt"),
                          envelopes=envelopes, keys=keys)


def _refuse_repeats(items: Sequence[object], field: str, source: str) -> None:
    first: dict[object, int] = {}
    for index, item in enumerate(items):
        if item in first:
            raise InputError("evidence_bundle_entry_twice", field=field, first=first[item],
                             source=source, location=f"/{field}/{index}")
        first[item] = index


def _offered_key(entry: dict[str, Any], where: str, source: str) -> OfferedKey:
    public = read_public_key(entry["publicKey"], source)
    if keyid_of(public) != entry["keyid"]:
        raise InputError("evidence_bundle_keyid_mismatch", source=source,
                         location=where + "/keyid")
    if algorithm_of(public) is not Algorithm(entry["algorithm"]):
        raise InputError("evidence_bundle_algorithm_mismatch", source=source,
                         location=where + "/algorithm")
    return OfferedKey(keyid=entry["keyid"], algorithm=Algorithm(entry["algorithm"]),
                      public_key_pem=entry["publicKey"], comment=entry.get("comment"))
