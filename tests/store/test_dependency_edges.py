"""Dependency edges are stored by component id and read back as the SBOM's refs, on
SQLite and on a real PostgreSQL, by either ingest path; migration 0006 both ways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson
from sqlalchemy import select, text

from appservices import services_of
from cpstrust.app.sbom_batch import SbomToImport
from cpstrust.app.sboms import import_sbom, import_sboms
from cpstrust.formats.sbom import read_sbom
from cpstrust.store.db import Store
from cpstrust.store.sboms import sbom_dependencies
from cpstrust.store.tables import ComponentDependencyRow, SbomDocumentRow

# Refs declared twice (the first one counts), nested components, an edge from the SBOM's
# own subject ("root") and one to a ref that no component declares.
DOCUMENT = orjson.dumps({
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"component": {"type": "device", "bom-ref": "root", "name": "box"}},
    "components": [
        {"type": "library", "bom-ref": "a", "name": "a", "purl": "pkg:pypi/a@1.0",
         "components": [{"type": "library", "bom-ref": "a.1", "name": "a-inner"}]},
        {"type": "library", "bom-ref": "b", "name": "b"},
        {"type": "library", "bom-ref": "a", "name": "a-again"},
    ],
    "dependencies": [
        {"ref": "root", "dependsOn": ["a", "b"]},
        {"ref": "a", "dependsOn": ["a.1", "b", "gone"]},
        {"ref": "b", "dependsOn": []},
    ],
})
# Read back: edges between components first, then those with another end.
EDGES = (("a", "a.1"), ("a", "b"), ("root", "a"), ("root", "b"), ("a", "gone"))


def _write(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(DOCUMENT)
    return path


def _edges(store: Store) -> list[tuple[tuple[str, str], ...]]:
    with store.transaction() as session:
        ids = session.scalars(select(SbomDocumentRow.id).order_by(SbomDocumentRow.id)).all()
        return [sbom_dependencies(session, sbom_id) for sbom_id in ids]


def test_edges_read_back_as_the_documents_refs_by_either_path(
    store: Store, tmp_path: Path
) -> None:
    assert sorted(read_sbom(DOCUMENT, source="doc").dependencies) == sorted(EDGES)
    import_sbom(services_of(store), _write(tmp_path, "one.json"), product="P", version="1",
                           supplier="S")
    import_sboms(
        services_of(store), [SbomToImport(_write(tmp_path, f"{i}.json"), "Q", str(i), supplier="S")
                for i in range(3)], workers=2)
    assert _edges(store) == [EDGES] * 4


def test_ends_that_are_components_are_stored_as_ids_and_only_others_as_refs(
    store: Store, tmp_path: Path
) -> None:
    import_sbom(services_of(store), _write(tmp_path, "one.json"), product="P", version="1",
                           supplier="S")
    with store.transaction() as session:
        rows = session.execute(
            select(ComponentDependencyRow.component_id, ComponentDependencyRow.depends_on_id,
                   ComponentDependencyRow.ref, ComponentDependencyRow.depends_on)
            .order_by(ComponentDependencyRow.id)).all()
    assert [(c is None, d is None, r, o) for c, d, r, o in rows] == [
        (False, False, None, None), (False, False, None, None), (True, False, "root", None),
        (True, False, "root", None), (False, True, None, "gone")]


def test_postgresql_ids_with_gaps_still_link_the_right_components(
    tmp_path: Path, postgres_url: str
) -> None:
    store = Store.open(postgres_url)
    try:
        with store.engine.begin() as connection:  # as if other sessions took every other id
            connection.execute(text(
                "ALTER SEQUENCE component_id_seq INCREMENT BY 2"))
        import_sbom(services_of(store), _write(tmp_path, "one.json"), product="P",
                               version="1", supplier="S")
        import_sboms(
            services_of(store),
            [SbomToImport(_write(tmp_path, f"{i}.json"), "Q", str(i), supplier="S")
             for i in range(2)], workers=2)
        assert _edges(store) == [EDGES] * 3
    finally:
        store.close()


def test_migration_0006_rewrites_edges_as_ids_and_back(
    tmp_path: Path, database_url: str, downgrade: Callable[[Store, str], None],
    upgrade: Callable[[Store, str], None]
) -> None:
    store = Store.open(database_url)
    import_sbom(services_of(store), _write(tmp_path, "one.json"), product="P", version="1",
                           supplier="S")
    downgrade(store, "0005")
    with store.engine.connect() as connection:
        as_refs = connection.exec_driver_sql(
            "SELECT ref, depends_on FROM component_dependency ORDER BY id").all()
    assert [tuple(r) for r in as_refs] == list(EDGES)  # in the order they were stored
    upgrade(store, "head")
    assert _edges(store) == [EDGES]
    with store.engine.connect() as connection:
        kept = connection.exec_driver_sql(
            "SELECT count(*) FROM component_dependency WHERE ref IS NOT NULL "
            "OR depends_on IS NOT NULL").scalar_one()
    store.close()
    assert kept == 3  # root twice, "gone" once: the rest are ids
