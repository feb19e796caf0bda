"""Batch SBOM ingest: worker processes prepare, one transaction writes; on SQLite and on a
real PostgreSQL."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cpstrust.app.advisories import import_advisory_paths
from cpstrust.app.findings import list_findings, set_finding_status
from cpstrust.app.sbom_batch import SbomToImport, prepared_sboms
from cpstrust.app.sboms import import_sbom, import_sboms
from cpstrust.app.services import Services
from cpstrust.app.supplychain import load_supply_chain_file
from cpstrust.errors import CpstrustError, InputError, LimitExceededError
from cpstrust.formats.sbom import read_sbom_file
from cpstrust.limits import DEFAULT_LIMITS
from cpstrust.model.finding import FindingStatus
from cpstrust.model.sbom import SbomDetail
from cpstrust.store.db import Store
from cpstrust.store.sboms import prepare_sbom, sbom_dependencies
from cpstrust.store.tables import (
    ComponentDependencyRow,
    ComponentRow,
    FindingRow,
    ProductRow,
    ReleaseRow,
    SbomDocumentRow,
)

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
# Every supported shape the demo has: CycloneDX JSON and XML, SPDX JSON (with files).
SBOMS = sorted((DEMO / "sboms").iterdir())


def _count(store: Store, table: type) -> int:
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _snapshot(session: Session, prefix: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything stored for the products named ``prefix``*, with the database's ids
    replaced by what they stand for (product suffix, component ref)."""

    def product(name: str) -> str:
        return name.removeprefix(prefix)

    documents = session.execute(
        select(
            ProductRow.name,
            ReleaseRow.version,
            SbomDocumentRow.format,
            SbomDocumentRow.spec_version,
            SbomDocumentRow.serial,
            SbomDocumentRow.sha256,
            SbomDocumentRow.size,
            SbomDocumentRow.content,
            SbomDocumentRow.source_name,
            SbomDocumentRow.received_from_id,
            SbomDocumentRow.component_count,
            SbomDocumentRow.without_purl_count,
        )
        .join(ReleaseRow, ReleaseRow.id == SbomDocumentRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.name.startswith(prefix))
    )
    component_columns = [
        c for c in ComponentRow.__table__.columns if c.name not in ("id", "release_id", "sbom_id")
    ]
    components = session.execute(
        select(ProductRow.name, *component_columns)
        .join(ReleaseRow, ReleaseRow.id == ComponentRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.name.startswith(prefix))
    )
    dependencies = [
        (name, *edge)
        for name, sbom_id in session.execute(
            select(ProductRow.name, SbomDocumentRow.id)
            .join(ReleaseRow, ReleaseRow.id == SbomDocumentRow.release_id)
            .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
            .where(ProductRow.name.startswith(prefix))
        )
        for edge in sbom_dependencies(session, sbom_id)
    ]
    findings = session.execute(
        select(
            ProductRow.name,
            ComponentRow.ref,
            FindingRow.vulnerability_id,
            FindingRow.status,
            FindingRow.severity,
            FindingRow.fixed_versions,
        )
        .join(ComponentRow, ComponentRow.id == FindingRow.component_id)
        .join(ReleaseRow, ReleaseRow.id == FindingRow.release_id)
        .join(ProductRow, ProductRow.id == ReleaseRow.product_id)
        .where(ProductRow.name.startswith(prefix))
    )
    return {
        name: sorted(((product(row[0]), *row[1:]) for row in rows), key=lambda r: repr(r))
        for name, rows in (
            ("documents", documents),
            ("components", components),
            ("dependencies", dependencies),
            ("findings", findings),
        )
    }


def test_a_batch_stores_the_same_rows_as_importing_one_by_one(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    batch = import_sboms(
        services,
        [SbomToImport(path, f"batch-{path.name}", "1", supplier="Supplier") for path in SBOMS],
        workers=2,
    )
    for path in SBOMS:
        import_sbom(
            services, path, product=f"single-{path.name}", version="1", supplier="Supplier"
        )
    with services.store.transaction() as session:
        in_batch = _snapshot(session, "batch-")
        one_by_one = _snapshot(session, "single-")
    assert in_batch == one_by_one
    assert len(in_batch["documents"]) == len(SBOMS)
    assert in_batch["dependencies"] and in_batch["findings"]  # the comparison compared rows
    assert batch.evaluation is not None
    assert batch.evaluation.findings == len(in_batch["findings"])
    assert [s.components for s in batch.stored] == [c for *_, c, _ in in_batch["documents"]]


def _good_and_bad(tmp_path: Path) -> tuple[list[Path], Path]:
    bad = tmp_path / "broken.cdx.json"
    bad.write_bytes(b'{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{]}')
    paths = []
    for i in range(4):
        good = tmp_path / f"good-{i}.cdx.json"
        shutil.copy(DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json", good)
        paths.append(good)
    return [*paths[:2], bad, *paths[2:]], bad


def test_a_broken_sbom_in_the_middle_of_a_batch_writes_nothing_and_names_the_file(
    services: Services, tmp_path: Path
) -> None:
    paths, bad = _good_and_bad(tmp_path)
    items = [SbomToImport(p, f"P{i}", "1", supplier="Supplier") for i, p in enumerate(paths)]
    with pytest.raises(InputError) as raised:
        import_sboms(services, items, workers=2)
    assert raised.value.source == str(bad)
    for table in (ProductRow, SbomDocumentRow, ComponentRow, ComponentDependencyRow):
        assert _count(services.store, table) == 0, table


def _in_this_process(path: Path, limits: Any = DEFAULT_LIMITS) -> CpstrustError:
    with pytest.raises(CpstrustError) as raised:
        read_sbom_file(path, limits)
    return raised.value


def _fields(error: CpstrustError) -> tuple[Any, ...]:
    # The message itself (code and facts), so that it is told in the user's language too.
    return type(error), error.source, error.location, error.message


def test_worker_errors_surface_as_the_same_error_with_file_place_and_problem(
    tmp_path: Path,
) -> None:
    paths, bad = _good_and_bad(tmp_path)
    with pytest.raises(InputError) as raised:
        list(prepared_sboms(paths, workers=2))
    expected = _in_this_process(bad)
    assert _fields(raised.value) == _fields(expected)
    assert expected.location  # the place in the file survives the trip back
    assert str(raised.value) == str(expected)


def test_worker_keeps_the_kind_of_error_for_a_file_over_the_size_limit(tmp_path: Path) -> None:
    paths, _bad = _good_and_bad(tmp_path)
    small = replace(DEFAULT_LIMITS, max_bytes=1000)
    with pytest.raises(LimitExceededError) as raised:
        list(prepared_sboms(paths, small, workers=2))
    assert _fields(raised.value) == _fields(_in_this_process(paths[0], small))


def test_prepared_sboms_come_back_in_the_order_asked(tmp_path: Path) -> None:
    paths = []
    for i, sbom in enumerate(SBOMS * 2):
        paths.append(tmp_path / f"{i}-{sbom.name}")
        shutil.copy(sbom, paths[-1])
    digests = [p.document.sha256 for p in prepared_sboms(paths, workers=2)]
    assert digests == [p.document.sha256 for p in prepared_sboms(paths, workers=1)]
    assert len(set(digests)) == len(SBOMS)


def test_decisions_survive_when_a_batch_replaces_a_release_twice(services: Services) -> None:
    import_advisory_paths(services, [DEMO / "advisories"])
    load_supply_chain_file(services, DEMO / "supply-chain.yaml")
    finding = next(f for f in list_findings(services) if f.component == "github.com/gogo/protobuf")
    set_finding_status(services, finding.id, FindingStatus.ACCEPTED, "not reachable: no Unmarshal")
    again = SbomToImport(DEMO / "sboms" / "ss-sensorhub-1.8.0.spdx.json", "SS-SensorHub", "1.8.0")
    done = import_sboms(services, [again, again], workers=2)
    assert [s.replaced for s in done.stored] == [True, True]
    kept = next(f for f in list_findings(services) if f.component == "github.com/gogo/protobuf")
    assert (kept.status, kept.note) == ("accepted", "not reachable: no Unmarshal")
    assert _count(services.store, SbomDocumentRow) == 4  # one current SBOM per release


def test_an_sbom_read_to_identity_detail_cannot_be_stored() -> None:
    sbom, raw = read_sbom_file(SBOMS[0], DEFAULT_LIMITS, SbomDetail.IDENTITY)
    assert sbom.detail is SbomDetail.IDENTITY  # the first demo SBOM is CycloneDX JSON
    with pytest.raises(ValueError, match="identity detail cannot be stored"):
        prepare_sbom(sbom, raw)
