"""Scans: an SBOM file against the advisories (nothing stored), or stored releases; and
the compiled advisories a scan reads, which must answer as compiling them again does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.scanning import StoredScope, scan_file, scan_stored
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.errors import InputError, NotFoundError
from cpstrust.model.sbom import PurlField
from cpstrust.store.tables import (
    AffectedRow,
    CompiledPackageRow,
    CompiledStateRow,
    ComponentRow,
    FindingRow,
    ReleaseRow,
)

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
SBOM = DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json"


def _counts(services: Services) -> tuple[int, ...]:
    with services.store.transaction() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0
                     for t in (ReleaseRow, ComponentRow, FindingRow))


def _fresh(services: Services) -> Services:
    """The same store seen by a new process: nothing kept in memory."""
    return Services(services.settings, store=services.store)


def test_scanning_a_file_stores_nothing(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    before = _counts(services)
    scanned = scan_file(services, SBOM)
    assert scanned.advisories_present
    assert scanned.report.matches  # the demo's firmware has findings
    assert _counts(services) == before


def test_an_empty_advisory_database_is_said_to_be_empty_not_clean(services: Services) -> None:
    scanned = scan_file(services, SBOM)
    assert (scanned.advisories_present, scanned.report.matches) == (False, ())


def test_a_new_process_scans_as_one_that_opened_the_store(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    expected = scan_file(_fresh(services), SBOM)
    new_process = Services(services.settings)  # nothing opened yet, as a command-line run
    scanned = scan_file(new_process, SBOM)
    assert (scanned.report, scanned.advisories_present) == (expected.report, True)
    sqlite = services.settings.database_url.startswith("sqlite")
    assert (new_process._store is None) == sqlite  # SQLite: read without the store
    new_process.close()


def test_a_purl_that_contradicts_its_component_is_reported_with_the_scan(
    services: Services, tmp_path: Path
) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    sbom = tmp_path / "bom.json"
    sbom.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
        {"type": "library", "name": "github.com/gogo/protobuf", "version": "1.3.1",
         "purl": "pkg:golang/github.com/gogo/protobuf@v1.3.2", "bom-ref": "gogo"}]}))
    scanned = scan_file(services, sbom)
    assert [(d.ref, d.field, d.component_value, d.purl_value) for d in scanned.disagreements] \
        == [("gogo", PurlField.VERSION, "1.3.1", "v1.3.2")]
    assert scanned.report.matches == ()  # matched by the purl: 1.3.2 is fixed


def test_a_version_without_its_product_is_no_scope() -> None:
    with pytest.raises(InputError):
        StoredScope(version="1.0")


def test_scanning_stored_releases_that_do_not_exist_is_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError):
        scan_stored(services, StoredScope(product="nothing"))


def test_scanning_stored_releases_reevaluates_their_findings(services: Services) -> None:
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    assert _counts(services)[2] == 0  # no advisories yet
    import_advisory_paths(services, [DEMO / "advisories"])
    one = scan_stored(services, StoredScope(product="SS-SensorHub"))
    assert one.releases == 1 and one.advisories_present and one.evaluation.matches
    every = scan_stored(services, StoredScope())
    assert every.releases == _counts(services)[0]
    assert len(every.evaluation.matches) == _counts(services)[2] > len(one.evaluation.matches)


def _compiled_records(services: Services) -> int:
    with services.store.transaction() as session:
        return session.scalar(select(func.count()).select_from(CompiledPackageRow)) or 0


def test_an_import_compiles_the_packages_a_scan_reads(
    services: Services, shared_data: Path, tmp_path: Path
) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    assert _compiled_records(services) > 0
    compiled = scan_file(_fresh(services), SBOM).report
    with services.store.transaction() as session:  # as a store no import has compiled
        session.execute(delete(CompiledStateRow))
    assert scan_file(_fresh(services), SBOM).report == compiled


def test_records_compiled_by_other_code_are_not_used(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    expected = scan_file(_fresh(services), SBOM).report
    with services.store.transaction() as session:  # records no longer to be trusted
        session.execute(update(CompiledStateRow).values(fingerprint="0" * 64))
        session.execute(update(CompiledPackageRow).values(data=b'{"format": 1}'))
    assert scan_file(_fresh(services), SBOM).report == expected


def test_a_later_import_recompiles_everything_when_the_records_were_not_complete(
    services: Services, tmp_path: Path
) -> None:
    osv = tmp_path / "osv"
    osv.mkdir()
    go = sorted(DEMO.joinpath("advisories").glob("GO-*.json"))
    for path in go[:2]:
        shutil.copy(path, osv)
    import_advisory_paths(services, [osv])
    with services.store.transaction() as session:  # as after an upgrade to migration 0008
        session.execute(delete(CompiledStateRow))
        session.execute(delete(CompiledPackageRow))
    shutil.copy(go[2], osv)
    import_advisory_paths(services, [osv])  # changes one advisory's packages only
    with services.store.transaction() as session:
        compiled = {tuple(r) for r in session.execute(
            select(CompiledPackageRow.ecosystem, CompiledPackageRow.package))}
        affected = {tuple(r) for r in session.execute(
            select(AffectedRow.ecosystem, AffectedRow.package).distinct())}
    assert compiled == affected  # the first two advisories' packages too


def test_an_import_that_changes_nothing_still_completes_the_compiled_records(
    services: Services,
) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    with services.store.transaction() as session:  # as after an upgrade of cpstrust
        session.execute(update(CompiledStateRow).values(fingerprint="0" * 64))
        session.execute(delete(CompiledPackageRow))
    done = import_advisory_paths(services, [DEMO / "advisories"])
    assert done.result.unchanged and not (done.result.added or done.result.updated)
    with services.store.transaction() as session:
        compiled = session.scalar(select(func.count()).select_from(CompiledPackageRow))
        affected = session.scalar(select(func.count()).select_from(
            select(AffectedRow.ecosystem, AffectedRow.package).distinct().subquery()))
    assert compiled == affected
