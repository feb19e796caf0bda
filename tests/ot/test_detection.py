"""Detection on generated traffic: every attack kind found by the rules, normal traffic
of the same network (other times, other variation) silent; the baseline file's
bad-input classes; the command contract and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from cpstrust.app.monitor import analyze_capture, learn_baseline, load_baseline
from cpstrust.app.ot_scenario import ScenarioRequest, generate_scenario
from cpstrust.cli.app import app
from cpstrust.errors import InputError
from cpstrust.formats.ot_baseline import read_baseline, write_baseline
from cpstrust.formats.ot_scenario import read_episodes
from cpstrust.formats.pcap_write import CaptureFormat
from cpstrust.model.ot import BacnetMessage, ModbusMessage
from cpstrust.model.ot_detect import PROFILES, TECHNIQUE_NAMES, Detector
from cpstrust.model.ot_scenario import AttackKind, Episode
from cpstrust.model.ot_scenario_config import ScenarioConfig
from cpstrust.ot.decoder import OtDecoder
from cpstrust.ot.detect import OtDetection

ATTACKS = ScenarioConfig(seed=21, normal_seconds=1200, test_seconds=16 * 120)
QUIET = ScenarioConfig(seed=21, normal_seconds=1200, test_seconds=900, attacks=(),
                       variation=1.5)


@pytest.fixture(scope="module")
def scenario_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scenario")
    generate_scenario(ScenarioRequest(ATTACKS, out, CaptureFormat.PCAP, None))
    learn_baseline([out / "normal.pcap"], out / "baseline.json")
    return out


@pytest.fixture(scope="module")
def episodes(scenario_dir: Path) -> tuple[Episode, ...]:
    return read_episodes((scenario_dir / "truth.json").read_bytes(), "truth.json")


@pytest.fixture(scope="module")
def rule_alerts(scenario_dir: Path) -> list:
    result = analyze_capture(scenario_dir / "test.pcap",
                             load_baseline(scenario_dir / "baseline.json"), model=False)
    return [a for a in result.alerts if a.detector is Detector.RULES]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _matches(alert, episode: Episode) -> bool:
    return (alert.ts_first <= episode.end and alert.ts_last >= episode.start
            and alert.src == episode.src and (episode.dst is None or alert.dst == episode.dst))


@pytest.mark.parametrize("kind", list(AttackKind))
def test_rules_detect_every_attack_kind(kind: AttackKind, episodes, rule_alerts) -> None:
    for episode in (e for e in episodes if e.kind is kind):
        assert any(_matches(a, episode) for a in rule_alerts), episode


def test_rules_raise_few_alerts_outside_episodes(episodes, rule_alerts) -> None:
    false = [a for a in rule_alerts if not any(_matches(a, e) for e in episodes)]
    assert len(false) <= 0.1 * len(rule_alerts), false


def test_rules_are_silent_on_normal_traffic_with_more_variation(tmp_path: Path) -> None:
    generate_scenario(ScenarioRequest(QUIET, tmp_path, CaptureFormat.PCAP, None))
    learn_baseline([tmp_path / "normal.pcap"], tmp_path / "baseline.json")
    result = analyze_capture(tmp_path / "test.pcap", load_baseline(tmp_path / "baseline.json"),
                             model=False)
    assert result.packets > 10_000
    assert len(result.alerts) <= 2, result.alerts


def test_bursts_are_aggregated_with_a_count(rule_alerts) -> None:
    floods = [a for a in rule_alerts if a.kind.value in ("flood", "rate_change")]
    assert floods and max(a.count for a in floods) > 10
    keys = [a.key for a in rule_alerts]
    assert all(a.ts_first <= a.ts_last for a in rule_alerts)
    assert len(keys) >= len(set(keys))


def test_every_technique_exists_in_attack_for_ics(shared_data: Path) -> None:
    bundle = orjson.loads((shared_data / "attack" / "ics-attack.json").read_bytes())
    names = {ref["external_id"]: o["name"] for o in bundle["objects"]
             if o["type"] == "attack-pattern" and not o.get("revoked")
             for ref in o.get("external_references", [])
             if ref.get("source_name") == "mitre-attack"}
    used = {p.technique for p in PROFILES.values() if p.technique}
    assert used <= set(TECHNIQUE_NAMES)
    assert all(names[t] == TECHNIQUE_NAMES[t] for t in used)


def test_every_requirement_is_in_the_shipped_cpsf_catalogue() -> None:
    catalogue = (Path(__file__).parents[2] / "src/cpstrust/catalogs/cpsf.json").read_text()
    labels = {f'"{r}"' for p in PROFILES.values() for r in p.requirements}
    assert all(label in catalogue for label in labels)


# The baseline file ---------------------------------------------------------------------

def test_baseline_round_trips(scenario_dir: Path) -> None:
    baseline = load_baseline(scenario_dir / "baseline.json")
    assert read_baseline(write_baseline(baseline), "again") == baseline


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda d: b"{not json", "json_syntax"),
    (lambda d: orjson.dumps(d | {"version": 1}), "baseline_version"),
    (lambda d: orjson.dumps(d | {"model": d["model"] | {"left": [10**9] * 3}}), "baseline_row"),
    (lambda d: orjson.dumps(d | {"model": d["model"] | {"left": [10**9] * len(d["model"]["left"])}
                                 }), "baseline_row"),
    (lambda d: orjson.dumps(d | {"model": d["model"] | {"features": ["requests"]}}),
     "baseline_row"),
    (lambda d: orjson.dumps(d | {"model": d["model"] | {"spread": [0.0] * 12}}), "baseline_row"),
    (lambda d: orjson.dumps(d | {"model": {"roots": [0]}}), "baseline_row"),
    (lambda d: orjson.dumps(d | {"format": "other"}), "baseline_format"),
    (lambda d: orjson.dumps(d | {"extra": 1}), "baseline_fields"),
    (lambda d: orjson.dumps(d | {"hosts": [["a"], ["a"]]}), "baseline_duplicate_row"),
    (lambda d: orjson.dumps(d | {"talkers": [["a", "b", 6]]}), "baseline_row"),
    (lambda d: orjson.dumps(d | {"packets": "many"}), "baseline_row"),
    (lambda d: orjson.dumps(d)[:-2] + b', "hosts": []}', "json_duplicate_key"),
])
def test_bad_baselines_are_refused(scenario_dir: Path, mutate, code: str) -> None:
    document = orjson.loads((scenario_dir / "baseline.json").read_bytes())
    with pytest.raises(InputError) as raised:
        read_baseline(mutate(document), "bad.json")
    assert raised.value.source == "bad.json"
    assert raised.value.code.startswith(code.split("_")[0])
    if code.startswith("baseline"):
        assert raised.value.code == code


def test_an_oversize_baseline_is_refused() -> None:
    from cpstrust.formats import ot_baseline

    with pytest.raises(InputError) as raised:
        read_baseline(b" " * (ot_baseline.MAX_BYTES + 1), "big.json")
    assert raised.value.code == "baseline_too_large"


# The commands --------------------------------------------------------------------------

def test_analyze_prints_the_alert_contract_and_exits_1(scenario_dir: Path) -> None:
    code, out, _err = run("monitor", "analyze", str(scenario_dir / "test.pcap"), "--baseline",
                          str(scenario_dir / "baseline.json"), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["alerts"]
    for alert in report["alerts"]:
        assert {"ts_first", "ts_last", "src", "dst", "severity", "kind", "technique",
                "explanation", "count"} <= set(alert)
        assert isinstance(alert["ts_first"], float) and alert["ts_first"] <= alert["ts_last"]
        assert alert["count"] >= 1 and alert["explanation"]


def test_analyze_of_normal_traffic_against_its_own_baseline_exits_0(tmp_path: Path) -> None:
    generate_scenario(ScenarioRequest(
        ScenarioConfig(seed=22, normal_seconds=300, test_seconds=0, attacks=()), tmp_path,
        CaptureFormat.PCAP, None))
    normal = str(tmp_path / "normal.pcap")
    code, _out, _err = run("monitor", "learn", normal, "--out", str(tmp_path / "b.json"))
    assert code == 0
    code, out, _err = run("monitor", "analyze", normal, "--baseline", str(tmp_path / "b.json"),
                          "--format", "json", "--no-model")
    assert code == 0, out
    assert json.loads(out)["alerts"] == []


def test_analyze_with_a_bad_baseline_exits_2(tmp_path: Path, scenario_dir: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"format": "cpstrust-ot-baseline", "version": 99}')
    code, _out, err = run("monitor", "analyze", str(scenario_dir / "test.pcap"),
                          "--baseline", str(bad))
    assert code == 2
    assert "bad.json" in err


@pytest.mark.parametrize("kind", [ModbusMessage, BacnetMessage])
def test_the_rules_refuse_what_is_not_a_decoded_message(scenario_dir: Path, kind) -> None:
    """The compiled rules read a message's fields by position: anything else is refused,
    never read as one."""
    detection = OtDetection(load_baseline(scenario_dir / "baseline.json"), OtDecoder())
    judge = detection.rules.modbus if kind is ModbusMessage else detection.rules.bacnet
    for stranger in [(), ("10.0.0.1",), "a message", None]:
        with pytest.raises(TypeError, match=kind.__name__):
            judge(stranger)
