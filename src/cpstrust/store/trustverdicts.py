"""Trust verdicts in the database: the last evaluation's verdict per subject (written in
bulk), what that evaluation read, the subjects whose verdict has aged out, and the
device tallies of systems read back for an incremental evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, cast

import orjson
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from cpstrust.messages import Message
from cpstrust.model.trustfacts import JudgedDevices, KnownVerdict, Tally
from cpstrust.model.trustpolicy import DeviceVerdict, SubjectKind, SubjectVerdict, Verdict
from cpstrust.store import bulk
from cpstrust.store.tables import (
    DeviceRow,
    TrustDeviceVerdictRow,
    TrustEvaluationRow,
    TrustVerdictRow,
)
from cpstrust.timeutil import as_utc

_CHUNK = 900
_COLUMNS = ("kind", "subject_id", "name", "verdict", "reasons", "valid_until")


@dataclass(frozen=True, slots=True)
class EvaluationState:
    """What an evaluation read: the next one computes only what changed since."""

    policy_sha256: str
    trust_store_version: int
    graph: str
    evidence_mark: int
    attestation_mark: int
    findings: Mapping[int, tuple[int, int]]
    evaluated_at: datetime
    # subjects by kind and verdict: counting a million stored rows costs half a second
    counts: Mapping[SubjectKind, Mapping[Verdict, int]] = field(default_factory=dict)


def evaluation_state(session: Session) -> EvaluationState | None:
    row = session.get(TrustEvaluationRow, 1)
    if row is None:
        return None
    findings = {int(k): (v[0], v[1]) for k, v in orjson.loads(row.findings).items()}
    counts = {SubjectKind(k): {Verdict(v): n for v, n in found.items()}
              for k, found in orjson.loads(row.counts).items()}
    return EvaluationState(row.policy_sha256, row.trust_store_version, row.graph,
                           row.evidence_mark, row.attestation_mark, findings,
                           as_utc(row.evaluated_at), counts)


def save_state(session: Session, state: EvaluationState) -> None:
    session.merge(TrustEvaluationRow(
        id=1, policy_sha256=state.policy_sha256, trust_store_version=state.trust_store_version,
        graph=state.graph, evidence_mark=state.evidence_mark,
        attestation_mark=state.attestation_mark,
        findings=orjson.dumps({str(k): list(v) for k, v in state.findings.items()}).decode(),
        counts=orjson.dumps({k.value: {v.value: n for v, n in found.items()}
                            for k, found in state.counts.items()}).decode(),
        evaluated_at=state.evaluated_at))
    session.flush()


def replace_verdicts(session: Session, verdicts: Collection[SubjectVerdict],
                     devices: JudgedDevices) -> int:
    """Every stored verdict replaced by ``verdicts`` and the devices' ``devices``."""
    session.execute(delete(TrustVerdictRow))
    session.execute(delete(TrustDeviceVerdictRow))
    return _insert(session, verdicts) + _insert_devices(session, devices)


def count_verdicts(verdicts: Iterable[SubjectVerdict], devices: JudgedDevices,
                   ) -> dict[SubjectKind, dict[Verdict, int]]:
    """Subjects by kind and verdict (what ``save_counts`` keeps)."""
    counts: dict[SubjectKind, dict[Verdict, int]] = defaultdict(lambda: defaultdict(int))
    for verdict in verdicts:
        counts[verdict.kind][verdict.verdict] += 1
    counts[SubjectKind.DEVICE].update(Counter(devices.verdicts))
    return {kind: dict(found) for kind, found in counts.items() if found}


def recount(session: Session, counts: Mapping[SubjectKind, Mapping[Verdict, int]],
            verdicts: Collection[SubjectVerdict], devices: JudgedDevices | None,
            ) -> dict[SubjectKind, dict[Verdict, int]]:
    """``counts`` once the stored verdicts of these subjects (and ``devices``, if any)
    are replaced by them: call before ``update_verdicts`` and ``update_device_verdicts``."""
    changed: dict[SubjectKind, dict[Verdict, int]] = defaultdict(lambda: defaultdict(int))
    for kind, found in counts.items():
        changed[kind].update(found)
    by_kind: dict[SubjectKind, list[int]] = defaultdict(list)
    for verdict in verdicts:
        by_kind[verdict.kind].append(verdict.key)
        changed[verdict.kind][verdict.verdict] += 1
    device_keys: list[int] = []
    if devices is not None:
        device_keys = devices.keys
        for device_verdict, count in Counter(devices.verdicts).items():
            changed[SubjectKind.DEVICE][device_verdict] += count
    for kind, keys in by_kind.items():
        for old in _column_of(session, TrustVerdictRow.verdict, TrustVerdictRow.subject_id,
                              keys, TrustVerdictRow.kind == kind.value):
            changed[kind][Verdict(old)] -= 1
    for old in _column_of(session, TrustDeviceVerdictRow.verdict,
                          TrustDeviceVerdictRow.device_id, device_keys):
        changed[SubjectKind.DEVICE][Verdict(old)] -= 1
    return {kind: {v: n for v, n in found.items() if n} for kind, found in changed.items()
            if any(found.values())}


def _column_of(session: Session, column: Any, key: Any, keys: Collection[int],
               *where: Any) -> Iterator[Any]:
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        yield from session.scalars(select(column).where(
            key.in_(ordered[start:start + _CHUNK]), *where))


def update_verdicts(session: Session, verdicts: Collection[SubjectVerdict]) -> int:
    """The stored verdicts of these subjects replaced (or added)."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for verdict in verdicts:
        by_kind[verdict.kind.value].append(verdict.key)
    for kind, keys in by_kind.items():
        for start in range(0, len(keys), _CHUNK):
            session.execute(delete(TrustVerdictRow).where(
                TrustVerdictRow.kind == kind,
                TrustVerdictRow.subject_id.in_(keys[start:start + _CHUNK])))
    return _insert(session, verdicts)


def update_device_verdicts(session: Session, devices: JudgedDevices) -> int:
    """The stored verdicts of these devices replaced (or added)."""
    keys = sorted(devices.keys)
    for start in range(0, len(keys), _CHUNK):
        session.execute(delete(TrustDeviceVerdictRow).where(
            TrustDeviceVerdictRow.device_id.in_(keys[start:start + _CHUNK])))
    return _insert_devices(session, devices)


def _insert(session: Session, verdicts: Collection[SubjectVerdict]) -> int:
    until = _bound(session, TrustVerdictRow, {v.valid_until for v in verdicts})
    values: list[Any] = []
    for v in verdicts:
        values += (_KINDS[v.kind], v.key, v.name, _VERDICTS[v.verdict],
                   reasons_json(v.reasons), until[v.valid_until])
    return bulk.insert_rows(session, TrustVerdictRow, _COLUMNS, values) if values else 0


def reasons_json(reasons: Iterable[Message]) -> str:
    """Reasons as stored: a JSON list of {"code", "facts"}, a fact that is a message
    written the same way. The bytes orjson writes for the dataclasses, at a third of
    its cost (orjson's own path for a slotted dataclass takes 4 us a verdict, 215,000
    verdicts an evaluation)."""
    return orjson.dumps([{"code": m.code, "facts": m.facts} for m in reasons],
                        default=_nested_message,
                        option=orjson.OPT_PASSTHROUGH_DATACLASS).decode()


def _nested_message(value: object) -> dict[str, object]:
    if isinstance(value, Message):
        return {"code": value.code, "facts": value.facts}
    raise TypeError(f"{type(value).__name__} is not JSON")  # orjson's own refusal


def _insert_devices(session: Session, devices: JudgedDevices) -> int:
    """The columns turned into the driver's values and laid end to end by C loops (map,
    zip, chain): no Python step per device."""
    until = _bound(session, TrustDeviceVerdictRow, set(devices.valid_until))
    values = list(chain.from_iterable(zip(
        devices.keys, map(_VERDICTS.__getitem__, devices.verdicts),
        map(until.__getitem__, devices.valid_until), strict=True)))
    return (bulk.insert_rows(session, TrustDeviceVerdictRow,
                             ("device_id", "verdict", "valid_until"), values) if values else 0)


def _bound(session: Session, entity: type[TrustVerdictRow | TrustDeviceVerdictRow],
           untils: Iterable[datetime | None]) -> dict[datetime | None, Any]:
    """``valid_until`` values as the driver takes them: many verdicts share a time, so
    each distinct one is converted once."""
    return {u: None if u is None else bulk.as_bound(session, entity, "valid_until", u)
            for u in untils}


# the plain text of verdicts and kinds, without the enum's ``value`` descriptor per row
_VERDICTS = {v: v.value for v in Verdict}
_KINDS = {k: k.value for k in SubjectKind}


def aged_out(session: Session, at: datetime) -> dict[SubjectKind, set[int]]:
    """Subjects whose verdict depended on an input that has aged past its limit."""
    found: dict[SubjectKind, set[int]] = defaultdict(set)
    for kind, key in session.execute(select(TrustVerdictRow.kind, TrustVerdictRow.subject_id)
                                     .where(TrustVerdictRow.valid_until <= at)):
        found[SubjectKind(kind)].add(key)
    found[SubjectKind.DEVICE].update(session.scalars(
        select(TrustDeviceVerdictRow.device_id).where(TrustDeviceVerdictRow.valid_until <= at)))
    return found


def known_verdicts(session: Session, kind: SubjectKind, keys: Collection[int] | None,
                   ) -> dict[tuple[SubjectKind, int], KnownVerdict]:
    """The stored verdicts of subjects of ``kind`` (those of ``keys``, or all)."""
    known: dict[tuple[SubjectKind, int], KnownVerdict] = {}
    if keys is None:
        for key, name, verdict in session.execute(
                select(TrustVerdictRow.subject_id, TrustVerdictRow.name, TrustVerdictRow.verdict)
                .where(TrustVerdictRow.kind == kind.value)):
            known[(kind, key)] = KnownVerdict(name, Verdict(verdict))
        return known
    ordered = sorted(keys)
    for start in range(0, len(ordered), _CHUNK):
        for key, name, verdict in session.execute(
                select(TrustVerdictRow.subject_id, TrustVerdictRow.name, TrustVerdictRow.verdict)
                .where(TrustVerdictRow.kind == kind.value,
                       TrustVerdictRow.subject_id.in_(ordered[start:start + _CHUNK]))):
            known[(kind, key)] = KnownVerdict(name, Verdict(verdict))
    return known


def stored_tallies(session: Session, site_ids: Collection[int],
                   ) -> tuple[dict[int, list[Tally]], dict[int, list[Tally]]]:
    """Per site (of ``site_ids``) and per zone of those sites: the stored verdicts of
    their devices, counted, with the lowest device id of each verdict."""
    sites: dict[int, list[Tally]] = defaultdict(list)
    zones: dict[int, list[Tally]] = defaultdict(list)
    ordered = sorted(site_ids)
    for column, table in ((DeviceRow.site_id, sites), (DeviceRow.zone_id, zones)):
        for start in range(0, len(ordered), _CHUNK):
            for key, verdict, count, example in session.execute(
                    select(column, TrustDeviceVerdictRow.verdict, func.count(),
                           func.min(DeviceRow.id))
                    .join(TrustDeviceVerdictRow, TrustDeviceVerdictRow.device_id == DeviceRow.id)
                    .where(DeviceRow.site_id.in_(ordered[start:start + _CHUNK]),
                           column.is_not(None))
                    .group_by(column, TrustDeviceVerdictRow.verdict)):
                table[cast(int, key)].append(  # NULL zones are filtered out
                    Tally(Verdict(verdict), count, example))
    return sites, zones


def stored_device_verdicts(session: Session) -> dict[int, DeviceVerdict]:
    """Every stored device verdict, by device id."""
    return {key: DeviceVerdict(key, Verdict(verdict), None if until is None else as_utc(until))
            for key, verdict, until in session.execute(select(
                TrustDeviceVerdictRow.device_id, TrustDeviceVerdictRow.verdict,
                TrustDeviceVerdictRow.valid_until))}


def stored_verdicts(session: Session,
                    kinds: Collection[SubjectKind] = ()) -> list[SubjectVerdict]:
    """The stored verdicts with their reasons (of ``kinds``, or all), in kind and id
    order; devices are not among them (``stored_device_verdicts``)."""
    query = select(TrustVerdictRow).order_by(TrustVerdictRow.kind, TrustVerdictRow.subject_id)
    if kinds:
        query = query.where(TrustVerdictRow.kind.in_([k.value for k in kinds]))
    return [_verdict(row) for row in session.scalars(query)]


def _verdict(row: TrustVerdictRow) -> SubjectVerdict:
    reasons = tuple(_message(r) for r in orjson.loads(row.reasons))
    return SubjectVerdict(SubjectKind(row.kind), row.subject_id, row.name, Verdict(row.verdict),
                          (reasons[0], *reasons[1:]),
                          None if row.valid_until is None else as_utc(row.valid_until))


def _message(data: Mapping[str, Any]) -> Message:
    return Message(str(data["code"]), {k: _fact(v) for k, v in data["facts"].items()})


def _fact(value: object) -> object:
    if isinstance(value, dict) and value.keys() == {"code", "facts"}:
        return _message(value)
    return value
