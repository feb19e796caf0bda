"""Events as JSON: one object per event, the same for `events --format json|jsonl`, the
JSONL sink and the webhook's batches (documented in docs/adr/0012-events.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

import orjson

from cpstrust.model.events import Event


def event_record(event: Event) -> dict[str, Any]:
    """``event`` as a JSON object; ``new_status`` null: the finding is gone with its
    component. ``kind`` is the event's; ``finding_kind`` the finding's (vulnerability,
    licence or ot), whose id is then in ``vulnerability_id`` and its licence in
    ``licence`` (an OT finding: its kind in ``vulnerability_id``, key in ``purl``)."""
    change, finding = event.change, event.change.finding
    return {
        "id": event.id,
        "time": event.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "kind": change.kind.value,
        "finding_id": finding.finding_id,
        "product": finding.product,
        "version": finding.version,
        "release_id": finding.release_id,
        "vulnerability_id": finding.vulnerability_id,
        "aliases": list(finding.aliases),
        "purl": finding.purl,
        "severity": finding.severity.label,
        "old_status": change.old_status.value if change.old_status else None,
        "new_status": change.new_status.value if change.new_status else None,
        "cause": {"kind": event.cause.kind.value, "reference": event.cause.reference},
        "finding_kind": finding.kind.value,
        "licence": finding.licence,
    }


def event_lines(events: Sequence[Event]) -> bytes:
    """JSON Lines: one compact object per event, each ending in a newline."""
    return b"".join(orjson.dumps(event_record(e)) + b"\n" for e in events)
