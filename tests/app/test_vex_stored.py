"""VEX for stored releases: the document kept as evidence, statuses set through the
lifecycle's VEX decider, new findings decided after an advisory import, a person's
decision standing, and nothing stored from a bad or contradicting document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.findings import list_findings, set_finding_status
from cpstrust.app.sboms import import_sbom
from cpstrust.app.scanning import StoredScope
from cpstrust.app.services import Services
from cpstrust.app.vex import import_vex
from cpstrust.errors import InputError, NotFoundError
from cpstrust.model.finding import FindingStatus
from cpstrust.store.tables import FindingRow, VexDocumentRow

REPO = Path(__file__).resolve().parents[2]
ADVISORIES = REPO / "src" / "cpstrust" / "demo" / "advisories"
VEX = REPO / "tests" / "data" / "vex"


def _store_gateway(services: Services, product: str = "Gateway") -> None:
    import_sbom(services, VEX / "gateway.cdx.json", product=product, version="2.4.0",
                supplier="Acme")


def _states(services: Services) -> dict[str, tuple[str, str | None, str | None]]:
    return {f.vulnerability_id: (f.status, f.vex_status, f.justification)
            for f in list_findings(services)}


def _kept_documents(services: Services) -> int:
    with services.store.transaction() as session:
        return session.scalar(select(func.count()).select_from(VexDocumentRow)) or 0


def test_statements_of_each_format_set_the_stored_findings(services: Services) -> None:
    import_advisory_paths(services, [ADVISORIES])
    _store_gateway(services)  # another product name than the SBOM's: both name it
    for name in ("gateway.csaf.json", "gateway.openvex.json", "gateway.cdx-vex.json"):
        done = import_vex(services, VEX / name)
        assert done.new
    states = _states(services)
    assert states["CVE-2023-43804"] == ("not_affected", "not_affected",
                                        "vulnerable_code_not_in_execute_path")
    assert states["CVE-2023-45803"] == ("open", "under_investigation", None)
    assert states["CVE-2019-10906"] == ("open", "affected", None)  # BOM-Link to the SBOM
    assert states["CVE-2020-26137"] == ("fixed", "fixed", None)
    assert states["CVE-2021-33503"][0] == "not_affected"
    assert states["CVE-2018-25091"] == ("open", None, None)  # a statement for 2.0.0
    with services.store.transaction() as session:
        row = session.scalars(select(FindingRow).where(
            FindingRow.vulnerability_id == "CVE-2021-33503")).one()
        assert (row.decided_by, row.vex_statement) == (
            "vex", "/vulnerabilities/1/product_status/known_not_affected/0")
        assert row.note == "The parser is patched out."
    assert _kept_documents(services) == 3
    again = import_vex(services, VEX / "gateway.csaf.json")
    assert (again.new, again.applied.changed) == (False, 0)
    assert _kept_documents(services) == 3


def test_findings_a_later_advisory_import_brings_are_decided_too(services: Services) -> None:
    _store_gateway(services)
    done = import_vex(services, VEX / "gateway.openvex.json")
    assert done.applied.decided == 0  # no advisories yet, no findings
    import_advisory_paths(services, [ADVISORIES])
    assert _states(services)["CVE-2023-43804"][:2] == ("not_affected", "not_affected")


def test_a_persons_decision_stands(services: Services) -> None:
    import_advisory_paths(services, [ADVISORIES])
    _store_gateway(services)
    finding = next(f for f in list_findings(services) if f.vulnerability_id == "CVE-2023-43804")
    set_finding_status(services, finding.id, FindingStatus.ACCEPTED, "mitigated by a proxy")
    done = import_vex(services, VEX / "gateway.openvex.json")
    assert done.applied.kept == 1
    assert _states(services)["CVE-2023-43804"][0] == "accepted"


def test_a_contradicting_document_stores_nothing(services: Services, tmp_path: Path) -> None:
    import_advisory_paths(services, [ADVISORIES])
    _store_gateway(services)
    import_vex(services, VEX / "gateway.openvex.json")
    document = json.loads((VEX / "gateway.openvex.json").read_text())
    document["@id"] = "https://acme.example/vex/gateway-2.4.0-2"
    document["statements"][0]["status"] = "affected"  # same time, other status
    document["statements"][0]["action_statement"] = "Update urllib3."
    del document["statements"][0]["justification"]
    contradicting = tmp_path / "contradicting.json"
    contradicting.write_text(json.dumps(document))
    with pytest.raises(InputError) as caught:
        import_vex(services, contradicting)
    assert caught.value.code == "vex_conflict"
    assert _kept_documents(services) == 1
    assert _states(services)["CVE-2023-43804"][0] == "not_affected"


def test_a_bad_document_or_an_empty_scope_stores_nothing(services: Services,
                                                         tmp_path: Path) -> None:
    _store_gateway(services)
    bad = tmp_path / "bad.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.5"}')
    with pytest.raises(InputError):
        import_vex(services, bad)
    with pytest.raises(NotFoundError):
        import_vex(services, VEX / "gateway.openvex.json", StoredScope("No Such Product"))
    assert _kept_documents(services) == 0
