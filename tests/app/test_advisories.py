"""Advisory import, alias merging, findings with lifecycle, re-evaluation and impact,
on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cpstrust import operations
from cpstrust.errors import InputError, NotFoundError
from cpstrust.formats.osv import read_osv
from cpstrust.model.finding import FindingStatus
from cpstrust.store.advisories import ParsedAdvisory, SqlAdvisoryLookup, import_advisories
from cpstrust.store.db import Store
from cpstrust.store.findings import set_status
from cpstrust.store.impact import impact
from cpstrust.store.reports import list_findings
from cpstrust.store.tables import AdvisoryRow, FindingRow, OrganizationRow, ProductRow
from cpstrust.vulndb.index import PackageAdvisories

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


def _load_demo(store: Store) -> None:
    operations.import_advisory_paths(store, [DEMO / "advisories"])
    operations.load_supply_chain_file(store, DEMO / "supply-chain.yaml")


def test_reimport_of_unchanged_advisories_writes_nothing(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053", "GO-2020-0001", "GO-2022-0969"])
    first = operations.import_advisory_paths(store, [osv]).result
    again = operations.import_advisory_paths(store, [osv]).result
    assert (first.added, first.unchanged) == (3, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_changed_advisory_is_updated_in_place(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    operations.import_advisory_paths(store, [osv])
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    record["modified"] = "2030-01-01T00:00:00Z"
    (osv / "GO-2021-0053.json").write_text(json.dumps(record))
    result = operations.import_advisory_paths(store, [osv]).result
    assert (result.added, result.updated) == (0, 1)
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AdvisoryRow)) == 1


def test_impact_walks_to_products_suppliers_devices_and_sites(store: Store) -> None:
    _load_demo(store)
    with store.transaction() as session:
        result = impact(session, "CVE-2021-3121")
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
def test_impact_answers_to_every_alias_of_one_vulnerability(store: Store, alias: str) -> None:
    _load_demo(store)
    with store.transaction() as session:
        assert impact(session, alias).vulnerability_id == impact(session, GOGO[0]).vulnerability_id


def test_impact_of_unknown_id_is_a_clear_error(store: Store) -> None:
    _load_demo(store)
    with store.transaction() as session, pytest.raises(NotFoundError, match="CVE-1999-0000"):
        impact(session, "CVE-1999-0000")


def test_patched_release_has_no_finding_for_the_fixed_version(store: Store) -> None:
    _load_demo(store)
    with store.transaction() as session:
        old = list_findings(session, product="HC-Gateway")
    assert {f.release for f in old if f.component == "urllib3"} == {"3.2.0"}


def test_newer_advisories_reevaluate_stored_sboms(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    operations.load_supply_chain_file(store, DEMO / "supply-chain.yaml")
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FindingRow)) == 0
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    done = operations.import_advisory_paths(store, [osv])
    assert done.reevaluation is not None
    assert [(m.name, m.version) for _rid, m in done.reevaluation.new] == [
        ("github.com/gogo/protobuf", "v1.3.1")
    ]


def test_withdrawn_advisory_matches_nothing_and_clears_its_finding(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    operations.import_advisory_paths(store, [osv])
    operations.load_supply_chain_file(store, DEMO / "supply-chain.yaml")
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    record["withdrawn"] = record["modified"] = "2030-01-01T00:00:00Z"
    (osv / "GO-2021-0053.json").write_text(json.dumps(record))
    done = operations.import_advisory_paths(store, [osv])
    assert done.result.withdrawn == 1
    with store.transaction() as session:
        statuses = [f.status for f in list_findings(session)]
    assert statuses == [FindingStatus.NOT_AFFECTED.value]


def test_decision_on_a_finding_survives_reimport_of_the_sbom(store: Store) -> None:
    _load_demo(store)
    with store.transaction() as session:
        finding = next(
            f for f in list_findings(session) if f.component == "github.com/gogo/protobuf"
        )
        set_status(session, finding.id, FindingStatus.ACCEPTED, "not reachable: no Unmarshal")
    operations.import_sbom(
        store,
        DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json",
        product="SS-SensorHub",
        version="1.8.0",
        supplier=None,
    )
    with store.transaction() as session:
        again = next(f for f in list_findings(session) if f.component == "github.com/gogo/protobuf")
    assert (again.status, again.note) == ("accepted", "not reachable: no Unmarshal")


def test_failed_chain_load_writes_nothing(store: Store, tmp_path: Path) -> None:
    (tmp_path / "sboms").mkdir()
    shutil.copy(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json", tmp_path / "sboms" / "good.json")
    (tmp_path / "sboms" / "bad.json").write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": ')
    (tmp_path / "chain.yaml").write_text(
        "organizations: [{name: A}]\nproducts: [{name: P, supplier: A, releases: "
        "[{version: '1', sbom: sboms/good.json}, {version: '2', sbom: sboms/bad.json}]}]\n"
    )
    with pytest.raises(InputError, match=r"bad\.json"):
        operations.load_supply_chain_file(store, tmp_path / "chain.yaml")
    with store.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OrganizationRow)) == 0
        assert session.scalar(select(func.count()).select_from(ProductRow)) == 0


def test_stored_sbom_keeps_the_received_bytes_and_digest(store: Store) -> None:
    _load_demo(store)
    path = DEMO / "sboms" / "mbs-bac200-5.1.2.cdx.xml"
    done = operations.import_sbom(store, path, product="MBS-BAC200", version="5.1.2", supplier=None)
    assert done.stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert done.stored.without_purl == 2  # the web console and the BACnet stack


def test_older_copy_of_an_advisory_never_replaces_newer_data(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    newer = {**record, "modified": "2030-01-01T00:00:00Z", "withdrawn": "2030-01-01T00:00:00Z"}
    (osv / "GO-2021-0053.json").write_text(json.dumps(newer))
    operations.import_advisory_paths(store, [osv])
    (osv / "GO-2021-0053.json").write_text(
        json.dumps({**record, "modified": "2021-05-01T00:00:00Z"})
    )
    result = operations.import_advisory_paths(store, [osv]).result
    assert (result.older, result.updated) == (1, 0)
    with store.transaction() as session:
        assert session.get(AdvisoryRow, "GO-2021-0053").withdrawn is not None


GOGO_KEY = ("go", "github.com/gogo/protobuf")


def _gogo_entries(store: Store) -> PackageAdvisories | None:
    with store.transaction() as session:
        return SqlAdvisoryLookup(session).affected_for([GOGO_KEY]).get(GOGO_KEY)


def test_lookup_keeps_what_it_read_until_the_advisories_change(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    assert _gogo_entries(store) is None  # kept as "no advisories" ...
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    operations.import_advisory_paths(store, [osv])
    first = _gogo_entries(store)  # ... until an import changes the generation
    assert first is not None and [e.advisory_id for e in first.entries] == ["GO-2021-0053"]
    assert _gogo_entries(store) is first  # kept: not read again, index not rebuilt
    record = json.loads((osv / "GO-2021-0053.json").read_text())
    record["withdrawn"] = record["modified"] = "2030-01-01T00:00:00Z"
    (osv / "GO-2021-0053.json").write_text(json.dumps(record))
    operations.import_advisory_paths(store, [osv])
    assert _gogo_entries(store) is None


def test_advisories_read_in_a_rolled_back_import_are_not_kept(
    store: Store, shared_data: Path, tmp_path: Path
) -> None:
    osv = _go_advisories(shared_data, tmp_path, ["GO-2021-0053"])
    records = [
        ParsedAdvisory(read_osv(p.read_bytes(), source=str(p)), p.read_bytes())
        for p in osv.glob("*.json")
    ]
    with pytest.raises(RuntimeError), store.transaction() as session:
        import_advisories(session, records, location="test", kind="directory")
        assert SqlAdvisoryLookup(session).affected_for([GOGO_KEY])  # read inside
        raise RuntimeError("abandon the import")
    assert _gogo_entries(store) is None
