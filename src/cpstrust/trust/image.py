"""Measure a firmware image, a directory or a tar archive, without extracting it.

Every regular file is hashed with SHA-256, plus any algorithm the reference needs for
its path; symbolic links are recorded with a digest over their target string and never
followed; tar hard links are measured as the earlier member they name. Hostile input is
refused with an ``InputError`` naming the image and the member: paths that are absolute
or climb with "..", members beneath a symbolic link, two entries at one path, members
of unknown type, and more members or bytes than ``ImageLimits`` allows. Device nodes,
fifos and sockets hold no content and are skipped, never opened.
"""

from __future__ import annotations

import io
import lzma
import os
import stat
import tarfile
import zlib
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Literal

from cpstrust.errors import InputError
from cpstrust.limits import DEFAULT_IMAGE_LIMITS, ImageLimits
from cpstrust.model.authenticity import MeasuredFile
from cpstrust.trust.measurement import (
    CHUNK,
    Digests,
    KeepRule,
    MeasuredImage,
    Measurement,
    ProgressCallback,
    StreamHasher,
    WatchFactory,
)

__all__ = ["measure_image", "measure_image_keeping"]

_TarMode = Literal["r:", "r:gz", "r:bz2", "r:xz"]
_COMPRESSION: tuple[tuple[bytes, _TarMode], ...] = (
    (b"\x1f\x8b", "r:gz"), (b"BZh", "r:bz2"), (b"\xfd7zXZ\x00", "r:xz"))
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_DIRECTORY = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC


def measure_image(path: Path, limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
                  extra_algorithms: Mapping[str, Sequence[str]] | None = None,
                  ) -> list[MeasuredFile]:
    """Measure every file of the image at ``path`` (a directory, or a tar archive that
    is plain or compressed with gzip, bzip2 or xz), sorted by path.

    ``extra_algorithms`` maps a product path to the algorithms besides SHA-256 its
    reference needs: pass ``Reference.extra_algorithms``. Raises ``InputError`` for
    hostile or unreadable input, ``LimitExceededError`` past ``limits``; nothing partial.
    """
    return _measured(Measurement(str(path), limits, extra_algorithms or {}), path).finish()


def measure_image_keeping(path: Path, keep: KeepRule,
                          limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
                          extra_algorithms: Mapping[str, Sequence[str]] | None = None,
                          progress: ProgressCallback | None = None) -> MeasuredImage:
    """``measure_image``, also keeping the bytes of the regular files ``keep`` wants
    and what its watchers keep of others, read in the same pass (a tar is read once;
    nothing is extracted to disk); ``progress`` is told the files and bytes so far."""
    extra = {} if extra_algorithms is None else extra_algorithms  # may be empty yet answer
    measurement = _measured(Measurement(str(path), limits, extra, keep, progress), path)
    return MeasuredImage(measurement.finish(), measurement.contents, measurement.oversized,
                         measurement.excerpts)


def _measured(measurement: Measurement, path: Path) -> Measurement:
    if path.is_dir():
        _walk_directory(measurement, path)
    else:
        _read_tar(measurement, path)
    return measurement


def _walk_directory(image: Measurement, root: Path) -> None:
    # Descriptor-relative opens with O_NOFOLLOW: no symbolic link is ever followed, even
    # one swapped in while the walk runs. Only the directories on the current path are open.
    try:
        root_fd = os.open(root, _OPEN_DIRECTORY)
    except OSError as exc:
        raise InputError("image_directory_unopenable", error=exc.strerror,
                         source=str(root)) from None
    stack: list[tuple[int, str, list[str]]] = []
    try:
        stack.append((root_fd, "", _scan(image, root_fd, "")))
        while stack:
            fd, prefix, subdirectories = stack[-1]
            if not subdirectories:
                stack.pop()
                if fd != root_fd:
                    os.close(fd)
                continue
            name = subdirectories.pop()
            child = os.open(name, _OPEN_DIRECTORY, dir_fd=fd)
            stack.append((child, f"{prefix}{name}/", []))
            stack[-1][2].extend(_scan(image, child, f"{prefix}{name}/"))
        image.complete(lambda path: io.FileIO(_open_beneath(root_fd, path)))
    except OSError as exc:
        raise InputError("image_directory_unreadable", error=str(exc),
                         source=str(root)) from None
    finally:
        for fd, _, _ in stack:
            if fd != root_fd:
                os.close(fd)
        os.close(root_fd)


def _scan(image: Measurement, dir_fd: int, prefix: str) -> list[str]:
    """Measure one directory's files and links; return its subdirectories' names."""
    subdirectories: list[str] = []
    with os.scandir(dir_fd) as entries:
        for entry in entries:
            path = prefix + entry.name
            image.count(path)
            # The entry's type comes with the directory listing: no stat call per entry.
            if entry.is_dir(follow_symlinks=False):
                subdirectories.append(entry.name)
            elif entry.is_symlink():
                image.add_symlink(path, path, os.readlink(entry.name, dir_fd=dir_fd))
            elif entry.is_file(follow_symlinks=False):
                _measure_file(image, dir_fd, entry.name, path)
            # Device nodes, fifos and sockets (a rootfs has /dev/console) hold no content
            # to hash and are never opened: skipped.
    return subdirectories


def _measure_file(image: Measurement, dir_fd: int, name: str, path: str) -> None:
    with io.FileIO(os.open(name, _OPEN_FILE, dir_fd=dir_fd)) as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):  # checked on what was opened, not on the name
            raise InputError("image_file_replaced_during_walk", source=image.source,
                             location=image.member(path))
        image.charge(path, status.st_size)
        sink = image.sink(path, path, status.st_size)
        # A kept file is read one byte past its size at most: growing, it is refused
        # below without being held in memory whole.
        digests = image.hasher.digest(stream, None if sink is None else status.st_size + 1,
                                      image.extra.get(path, ()), sink,
                                      image.watch(status.st_size) if sink is None else None)
    if digests.size != status.st_size:
        raise InputError("image_file_changed_size", source=image.source,
                         location=image.member(path))
    image.add_file(path, path, status.st_mode, digests, sink)


def _open_beneath(root_fd: int, path: str) -> int:
    fd = root_fd
    *directories, name = path.split("/")
    try:
        for directory in directories:
            parent, fd = fd, os.open(directory, _OPEN_DIRECTORY, dir_fd=fd)
            if parent != root_fd:
                os.close(parent)
        return os.open(name, _OPEN_FILE, dir_fd=fd)
    finally:
        if fd != root_fd:
            os.close(fd)


_ARCHIVE_ERRORS = (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError)


def _read_tar(image: Measurement, archive: Path) -> None:
    try:
        with archive.open("rb") as raw:
            magic = raw.read(6)
        mode: _TarMode = next((m for prefix, m in _COMPRESSION if magic.startswith(prefix)), "r:")
        tar = tarfile.open(archive, mode)  # noqa: SIM115 - closed by the with block below
    except _ARCHIVE_ERRORS as exc:
        raise InputError("image_not_directory_or_tar", error=str(exc),
                         source=str(archive)) from None
    last: str | None = None
    try:
        with tar, (_BackgroundHasher(archive) if mode == "r:" else nullcontext()) as background:
            regular: dict[str, tarfile.TarInfo] = {}
            for member in tar:
                last = member.name
                _read_member(image, tar, member, regular, background)
            if background is not None:
                background.finish(image)
            image.complete(lambda path: closing(_extract(tar, regular[path])))
    except _ARCHIVE_ERRORS as exc:
        raise InputError("image_archive_damaged", error=str(exc), source=str(archive),
                         location=f"after member {last!r}" if last else None) from None


def _read_member(image: Measurement, tar: tarfile.TarFile, member: tarfile.TarInfo,
                 regular: dict[str, tarfile.TarInfo],
                 background: _BackgroundHasher | None) -> None:
    name = member.name
    image.count(name)
    path = image.member_path(name)
    if member.isdir():
        return
    if member.issym():
        image.add_symlink(name, path, member.linkname)
    elif member.islnk():
        if background is not None:
            background.finish(image)  # the member it names may still be being hashed
        target = image.member_path(member.linkname)
        image.add_hard_link(name, path, target)
        if path not in image.contents and target in regular:
            # Wanted under this name only: its bytes are read again, once.
            sink = image.sink(name, path, regular[target].size)
            if sink is not None:
                with closing(_extract(tar, regular[target])) as stream:
                    sink += stream.read(regular[target].size)
                image.contents[path] = bytes(sink)
    elif member.isreg():
        image.charge(name, member.size)
        regular[path] = member
        extra = image.extra.get(path, ())
        sink = image.sink(name, path, member.size)
        watch = image.watch(member.size) if sink is None else None
        if sink is None and background is not None and background.takes(member):
            background.submit(name, path, member, extra, watch)
            return
        archive = tar.fileobj
        if isinstance(archive, io.BufferedReader) and not member.issparse():
            # Uncompressed: read the member in place, not through tarfile's file object.
            archive.seek(member.offset_data)
            digests = image.hasher.digest(archive, member.size, extra, sink, watch)
        else:
            with closing(_extract(tar, member)) as stream:
                digests = image.hasher.digest(stream, member.size, extra, sink, watch)
        _add_member(image, name, path, member, digests, sink)
    elif not (member.ischr() or member.isblk() or member.isfifo()):  # /dev nodes: no content
        raise InputError("image_unknown_member_type", type=member.type, source=image.source,
                         location=image.member(name))


def _add_member(image: Measurement, name: str, path: str, member: tarfile.TarInfo,
                digests: Digests, content: bytearray | None = None) -> None:
    if digests.size != member.size:
        raise InputError("image_archive_ends_in_member", source=image.source,
                         location=image.member(name))
    image.add_file(name, path, member.mode, digests, content)


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo) -> io.BufferedReader:
    stream = tar.extractfile(member)
    if not isinstance(stream, io.BufferedReader):  # tarfile gives one for every file member
        raise InputError("image_member_without_content", location=Measurement.member(member.name))
    return stream


class _BackgroundHasher:
    """Hashes the large members of an uncompressed archive in a second thread, reading
    them by offset through its own file handle, while tarfile parses the next headers.

    Header parsing costs as much as a fifth of hashing; overlapping the two is what
    takes reading a tar from ~78% to ~100% of bare hashlib (bench/bench_image_hash.py).
    Compressed archives decompress in order, so they are read in one thread.
    """

    def __init__(self, archive: Path) -> None:
        self.pending: list[tuple[str, str, tarfile.TarInfo, Future[Digests]]] = []
        # Its own buffer (the other thread uses the image's), and a larger one: each chunk
        # costs this thread a hand-over of the GIL, which can wait on the parsing thread.
        self.hasher = StreamHasher(4 * CHUNK)
        self.stream = io.FileIO(archive)
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="cpstrust-image-hash")

    def __enter__(self) -> _BackgroundHasher:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.pool.shutdown(cancel_futures=True)
        self.stream.close()

    @staticmethod
    def takes(member: tarfile.TarInfo) -> bool:
        # Small members cost less to hash in the parsing thread than to hand over.
        return member.size >= CHUNK // 4 and not member.issparse()

    def submit(self, name: str, path: str, member: tarfile.TarInfo,
               extra: Sequence[str], watch: WatchFactory | None) -> None:
        self.pending.append((name, path, member, self.pool.submit(
            self._digest, member.offset_data, member.size, extra, watch)))

    def _digest(self, offset: int, size: int, extra: Sequence[str],
                watch: WatchFactory | None) -> Digests:
        self.stream.seek(offset)
        return self.hasher.digest(self.stream, size, extra, watch=watch)

    def finish(self, image: Measurement) -> None:
        """Wait for the members handed over so far and add them, in archive order."""
        for name, path, member, future in self.pending:
            _add_member(image, name, path, member, future.result())
        self.pending.clear()
