"""A scenario's files: its configuration (JSON) read, and its ground truth written as
JSON (scenario, captures, network, episodes) and CSV (episodes), and read back for
benchmarks."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import orjson

from cpstrust.errors import InputError
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.ot_scenario import AttackKind, Episode, Network
from cpstrust.model.ot_scenario_config import ScenarioConfig

TRUTH_FORMAT = "cpstrust-ot-scenario/1"
MAX_EPISODES = 100_000
_PAIRS = ("modbus_servers", "bacnet_devices", "bystanders", "poll_period", "bacnet_period")
_EPISODE_FIELDS = tuple(f.name for f in fields(Episode))


@dataclass(frozen=True, slots=True)
class CaptureSummary:
    name: str  # "normal", "test" or "scale"
    file: str
    start: float | None  # the first frame's time; None when there is none
    end: float | None
    frames: int
    attack_frames: int
    bytes: int


def read_config(data: bytes, source: str, **overrides: object) -> ScenarioConfig:
    """A ``ScenarioConfig`` from a JSON object naming some of its fields (the rest keep
    their defaults), ``overrides`` applied over it. Unknown keys are refused."""
    document = parse_json_strict(data, source)
    if not isinstance(document, dict):
        raise InputError("scenario_config_not_object", source=source)
    known = {f.name for f in fields(ScenarioConfig)}
    values: dict[str, Any] = {}
    for key, value in document.items():
        if key not in known:
            raise InputError("scenario_config_unknown_key", key=key, source=source,
                             location=f"/{key}")
        values[key] = _config_value(key, value, source)
    values.update(overrides)
    try:
        return ScenarioConfig(**values)
    except InputError as exc:
        raise exc.with_source(source) from None


def _config_value(key: str, value: object, source: str) -> object:
    if key == "attacks":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError("scenario_config_type", key=key, expected="a list of kinds",
                             source=source, location=f"/{key}")
        try:
            return tuple(AttackKind(v) for v in value)
        except ValueError:
            raise InputError("scenario_config_attack_kind", kinds=", ".join(AttackKind),
                             source=source, location=f"/{key}") from None
    if key in _PAIRS:
        if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)):
            raise InputError("scenario_config_type", key=key, expected="[low, high]",
                             source=source, location=f"/{key}")
        return tuple(value)
    integer = key in ("seed", "episodes_per_kind")
    if not (isinstance(value, int) if integer else _number(value)) or isinstance(value, bool):
        raise InputError("scenario_config_type", key=key,
                         expected="an integer" if integer else "a number",
                         source=source, location=f"/{key}")
    return value


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mac(mac: bytes) -> str:
    return ":".join(f"{b:02x}" for b in mac)


def network_record(network: Network) -> dict[str, Any]:
    """The declared network: what an asset inventory should find."""
    return {
        "subnet": network.subnet,
        "hosts": [{"name": h.name, "role": h.role.value, "ip": h.ip, "mac": _mac(h.mac)}
                  for h in network.hosts],
        "modbus_servers": [{"ip": s.host.ip, "units": [
            {"unit_id": u.unit_id, "blocks": [
                {"table": b.table.value, "address": b.address, "count": len(b.signals),
                 "writable": b.writable, "low": [s.low for s in b.signals],
                 "high": [s.high for s in b.signals]} for b in u.blocks]}
            for u in s.units]} for s in network.modbus_servers],
        "polls": [{"master": p.master.ip, "server": p.server.host.ip,
                   "period": round(p.period, 6), "reads": [list(r) for r in p.reads]}
                  for p in network.polls],
        "bacnet_devices": [{"ip": d.host.ip, "instance": d.instance, "vendor_id": d.vendor_id,
                            "objects": [{"type": o.object_type, "instance": o.instance,
                                         "low": o.signal.low, "high": o.signal.high}
                                        for o in d.objects]} for d in network.bacnet_devices],
    }


def truth_json(config: ScenarioConfig, network: Network, captures: Sequence[CaptureSummary],
               episodes: Sequence[Episode]) -> bytes:
    settings = asdict(config)
    settings["attacks"] = [kind.value for kind in config.attacks]
    document = {
        "format": TRUTH_FORMAT,
        "scenario": settings,
        "captures": [asdict(c) for c in captures],
        "network": network_record(network),
        "episodes": [_episode_record(e) for e in episodes],
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def _episode_record(episode: Episode) -> dict[str, object]:
    record = asdict(episode)
    record["kind"] = episode.kind.value
    return record


def truth_csv(episodes: Sequence[Episode]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(_EPISODE_FIELDS)
    for episode in episodes:
        record = _episode_record(episode)
        writer.writerow(["" if record[f] is None else record[f] for f in _EPISODE_FIELDS])
    return text.getvalue().encode()


def read_episodes(data: bytes, source: str) -> tuple[Episode, ...]:
    """The episodes of a ground-truth JSON file; each checked, ids unique."""
    document = parse_json_strict(data, source)
    if not isinstance(document, dict) or document.get("format") != TRUTH_FORMAT:
        raise InputError("scenario_truth_format", expected=TRUTH_FORMAT, source=source)
    records = document.get("episodes")
    if not isinstance(records, list) or len(records) > MAX_EPISODES:
        raise InputError("scenario_truth_episodes", limit=MAX_EPISODES, source=source,
                         location="/episodes")
    episodes = []
    seen: set[int] = set()
    for index, record in enumerate(records):
        episode = _episode(record, source, f"/episodes/{index}")
        if episode.episode_id in seen:
            raise InputError("scenario_truth_duplicate_id", id=episode.episode_id,
                             source=source, location=f"/episodes/{index}/episode_id")
        seen.add(episode.episode_id)
        episodes.append(episode)
    return tuple(episodes)


def _episode(record: object, source: str, where: str) -> Episode:
    if not isinstance(record, Mapping) or set(record) != set(_EPISODE_FIELDS):
        raise InputError("scenario_truth_episode_fields", fields=", ".join(_EPISODE_FIELDS),
                         source=source, location=where)
    try:
        kind = AttackKind(record["kind"])
    except ValueError:
        raise InputError("scenario_config_attack_kind", kinds=", ".join(AttackKind),
                         source=source, location=f"{where}/kind") from None
    start, end = record["start"], record["end"]
    texts = [record[k] for k in ("technique", "src", "protocol", "detail")]
    if not (_number(start) and _number(end) and start <= end
            and isinstance(record["episode_id"], int)
            and all(isinstance(t, str) for t in texts)
            and (record["dst"] is None or isinstance(record["dst"], str))):
        raise InputError("scenario_truth_episode_fields", fields=", ".join(_EPISODE_FIELDS),
                         source=source, location=where)
    return Episode(episode_id=record["episode_id"], kind=kind, technique=record["technique"],
                   start=float(start), end=float(end), src=record["src"], dst=record["dst"],
                   protocol=record["protocol"], detail=record["detail"])
