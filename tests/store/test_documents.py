"""Kept SBOM documents are stored compressed and always read back as the bytes received;
a damaged store gives a StoreError, never a crash or an allocation the size of a bomb."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from sqlalchemy import select, update

from appservices import services_of
from cpstrust.app.sboms import import_sbom
from cpstrust.errors import StoreError
from cpstrust.messages import catalogue
from cpstrust.store.db import Store
from cpstrust.store.documents import keep_document, original_bytes
from cpstrust.store.sboms import sbom_document, sbom_with_digest
from cpstrust.store.tables import SbomDocumentRow

DEMO = Path(__file__).resolve().parents[2] / "src" / "cpstrust" / "demo"
SBOM = DEMO / "sboms" / "hc-gateway-3.2.0.cdx.json"
RAW = SBOM.read_bytes()
SHA256 = hashlib.sha256(RAW).hexdigest()


def _import(store: Store) -> None:
    import_sbom(services_of(store), SBOM, product="Gateway", version="1", supplier="Supplier")


def _damage(store: Store, **columns: object) -> None:
    with store.transaction() as session:
        session.execute(update(SbomDocumentRow).values(**columns))


def _read_back(store: Store) -> bytes | None:
    with store.transaction() as session:
        return sbom_document(session, SHA256)


def test_a_stored_document_reads_back_byte_identical_and_is_kept_compressed(store: Store) -> None:
    _import(store)
    back = _read_back(store)
    assert back == RAW
    assert back is not None and hashlib.sha256(back).hexdigest() == SHA256
    with store.transaction() as session:
        row = session.execute(select(SbomDocumentRow)).scalar_one()
        assert (row.content_encoding, row.size, row.sha256) == ("zstd", len(RAW), SHA256)
        assert len(row.content) < len(RAW) / 3
        assert sbom_with_digest(session, SHA256) is not None


def test_a_document_stored_before_compression_reads_back_as_stored(store: Store) -> None:
    _import(store)
    _damage(store, content=RAW, content_encoding="identity")
    assert _read_back(store) == RAW


def test_an_unknown_digest_reads_back_nothing(store: Store) -> None:
    _import(store)
    with store.transaction() as session:
        assert sbom_document(session, "0" * 64) is None


def test_a_truncated_blob_is_refused_as_damaged(store: Store) -> None:
    _import(store)
    _damage(store, content=keep_document(RAW).content[:-100])
    with pytest.raises(StoreError, match="fewer than its recorded") as raised:
        _read_back(store)
    assert raised.value.source == f"stored SBOM {SHA256[:16]}"
    # The advice is the CLI's (the hint of the error's code), not carried by the error.
    assert "damaged" in catalogue()[f"hint.{raised.value.code}"][0]


def test_another_documents_blob_fails_the_digest_check(store: Store) -> None:
    _import(store)
    other = RAW.replace(b"CycloneDX", b"CycloneDx", 1)  # same size, other bytes
    _damage(store, content=keep_document(other).content)
    with pytest.raises(StoreError, match="does not match its recorded SHA-256"):
        _read_back(store)


def test_a_blob_that_is_not_zstd_is_refused(store: Store) -> None:
    _import(store)
    _damage(store, content=b"not a zstd frame at all")
    with pytest.raises(StoreError, match="cannot be decompressed"):
        _read_back(store)


def test_an_unknown_encoding_is_refused(store: Store) -> None:
    _import(store)
    _damage(store, content_encoding="brotli")
    with pytest.raises(StoreError, match="unknown encoding 'brotli'"):
        _read_back(store)


def test_a_bomb_is_decompressed_only_one_byte_past_the_recorded_size() -> None:
    bomb = zstandard.ZstdCompressor().compress(bytes(512 * 1024 * 1024))  # 16 KB stored
    tracemalloc.start()
    try:
        with pytest.raises(StoreError, match="more than its recorded 1000 bytes"):
            original_bytes(bomb, "zstd", 1000, SHA256, label="bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_a_damaged_size_column_does_not_size_an_allocation() -> None:
    kept = keep_document(RAW)
    with pytest.raises(StoreError, match="fewer than its recorded"):
        original_bytes(kept.content, "zstd", 1 << 50, SHA256, label="huge size")


def test_a_frame_asking_for_a_huge_window_is_refused() -> None:
    params = zstandard.ZstdCompressionParameters.from_level(19, window_log=27)
    writer = zstandard.ZstdCompressor(compression_params=params).compressobj()
    blob = writer.compress(RAW) + writer.flush()  # streamed: the 128 MB window is kept
    # zstd's own words for it ("too much memory") are its to change; ours are not.
    with pytest.raises(StoreError, match=r"^wide window: the kept document cannot be decompr"):
        original_bytes(blob, "zstd", len(RAW), SHA256, label="wide window")


def test_downgrading_gives_earlier_code_the_documents_uncompressed(
    tmp_path: Path, downgrade: Callable[[Store, str], None]
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'down.db'}")
    _import(store)
    downgrade(store, "0004")
    with store.engine.connect() as connection:
        content = connection.exec_driver_sql("SELECT content FROM sbom_document").scalar_one()
        columns = [r[1] for r in connection.exec_driver_sql("PRAGMA table_info(sbom_document)")]
    store.close()
    assert content == RAW
    assert "content_encoding" not in columns
