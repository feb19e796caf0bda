"""Reading advisory directories and OSV zip exports, including hostile archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import orjson
import pytest

from cpstrust.errors import CpstrustError, InputError, LimitExceededError
from cpstrust.feeds.osv_files import iter_advisories, iter_advisory_files
from cpstrust.limits import ReadLimits


def _record(id_: str) -> bytes:
    return orjson.dumps({"id": id_, "modified": "2024-01-01T00:00:00Z", "affected": [
        {"package": {"ecosystem": "PyPI", "name": "x"}, "versions": ["1.0"]}]})


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_directory_is_read_recursively_json_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "X-1.json").write_bytes(_record("X-1"))
    (tmp_path / "a" / "b" / "X-2.yaml").write_text("id: X-2\nmodified: '2024'\n")
    (tmp_path / "a" / "b" / "X-3.yml").write_text("id: X-3\nmodified: '2024'\n")
    (tmp_path / "README.md").write_text("not an advisory")
    (tmp_path / ".id-allocator").write_text("")
    raws = list(iter_advisory_files([tmp_path]))
    assert [(Path(r.source).name, r.yaml) for r in raws] == [
        ("X-1.json", False), ("X-2.yaml", True), ("X-3.yml", True)]


def test_zip_export_json_members_are_read_and_others_ignored(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "all.zip", {"GO-1.json": _record("GO-1"), "notes.txt": b"x",
                                          "dir/GO-2.json": _record("GO-2")})
    raws = list(iter_advisory_files([archive]))
    assert [r.source for r in raws] == [f"{archive}:GO-1.json", f"{archive}:dir/GO-2.json"]
    assert [a.id for a in iter_advisories([archive])] == ["GO-1", "GO-2"]


def test_zip_member_names_are_never_used_as_paths(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"../../escape.json": _record("X-1")})
    assert [a.id for a in iter_advisories([archive])] == ["X-1"]
    assert not (tmp_path.parent / "escape.json").exists()


def test_zip_bomb_member_is_refused(tmp_path: Path) -> None:
    bomb = b'{"id": "X-1", "modified": "x", "details": "' + b" " * 20_000_000 + b'"}'
    archive = _zip(tmp_path / "bomb.zip", {"bomb.json": bomb, "ok.json": _record("OK-1")})
    errors: list[CpstrustError] = []
    assert [a.id for a in iter_advisories([archive], on_error=errors.append)] == ["OK-1"]
    assert len(errors) == 1
    assert isinstance(errors[0], LimitExceededError)
    assert "expands" in errors[0].problem and "zip bomb" in errors[0].problem


def test_zip_member_larger_than_the_document_limit_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "big.zip", {"big.json": _record("X-1")}, zipfile.ZIP_STORED)
    with pytest.raises(LimitExceededError, match="over the 50-byte limit"):
        list(iter_advisory_files([archive], ReadLimits(max_bytes=50)))


def test_zip_with_too_many_members_is_refused_whole(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "many.zip", {f"X-{i}.json": _record(f"X-{i}") for i in range(11)})
    with pytest.raises(LimitExceededError, match="11 members, over the 10 limit"):
        list(iter_advisory_files([archive], ReadLimits(max_archive_members=10)))


def test_member_lying_about_its_size_cannot_expand(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("X-1.json", _record("X-1") + b" " * 100_000)
    data = bytearray(buffer.getvalue())
    # Shrink the declared size in the central directory (offset 24 in its record).
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data))
    errors: list[CpstrustError] = []
    assert list(iter_advisories([path], on_error=errors.append)) == []
    assert len(errors) == 1
    assert errors[0].source == f"{path}:X-1.json"


def test_not_a_zip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="not a readable zip archive"):
        list(iter_advisory_files([path]))


def test_one_bad_file_among_many_is_reported_and_skipped(tmp_path: Path) -> None:
    for i in range(50):
        (tmp_path / f"X-{i:02}.json").write_bytes(_record(f"X-{i:02}"))
    (tmp_path / "X-25.json").write_bytes(b"{broken")
    errors: list[CpstrustError] = []
    advisories = list(iter_advisories([tmp_path], on_error=errors.append))
    assert len(advisories) == 49
    assert [e.source for e in errors] == [str(tmp_path / "X-25.json")]
    assert "malformed JSON" in errors[0].diagnostics()


def test_without_a_callback_the_first_bad_file_raises(tmp_path: Path) -> None:
    (tmp_path / "X-1.json").write_bytes(b"{broken")
    with pytest.raises(InputError, match=r"X-1\.json"):
        list(iter_advisories([tmp_path]))


def test_unknown_source_kind_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "advisories.tar.gz"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="not an advisory source"):
        list(iter_advisory_files([path]))


def test_oversized_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "X-1.json"
    path.write_bytes(_record("X-1"))
    with pytest.raises(LimitExceededError, match="over the 20-byte limit"):
        list(iter_advisory_files([path], ReadLimits(max_bytes=20)))
