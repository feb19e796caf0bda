"""Where OSV advisories come from: directories of JSON/YAML files and OSV zip exports.

Archives are read in memory, member by member, with every size bounded before it is
read: member count, declared size, compression ratio (zip bombs), and the bytes
actually produced. Member names are only ever used as labels, never as file paths.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cpstrust.errors import CpstrustError, InputError, LimitExceededError
from cpstrust.formats.osv import read_osv
from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.model.advisory import Advisory

_SUFFIXES = {".json": False, ".yaml": True, ".yml": True}  # suffix -> is YAML
# What zipfile raises on corrupt, truncated, encrypted or unsupported members.
_MEMBER_FAILURES = (
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    NotImplementedError,
    RuntimeError,
)
_RATIO_FLOOR = 64 * 1024  # below this, a high ratio cannot hurt (and tiny files compress oddly)


@dataclass(frozen=True, slots=True)
class RawAdvisory:
    """The bytes of one advisory file and where they came from."""

    source: str  # "dir/GO-2020-0001.json" or "all.zip:GO-2020-0001.json"
    data: bytes
    yaml: bool


def iter_advisory_files(
    paths: Sequence[Path],
    limits: ReadLimits = DEFAULT_LIMITS,
    on_error: Callable[[CpstrustError], None] | None = None,
) -> Iterator[RawAdvisory]:
    """Every advisory file under ``paths`` (directories, files, ``.zip`` exports).

    An unreadable file or unsafe archive goes to ``on_error`` and is skipped; without
    ``on_error`` the first one raises ``InputError``.
    """
    for item in _iter_items(paths, limits):
        if isinstance(item, CpstrustError):
            if on_error is None:
                raise item
            on_error(item)
            continue
        yield item


def iter_advisories(
    paths: Sequence[Path],
    limits: ReadLimits = DEFAULT_LIMITS,
    on_error: Callable[[CpstrustError], None] | None = None,
) -> Iterator[Advisory]:
    """Parsed advisories under ``paths``; a bad file goes to ``on_error`` and is skipped.

    Without ``on_error`` the first bad file raises. Withdrawn advisories are yielded too:
    excluding them is the index's decision.
    """
    for item in _iter_items(paths, limits):
        try:
            if isinstance(item, CpstrustError):
                raise item
            advisory = read_osv(item.data, source=item.source, yaml=item.yaml, limits=limits)
        except CpstrustError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        yield advisory


def _iter_items(paths: Sequence[Path], limits: ReadLimits) -> Iterator[RawAdvisory | CpstrustError]:
    for path in paths:
        if path.is_dir():
            yield from _iter_directory(path, limits)
        elif path.suffix.lower() == ".zip":
            yield from _iter_zip(path, limits)
        elif path.suffix.lower() in _SUFFIXES:
            yield _read_file(path, limits)
        else:
            yield InputError("advisory_source_unsupported", source=str(path))


def _iter_directory(root: Path, limits: ReadLimits) -> Iterator[RawAdvisory | CpstrustError]:
    # os.walk does not follow symbolic links to directories: no cycles, no escaping root.
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix.lower() in _SUFFIXES and not name.startswith("."):
                yield _read_file(path, limits)


def _read_file(path: Path, limits: ReadLimits) -> RawAdvisory | CpstrustError:
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        return InputError("advisory_file_unreadable", reason=exc.strerror or str(exc),
                          source=str(path))
    if len(data) > limits.max_bytes:
        return LimitExceededError("advisory_file_over_limit", limit=limits.max_bytes,
                                  source=str(path))
    return RawAdvisory(str(path), data, _SUFFIXES[path.suffix.lower()])


def _iter_zip(path: Path, limits: ReadLimits) -> Iterator[RawAdvisory | CpstrustError]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        yield InputError("advisory_zip_unreadable", detail=str(exc), source=str(path))
        return
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_archive_members:
            yield LimitExceededError("advisory_zip_too_many_members", count=len(members),
                                     limit=limits.max_archive_members, source=str(path))
            return
        for info in members:
            if not info.is_dir() and info.filename.lower().endswith(".json"):
                yield _read_member(archive, info, f"{path}:{info.filename}", limits)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limits: ReadLimits
) -> RawAdvisory | CpstrustError:
    if info.file_size > limits.max_bytes:
        return LimitExceededError("advisory_member_over_limit", limit=limits.max_bytes,
                                  source=source)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _RATIO_FLOOR and ratio > limits.max_archive_ratio:
        return LimitExceededError("advisory_member_expands", ratio=ratio,
                                  limit=limits.max_archive_ratio, source=source)
    try:
        with archive.open(info) as handle:
            # zipfile stops at the declared size and checks the CRC, so a member that
            # lies about its size fails here instead of expanding without bound.
            data = handle.read(info.file_size + 1)
    except _MEMBER_FAILURES as exc:
        return InputError("advisory_member_unreadable", detail=str(exc), source=source)
    if len(data) > info.file_size:
        return LimitExceededError("advisory_member_oversized", source=source)
    return RawAdvisory(source, data, yaml=False)
