"""`cpstrust events`: listing with its cursor and filters in each format, following new
events, and delivery to a JSONL file and a webhook with the exit codes CI reads."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import ok, run

from event_data import PURL, VEX, advisories, sbom
from webhook_receiver import SECRET, Receiver


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store where one advisory import introduced one finding, and a VEX resolved it."""
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "250")
    ok("sbom", "import", str(sbom(tmp_path / "bom.json", PURL)), "--product", "Gateway",
       "--version", "2.4.0", "--supplier", "Acme")
    ok("vulndb", "import", str(advisories(tmp_path)))
    ok("vex", "import", str(VEX))
    yield tmp_path / "home"


def _events(*args: str) -> list[dict[str, object]]:
    events: list[dict[str, object]] = json.loads(ok("events", "--format", "json", *args))[
        "events"]
    return events


def test_events_are_listed_with_their_cursor_and_filters(home: Path) -> None:
    every = _events()
    assert [(e["id"], e["kind"], e["old_status"], e["new_status"]) for e in every] == [
        (1, "introduced", None, "open"), (2, "resolved", "open", "not_affected")]
    assert every[0]["severity"] == "high"
    assert every[1]["cause"]["kind"] == "vex"  # type: ignore[index]
    assert _events("--since", "1") == every[1:]
    assert _events("--kind", "introduced") == every[:1]
    assert _events("--product", "Router") == []
    assert _events("--since", str(every[1]["time"])) == every[1:]
    lines = ok("events", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == every
    table = ok("events")
    assert "CVE-2023-43804" in table and "open → not_affected" in table


def test_a_since_that_is_no_id_or_time_is_bad_usage(home: Path) -> None:
    code, _, err = run("events", "--since", "yesterday")
    assert code == 2
    assert "--since" in err and "yesterday" in err


def test_follow_prints_events_as_they_are_recorded(home: Path, tmp_path: Path) -> None:
    follower = subprocess.Popen(
        [sys.executable, "-m", "cpstrust", "events", "--follow", "--format", "jsonl",
         "--since", "2", "--interval", "0.1"], stdout=subprocess.PIPE, env=os.environ)
    try:
        # urllib3 1.25.0: the VEX speaks of 1.24.1 only, so the finding stands
        ok("sbom", "import", str(sbom(tmp_path / "router.json", "pkg:pypi/urllib3@1.25.0")),
           "--product",
           "Router", "--version", "1.0", "--supplier", "Acme")
        assert follower.stdout is not None
        ready, _, _ = select.select([follower.stdout], [], [], 30)
        assert ready, "no event printed within 30 s"
        line = json.loads(follower.stdout.readline())
        assert (line["id"], line["product"], line["kind"]) == (3, "Router", "introduced")
        time.sleep(0.5)  # well into its loop: an interrupt while starting up exits 130
    finally:
        follower.send_signal(signal.SIGINT)
        assert follower.wait(timeout=20) == 0


def test_jsonl_delivery_writes_each_event_once(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    first = json.loads(ok("events", "deliver", "--jsonl", str(out), "--format", "json"))
    second = json.loads(ok("events", "deliver", "--jsonl", str(out), "--format", "json"))
    assert (first["delivered"], second["delivered"]) == (2, 0)
    assert second["delivered_up_to"] == 2
    assert [json.loads(line) for line in out.read_text().splitlines()] == _events()


def test_webhook_delivery_stops_on_a_4xx_with_exit_2_and_resumes(
        home: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    deliver = ("events", "deliver", "--webhook", receiver.url, "--secret-env", "HOOK_SECRET",
               "--allow-http")
    receiver.answers = [404]
    code, _, err = run(*deliver)
    assert code == 2
    assert "HTTP 404" in err and receiver.url in err
    out = ok(*deliver)
    assert "Delivered 2 events" in out
    assert [e["id"] for e in receiver.events] == [1, 2]
    assert receiver.bad_signatures == 0


@pytest.mark.parametrize("args", [
    ("events", "deliver"),
    ("events", "deliver", "--jsonl", "x.jsonl", "--webhook", "https://example.invalid/"),
    ("events", "deliver", "--webhook", "https://example.invalid/", "--secret-env", "UNSET_VAR"),
    ("events", "--follow", "--format", "json"),
])
def test_deliver_without_one_sink_or_its_secret_is_bad_usage(home: Path,
                                                             args: tuple[str, ...]) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert err.startswith("cpstrust: error:")
