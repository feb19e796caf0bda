"""The trust store document: a versioned JSON list of trusted keys, carried in a DSSE
envelope signed by a root key (payload type below)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from cpstrust.crypto import algorithm_of, keyid_of, read_public_key
from cpstrust.errors import InputError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.trust import Algorithm, Revocation, Role, TrustedKey, TrustStore

TRUST_STORE_TYPE = "https://cpstrust.dev/truststore/v1"
TRUST_STORE_PAYLOAD_TYPE = "application/vnd.cpstrust.truststore+json"
MAX_KEYS = 100_000


def write_trust_store(store: TrustStore) -> bytes:
    return orjson.dumps(
        {
            "_type": TRUST_STORE_TYPE,
            "version": store.version,
            "issued_at": store.issued_at.isoformat(),
            "keys": [_key_json(k) for k in store.keys],
        },
        option=orjson.OPT_INDENT_2,
    )


def _key_json(key: TrustedKey) -> dict[str, Any]:
    return {
        "keyid": key.keyid,
        "algorithm": key.algorithm.value,
        "public_key": key.public_key_pem,
        "roles": sorted(r.value for r in key.roles),
        "scopes": sorted(key.scopes),
        "not_before": key.not_before.isoformat() if key.not_before else None,
        "not_after": key.not_after.isoformat() if key.not_after else None,
        "revoked": (
            {"at": key.revocation.at.isoformat(), "reason": key.revocation.reason}
            if key.revocation
            else None
        ),
        "comment": key.comment,
    }


def read_trust_store(data: bytes, source: str = "<trust store>") -> TrustStore:
    """The trust store a payload carries; ``InputError`` names the place of the first
    problem, a key named twice in any object included."""
    document = parse_json_strict(data, source)
    if not isinstance(document, dict) or document.get("_type") != TRUST_STORE_TYPE:
        raise InputError("truststore_wrong_type", expected=TRUST_STORE_TYPE, source=source)
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError("truststore_bad_version", source=source, location="/version")
    keys = document.get("keys")
    if not isinstance(keys, list) or len(keys) > MAX_KEYS:
        raise InputError("truststore_bad_keys", limit=MAX_KEYS, source=source, location="/keys")
    trusted = tuple(_key(k, f"/keys/{i}", source) for i, k in enumerate(keys))
    if len({k.keyid for k in trusted}) != len(trusted):
        raise InputError("truststore_key_listed_twice", source=source, location="/keys")
    return TrustStore(
        version=version,
        issued_at=_time(document.get("issued_at"), source, "/issued_at"),
        keys=trusted,
    )


def _key(item: Any, where: str, source: str) -> TrustedKey:
    if not isinstance(item, dict):
        raise InputError("truststore_key_not_object", source=source, location=where)
    try:
        public = read_public_key(str(item["public_key"]), source)
        keyid = str(item["keyid"])
        algorithm = Algorithm(str(item["algorithm"]))
        roles = frozenset(Role(str(r)) for r in item["roles"])
        scopes = frozenset(str(s) for s in item.get("scopes") or ())
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError("truststore_invalid_key_entry", detail=str(exc), source=source,
                         location=where) from exc
    if keyid != keyid_of(public):
        raise InputError("truststore_keyid_mismatch", source=source, location=where)
    if algorithm is not algorithm_of(public):
        raise InputError("truststore_algorithm_mismatch", source=source, location=where)
    revoked = item.get("revoked")
    revocation = None
    if isinstance(revoked, dict):
        at = _time(revoked.get("at"), source, where + "/revoked/at")
        revocation = Revocation(at=at, reason=str(revoked.get("reason") or ""))
    return TrustedKey(
        keyid=keyid,
        algorithm=algorithm,
        public_key_pem=str(item["public_key"]),
        roles=roles,
        scopes=scopes,
        not_before=_optional_time(item.get("not_before"), source, where + "/not_before"),
        not_after=_optional_time(item.get("not_after"), source, where + "/not_after"),
        revocation=revocation,
        comment=item.get("comment") if isinstance(item.get("comment"), str) else None,
    )


def _optional_time(value: Any, source: str, where: str) -> datetime | None:
    return None if value is None else _time(value, source, where)


def _time(value: Any, source: str, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError("truststore_invalid_time", value=value, source=source,
                         location=where) from exc
    if parsed.tzinfo is None:
        raise InputError("truststore_time_without_zone", value=value, source=source, location=where)
    return parsed
