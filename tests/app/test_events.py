"""Events: each change to the stored data records the findings it introduced, resolved
or reopened, once; repeating a change records nothing; a replaced SBOM announces only
what it changed. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.event_delivery import deliver_to_jsonl
from cpstrust.app.events import list_events
from cpstrust.app.findings import list_findings, set_finding_status
from cpstrust.app.sboms import import_sbom
from cpstrust.app.scanning import StoredScope, scan_stored
from cpstrust.app.services import Services
from cpstrust.app.vex import import_vex
from cpstrust.errors import InputError
from cpstrust.model.events import CauseKind, Event, EventKind, EventSelection
from cpstrust.model.finding import FindingStatus
from cpstrust.store.tables import EventSinkRow
from event_data import ADVISORY, PURL, VEX, advisories, sbom


def kinds(events: list[Event]) -> list[tuple[EventKind, str | None, str | None]]:
    return [(e.change.kind, e.change.old_status and e.change.old_status.value,
             e.change.new_status and e.change.new_status.value) for e in events]


def test_an_advisory_import_making_a_stored_release_vulnerable_introduces_one_event(
        services: Services, tmp_path: Path) -> None:
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    assert list_events(services) == []  # stored before any advisory: nothing found
    source = advisories(tmp_path)
    done = import_advisory_paths(services, [source])
    events = list_events(services)
    assert done.events == 1
    assert kinds(events) == [(EventKind.INTRODUCED, None, "open")]
    finding = events[0].change.finding
    assert (finding.product, finding.version, finding.purl) == ("Gateway", "2.4.0", PURL)
    assert finding.vulnerability_id == "CVE-2023-43804"
    assert set(finding.aliases) >= {"PYSEC-2023-192", "GHSA-v845-jxx5-vc9f"}
    assert finding.finding_id == list_findings(services)[0].id
    assert events[0].cause.kind is CauseKind.ADVISORIES
    assert str(source.resolve()) in events[0].cause.reference


def test_the_same_import_again_records_nothing(services: Services, tmp_path: Path) -> None:
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    import_advisory_paths(services, [advisories(tmp_path)])
    import_advisory_paths(services, [advisories(tmp_path)])
    scan_stored(services, StoredScope())  # a re-scan that changes nothing, too
    import_vex(services, VEX)
    import_vex(services, VEX)
    assert [e.change.kind for e in list_events(services)] == [EventKind.INTRODUCED,
                                                               EventKind.RESOLVED]


def test_a_vex_not_affected_statement_resolves_and_a_withdrawal_after_it_is_silent(
        services: Services, tmp_path: Path) -> None:
    import_advisory_paths(services, [advisories(tmp_path)])
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    introduced = list_events(services)
    assert kinds(introduced) == [(EventKind.INTRODUCED, None, "open")]
    assert introduced[0].cause.kind is CauseKind.SBOM
    done = import_vex(services, VEX)
    resolved = list_events(services, EventSelection(after_id=introduced[-1].id))
    assert done.events == 1
    assert kinds(resolved) == [(EventKind.RESOLVED, "open", "not_affected")]
    assert resolved[0].cause.kind is CauseKind.VEX
    assert "gateway.openvex.json" in resolved[0].cause.reference
    import_advisory_paths(services, [advisories(tmp_path, withdrawn=True)])
    assert len(list_events(services)) == 2  # resolved already: nothing more to hear


def test_a_withdrawn_advisory_resolves_and_its_return_reopens(services: Services,
                                                              tmp_path: Path) -> None:
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    import_advisory_paths(services, [advisories(tmp_path)])
    import_advisory_paths(services, [advisories(tmp_path, withdrawn=True)])
    returned = tmp_path / "returned"
    returned.mkdir()
    record = json.loads(ADVISORY.read_text())
    record["modified"] = "2024-02-01T00:00:00Z"
    (returned / ADVISORY.name).write_text(json.dumps(record))
    import_advisory_paths(services, [returned])
    assert kinds(list_events(services)) == [(EventKind.INTRODUCED, None, "open"),
                                            (EventKind.RESOLVED, "open", "not_affected"),
                                            (EventKind.REOPENED, "not_affected", "open")]


def test_a_new_release_announces_one_event_per_purl_written_twice(
        services: Services, tmp_path: Path) -> None:
    # A release with no findings before takes the path the database writes alone: it
    # must keep the rule that a purl written twice is one finding key.
    import_advisory_paths(services, [advisories(tmp_path)])
    path = sbom(tmp_path / "bom.json", PURL, "pkg:pypi/idna@3.7")
    document = json.loads(path.read_text())
    document["components"].append({**document["components"][0], "bom-ref": "again"})
    path.write_text(json.dumps(document))
    import_sbom(services, path, product="Gateway", version="2.4.0", supplier="Acme")
    findings = list_findings(services)
    events = list_events(services)
    assert len(findings) == 2  # one per component written
    assert kinds(events) == [(EventKind.INTRODUCED, None, "open")]
    assert events[0].change.finding.finding_id == min(f.id for f in findings)
    assert events[0].change.finding.purl == PURL
    assert set(events[0].change.finding.aliases) >= {"PYSEC-2023-192"}
    assert events[0].cause.kind is CauseKind.SBOM


def test_a_new_release_whose_finding_is_born_resolved_announces_nothing(
        services: Services, tmp_path: Path) -> None:
    import_advisory_paths(services, [advisories(tmp_path)])
    import_sbom(services, sbom(tmp_path / "before.json", "pkg:pypi/idna@3.7"),
                product="Gateway", version="2.4.0", supplier="Acme")
    import_vex(services, VEX)  # stored before the component it speaks of arrives
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    assert [f.status for f in list_findings(services)] == ["not_affected"]
    assert list_events(services) == []


def test_a_replaced_sbom_announces_only_what_it_changed(services: Services,
                                                        tmp_path: Path) -> None:
    import_advisory_paths(services, [advisories(tmp_path)])
    first = sbom(tmp_path / "bom.json", PURL)
    import_sbom(services, first, product="Gateway", version="2.4.0", supplier="Acme")
    finding = list_findings(services)[0]
    set_finding_status(services, finding.id, FindingStatus.ACCEPTED, "behind a proxy")
    again = sbom(tmp_path / "again.json", PURL, "pkg:pypi/idna@3.7")
    import_sbom(services, again, product="Gateway", version="2.4.0", supplier="Acme")
    assert len(list_events(services)) == 1  # dropped and found again: no event
    assert list_findings(services)[0].status == "accepted"  # the decision carried over
    fixed = sbom(tmp_path / "fixed.json", "pkg:pypi/urllib3@1.26.18")
    import_sbom(services, fixed, product="Gateway", version="2.4.0", supplier="Acme")
    events = list_events(services)
    assert kinds(events)[1:] == [(EventKind.RESOLVED, "accepted", None)]  # gone
    assert events[1].change.finding.purl == PURL


def test_events_are_selected_by_kind_product_and_time(services: Services,
                                                      tmp_path: Path) -> None:
    import_advisory_paths(services, [advisories(tmp_path)])
    for product in ("Gateway", "Router"):
        import_sbom(services, sbom(tmp_path / f"{product}.json", PURL), product=product,
                    version="2.4.0", supplier="Acme")
    import_vex(services, VEX, StoredScope("Router"))
    every = list_events(services)
    assert [(e.change.kind, e.change.finding.product) for e in every] == [
        (EventKind.INTRODUCED, "Gateway"), (EventKind.INTRODUCED, "Router"),
        (EventKind.RESOLVED, "Router")]
    resolved = list_events(services, EventSelection(kinds=(EventKind.RESOLVED,)))
    assert [e.id for e in resolved] == [every[2].id]
    gateway = list_events(services, EventSelection(product="Gateway"))
    assert [e.id for e in gateway] == [every[0].id]
    later = list_events(services, EventSelection(since=every[2].at))
    assert [e.id for e in later] == [every[2].id]


def test_jsonl_delivery_writes_each_event_once(services: Services, tmp_path: Path) -> None:
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    import_advisory_paths(services, [advisories(tmp_path)])
    out = tmp_path / "events.jsonl"
    first = deliver_to_jsonl(services, out)
    second = deliver_to_jsonl(services, out)
    assert (first.delivered, second.delivered) == (1, 0)
    import_vex(services, VEX)
    third = deliver_to_jsonl(services, out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert third.delivered == 1
    assert [(e["kind"], e["new_status"]) for e in lines] == [("introduced", "open"),
                                                             ("resolved", "not_affected")]
    assert lines[0]["vulnerability_id"] == "CVE-2023-43804"
    assert lines[0]["cause"]["kind"] == "advisories"
    assert [e["id"] for e in lines] == [e.id for e in list_events(services)]


def test_jsonl_delivery_after_a_crash_writes_nothing_twice(services: Services,
                                                           tmp_path: Path) -> None:
    import_advisory_paths(services, [advisories(tmp_path)])
    import_sbom(services, sbom(tmp_path / "bom.json", PURL), product="Gateway",
                version="2.4.0", supplier="Acme")
    out = tmp_path / "events.jsonl"
    deliver_to_jsonl(services, out)
    with services.store.transaction() as session:  # the crash: written, cursor not moved
        session.execute(delete(EventSinkRow))
    import_vex(services, VEX)
    with out.open("ab") as torn:  # and the next line torn half way
        torn.write(b'{"id": 2, "ki')
    done = deliver_to_jsonl(services, out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert (done.caught_up, done.delivered) == (1, 1)
    assert [e["kind"] for e in lines] == ["introduced", "resolved"]


def test_jsonl_delivery_refuses_a_file_of_something_else(services: Services,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    shutil.copy(VEX, out)
    with pytest.raises(InputError) as caught:
        deliver_to_jsonl(services, out)
    assert caught.value.code == "events_jsonl_not_events"
    assert out.read_bytes() == VEX.read_bytes()
