"""Key records: what this installation knows of a key it holds (never the private half,
never a secret), as the JSON file the keyring keeps per key."""

from __future__ import annotations

from datetime import datetime

from cpstrust.errors import InputError
from cpstrust.model.trust import Algorithm, Backend, KeyRecord


def record_to_json(record: KeyRecord) -> dict[str, object]:
    return {
        "name": record.name,
        "backend": record.backend.value,
        "algorithm": record.algorithm.value,
        "keyid": record.keyid,
        "public_key": record.public_key_pem,
        "created_at": record.created_at.isoformat(),
        "locator": dict(record.locator),
        "revoked_at": record.revoked_at.isoformat() if record.revoked_at else None,
        "revoked_reason": record.revoked_reason,
    }


def record_from_json(data: dict[str, object], source: str) -> KeyRecord:
    try:
        revoked = data.get("revoked_at")
        return KeyRecord(
            name=str(data["name"]),
            backend=Backend(str(data["backend"])),
            algorithm=Algorithm(str(data["algorithm"])),
            keyid=str(data["keyid"]),
            public_key_pem=str(data["public_key"]),
            created_at=datetime.fromisoformat(str(data["created_at"])),
            locator={str(k): str(v) for k, v in dict(data["locator"]).items()},  # type: ignore[call-overload]
            revoked_at=datetime.fromisoformat(str(revoked)) if revoked else None,
            revoked_reason=str(data["revoked_reason"]) if data.get("revoked_reason") else None,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError("keyrecord_damaged", detail=str(exc), source=source) from exc
