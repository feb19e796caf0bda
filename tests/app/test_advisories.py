"""Advisory import and its rules (incremental, never back in time, aliases merged,
stored SBOMs re-evaluated), the findings lifecycle it drives, and impact; on SQLite and
on a real PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.advisory_lookup import StoredAdvisoryLookup
from cpstrust.app.findings import FindingFilter, impact, list_findings, set_finding_status
from cpstrust.app.sboms import import_sbom
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.osv import read_osv
from cpstrust.model.finding import FindingStatus
from cpstrust.store import advisories as advisory_store
from cpstrust.store.advisories import ParsedAdvisory, SessionAdvisoryReads
from cpstrust.store.tables import AdvisoryRow, FindingRow, OrganizationRow, ProductRow
from cpstrust.vulndb.aliases import merge_aliases
from cpstrust.vulndb.interface import PackageEntries

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
GOGO = ("GO-2021-0053", "CVE-2021-3121", "GHSA-c3h9-896r-86jm")


def _go_advisories(shared_data: Path, tmp_path: Path, ids: list[str]) -> Path:
    target = tmp_path / "osv"
    target.mkdir(exist_ok=True)
    for advisory_id in ids:
        shutil.copy(
            shared_data / "advisories" / "go-vulndb" / "osv" / f"{advisory_id}.json", target
        )
    return target


def _load_demo(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")


def test_reimport_of_unchanged_advisories_writes_nothing(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053", "GO-2020-0001", "GO-2022-0969"])
    first = import_advisory_paths(services, [osv]).result
    again = import_advisory_paths(services, [osv]).result
    assert (first.added, first.unchanged) == (3, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_changed_advisory_is_updated_in_place(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    import_advisory_paths(services, [osv])
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    record["modified"] = "2030-01-01T00:00:00Z"
    (osv / "GO-2021-0053.json").write_text(json.dumps(record))
    result = import_advisory_paths(services, [osv]).result
    assert (result.added, result.updated) == (0, 1)
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AdvisoryRow)) == 1


def test_impact_walks_to_products_suppliers_devices_and_sites(services: Services) -> None:
    _load_demo(services)
    result = impact(services, "CVE-2021-3121")
    assert set(GOGO) <= {result.vulnerability_id, *result.aliases}
    assert [(c.product, c.name, c.version) for c in result.components] == [
        ("SS-SensorHub", "github.com/gogo/protobuf", "v1.3.1")
    ]
    assert result.components[0].fixed_versions == ("1.3.2",)
    assert [(o.name, o.tier) for o in result.organizations] == [
        ("Setouchi Sensors", 0),
        ("Hokuriku Controls", 1),
        ("Kanto Motors", 2),
    ]
    assert [d.name for d in result.devices] == ["hub-press1", "hub-weld2"]
    assert [s.name for s in result.sites] == ["Mikawa Assembly Plant"]


@pytest.mark.parametrize("alias", (*GOGO, "cve-2021-3121"))
def test_impact_answers_to_every_alias_of_one_vulnerability(services: Services, alias: str) -> None:
    _load_demo(services)
    assert impact(services, alias).vulnerability_id == impact(services, GOGO[0]).vulnerability_id


def test_impact_of_unknown_id_is_a_clear_error(services: Services) -> None:
    _load_demo(services)
    with pytest.raises(NotFoundError, match="CVE-1999-0000"):
        impact(services, "CVE-1999-0000")


def test_patched_release_has_no_finding_for_the_fixed_version(services: Services) -> None:
    _load_demo(services)
    old = list_findings(services, FindingFilter(product="HC-Gateway"))
    assert {f.release for f in old if f.component == "urllib3"} == {"3.2.0"}


def test_newer_advisories_reevaluate_stored_sboms(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 0
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    done = import_advisory_paths(services, [osv])
    assert done.reevaluation is not None
    assert [(m.name, m.version) for _rid, m in done.reevaluation.new] == [
        ("github.com/gogo/protobuf", "v1.3.1")
    ]


def _republish(osv: Path, **changes: object) -> None:
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    (osv / "GO-2021-0053.json").write_text(json.dumps({**record, **changes}))


def test_withdrawn_advisory_matches_nothing_and_clears_its_finding(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    import_advisory_paths(services, [osv])
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    _republish(osv, withdrawn="2030-01-01T00:00:00Z", modified="2030-01-01T00:00:00Z")
    done = import_advisory_paths(services, [osv])
    assert done.result.withdrawn == 1
    statuses = [f.status for f in list_findings(services)]
    assert statuses == [FindingStatus.NOT_AFFECTED.value]


def test_decision_on_a_finding_survives_reimport_of_the_sbom(services: Services) -> None:
    _load_demo(services)
    finding = next(f for f in list_findings(services) if f.component == "github.com/gogo/protobuf")
    set_finding_status(services, finding.id, FindingStatus.ACCEPTED, "not reachable: no Unmarshal")
    import_sbom(
        services,
        DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json",
        product="SS-SensorHub",
        version="1.8.0",
        supplier=None,
    )
    again = next(f for f in list_findings(services) if f.component == "github.com/gogo/protobuf")
    assert (again.status, again.note) == ("accepted", "not reachable: no Unmarshal")


def test_failed_chain_load_writes_nothing(services: Services, tmp_path: Path) -> None:
    (tmp_path / "sboms").mkdir()
    shutil.copy(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json", tmp_path / "sboms" / "good.json")
    (tmp_path / "sboms" / "bad.json").write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": ')
    (tmp_path / "chain.yaml").write_text(
        "organizations: [{name: A}]\nproducts: [{name: P, supplier: A, releases: "
        "[{version: '1', sbom: sboms/good.json}, {version: '2', sbom: sboms/bad.json}]}]\n"
    )
    with pytest.raises(InputError, match=r"bad\.json"):
        load_supply_chain_file(services, tmp_path / "chain.yaml")
    with services.store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OrganizationRow)) == 0
        assert session.scalar(select(func.count()).select_from(ProductRow)) == 0


def test_stored_sbom_keeps_the_received_bytes_and_digest(services: Services) -> None:
    _load_demo(services)
    path = DEMO / "sboms" / "mbs-bac200-5.1.2.cdx.xml"
    done = import_sbom(services, path, product="MBS-BAC200", version="5.1.2", supplier=None)
    assert done.stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert done.stored.without_purl == 2  # the web console and the BACnet stack


def test_older_copy_of_an_advisory_never_replaces_newer_data(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    newer = {**record, "modified": "2030-01-01T00:00:00Z", "withdrawn": "2030-01-01T00:00:00Z"}
    (osv / "GO-2021-0053.json").write_text(json.dumps(newer))
    import_advisory_paths(services, [osv])
    (osv / "GO-2021-0053.json").write_text(
        json.dumps({**record, "modified": "2021-05-01T00:00:00Z"})
    )
    result = import_advisory_paths(services, [osv]).result
    assert (result.older, result.updated) == (1, 0)
    with services.store.transaction() as session:
        assert session.get(AdvisoryRow, "GO-2021-0053").withdrawn is not None


GOGO_KEY = ("go", "github.com/gogo/protobuf")


def _gogo_entries(services: Services) -> PackageEntries | None:
    with services.store.transaction() as session:
        lookup = StoredAdvisoryLookup(SessionAdvisoryReads(session), services.advisory_cache)
        return lookup.affected_for([GOGO_KEY]).get(GOGO_KEY)


def test_lookup_keeps_what_it_read_until_the_advisories_change(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    assert _gogo_entries(services) is None  # kept as "no advisories" ...
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    import_advisory_paths(services, [osv])
    first = _gogo_entries(services)  # ... until an import changes the generation
    assert first is not None
    hits = first.index("go").outcome("v1.3.1").hits
    assert [h.vulnerability.id for h in hits] == ["CVE-2021-3121"]
    assert _gogo_entries(services) is first  # kept: not read again, index not rebuilt
    _republish(osv, withdrawn="2030-01-01T00:00:00Z", modified="2030-01-01T00:00:00Z")
    import_advisory_paths(services, [osv])
    assert _gogo_entries(services) is None


def test_advisories_read_in_a_rolled_back_import_are_not_kept(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    records = [
        ParsedAdvisory(read_osv(p.read_bytes(), source=str(p)), p.read_bytes())
        for p in osv.glob("*.json")
    ]
    at = datetime.now(UTC)
    with pytest.raises(RuntimeError), services.store.transaction() as session:
        source = advisory_store.source_id(session, "test", "directory", at)
        for record in records:
            advisory_store.write_advisory(session, record, "0" * 64, source, replaces=False)
        merged = merge_aliases(advisory_store.live_alias_records(session))
        advisory_store.save_vulnerabilities(session, merged, at)
        lookup = StoredAdvisoryLookup(SessionAdvisoryReads(session), services.advisory_cache)
        assert lookup.affected_for([GOGO_KEY])
        raise RuntimeError("abandon the import")
    assert _gogo_entries(services) is None


def test_a_finding_cleared_by_a_withdrawal_reopens_when_the_advisory_returns(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    import_advisory_paths(services, [osv])
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    original = json.loads((osv / "GO-2021-0053.json").read_text())
    _republish(osv, withdrawn="2030-01-01T00:00:00Z", modified="2030-01-01T00:00:00Z")
    import_advisory_paths(services, [osv])
    assert [(f.status, f.note) for f in list_findings(services)] == [
        ("not_affected", "advisory data no longer matches (withdrawn or corrected)")]
    (osv / "GO-2021-0053.json").write_text(
        json.dumps({**original, "modified": "2031-01-01T00:00:00Z"}))
    done = import_advisory_paths(services, [osv])
    assert [(f.status, f.note) for f in list_findings(services)] == [("open", None)]
    assert done.reevaluation is not None and len(done.reevaluation.new) == 1  # open again


def test_a_persons_decision_is_kept_when_the_advisory_changes(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    import_advisory_paths(services, [osv])
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    (finding,) = list_findings(services)
    set_finding_status(services, finding.id, FindingStatus.NOT_AFFECTED, "vendored, patched")
    _republish(osv, modified="2030-01-01T00:00:00Z", summary="reworded")
    import_advisory_paths(services, [osv])
    assert [(f.status, f.note) for f in list_findings(services)] == [
        ("not_affected", "vendored, patched")]
