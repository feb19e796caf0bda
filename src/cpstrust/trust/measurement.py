"""The rules every image measurement keeps, whether it walks a directory or reads a tar.

``Measurement`` collects what has been measured and refuses what an image may not hold
(paths outside the root, two entries at one path, more members or bytes than the
limits); ``StreamHasher`` hashes a stream through one reusable buffer. A ``KeepRule``
keeps the bytes of chosen files (package databases) as they are hashed, so that what
lists an image's packages is read in the same pass, within its own bounds; its watchers
keep an excerpt of a file too large to keep whole (a Go executable's build info).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from functools import partial
from typing import NamedTuple, Protocol

from cpstrust.errors import InputError, LimitExceededError
from cpstrust.limits import ImageLimits
from cpstrust.model.authenticity import SHA256, EntryKind, MeasuredFile
from cpstrust.model.sbom import Hash, product_path
from cpstrust.trust.authenticity import link_escapes, resolve_path

# One reusable buffer this large keeps hashing within a few percent of bare hashlib:
# few system calls and no allocation per chunk.
CHUNK = 1 << 20
_EXECUTABLE_MAGIC = (
    b"\x7fELF", b"MZ", b"#!",  # ELF, PE/COFF, scripts
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal binaries (and Java classes)
)


class _Digest(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...
    def hexdigest(self) -> str: ...


class Readable(Protocol):
    def readinto(self, buffer: memoryview, /) -> int | None: ...


class ChunkWatcher(Protocol):
    """Sees one file's bytes, in order, as they are hashed; keeps an excerpt of them."""

    def see(self, chunk: memoryview, /) -> None: ...
    def excerpt(self) -> bytes | None: ...


# Given a file's first chunk: the watcher for that file, or None for a file not watched.
WatchFactory = Callable[[memoryview], ChunkWatcher | None]
# Files and bytes measured so far, told now and then (``Measurement.PROGRESS_EVERY``).
ProgressCallback = Callable[[int, int], None]


DIGEST_ALGORITHMS: Mapping[str, Callable[[], _Digest]] = {
    "SHA-1": partial(hashlib.sha1, usedforsecurity=False), "SHA-224": hashlib.sha224,
    SHA256: hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512,
    "SHA3-224": hashlib.sha3_224, "SHA3-256": hashlib.sha3_256,
    "SHA3-384": hashlib.sha3_384, "SHA3-512": hashlib.sha3_512,
    "BLAKE2b-256": partial(hashlib.blake2b, digest_size=32),
    "BLAKE2b-384": partial(hashlib.blake2b, digest_size=48),
    "BLAKE2b-512": hashlib.blake2b, "MD5": partial(hashlib.md5, usedforsecurity=False),
}


class Digests(NamedTuple):
    size: int
    sha256: str
    extra: tuple[Hash, ...]
    executable_magic: bool  # the content starts like an executable or a script
    excerpt: bytes | None = None  # what a watcher kept of it


class StreamHasher:
    """Hashes streams through one buffer it owns: use one per thread."""

    def __init__(self, chunk: int = CHUNK) -> None:
        self._view = memoryview(bytearray(chunk))

    def digest(self, stream: Readable, size: int | None, extra: Sequence[str],
               sink: bytearray | None = None, watch: WatchFactory | None = None) -> Digests:
        """Hash ``stream`` to its end, or to ``size`` bytes when given (fewer if it ends);
        the bytes hashed are appended to ``sink`` when one is given, and shown to the
        watcher ``watch`` makes of the first chunk of an executable."""
        sha256 = hashlib.sha256()
        others = [DIGEST_ALGORITHMS[algorithm]() for algorithm in extra]
        view, head, total, watcher = self._view, b"", 0, None
        while size is None or total < size:
            count = stream.readinto(view if size is None else view[:size - total])
            if not count:
                break
            chunk = view[:count]
            if total < 4:
                head += bytes(chunk[:4 - total])
                if watch is not None and total == 0 and head.startswith(_EXECUTABLE_MAGIC):
                    watcher = watch(chunk)  # only executables are watched: cheap for the rest
            sha256.update(chunk)
            if sink is not None:
                sink += chunk
            if watcher is not None:
                watcher.see(chunk)
            for other in others:
                other.update(chunk)
            total += count
        return Digests(total, sha256.hexdigest(),
                       tuple(Hash(a, o.hexdigest()) for a, o in zip(extra, others, strict=True)),
                       head.startswith(_EXECUTABLE_MAGIC),
                       None if watcher is None else watcher.excerpt())


@dataclass(frozen=True, slots=True)
class KeepRule:
    """Which files' bytes a measurement keeps as it hashes them: ``cap(path)`` is the
    largest size kept for that path, or None for a file not wanted. A wanted file over
    its cap is not kept but noted (``Measurement.oversized``); past ``max_total`` bytes
    kept in all, the measurement stops with ``LimitExceededError``. ``watch(size)``
    gives the watcher factory for a file of that size not kept whole (None: not
    watched); what the watchers keep must be bounded by them."""

    cap: Callable[[str], int | None]
    max_total: int
    watch: Callable[[int], WatchFactory | None] | None = None


class MeasuredImage(NamedTuple):
    """An image's measured files, and the bytes its ``KeepRule`` kept, by product path."""

    files: list[MeasuredFile]
    contents: dict[str, bytes]
    oversized: dict[str, int]  # wanted paths over their cap -> their size
    excerpts: dict[str, bytes]  # what the rule's watchers kept of other files


class Measurement:
    """What has been measured of one image so far, and the rules it must keep.

    ``extra`` maps product paths to the algorithms besides SHA-256 their reference
    needs; ``keep`` says whose bytes to keep; ``progress`` is told the files and bytes
    measured so far, at most every ``PROGRESS_EVERY`` seconds. Errors name ``source``
    (the image) and the member.
    """

    PROGRESS_EVERY = 0.1

    def __init__(self, source: str, limits: ImageLimits,
                 extra: Mapping[str, Sequence[str]], keep: KeepRule | None = None,
                 progress: ProgressCallback | None = None) -> None:
        self.source, self.limits, self.extra, self.keep = source, limits, extra, keep
        self.progress, self.next_progress = progress, 0.0
        self.measured_bytes = 0
        self.contents: dict[str, bytes] = {}
        self.excerpts: dict[str, bytes] = {}
        self.oversized: dict[str, int] = {}
        self.kept_bytes = 0
        self.files: dict[str, MeasuredFile] = {}
        self.links: dict[str, str] = {}  # symbolic link path -> target as written
        self.hard_links: dict[str, str] = {}  # hard link path -> the member it names
        self.members = 0
        self.total_bytes = 0
        self.hasher = StreamHasher()

    @staticmethod
    def member(name: str) -> str:
        """The place of a member in the image, as errors name it."""
        return f"member {name!r}"

    def count(self, name: str) -> None:
        """Count one member (file, link or directory) against the limits."""
        self.members += 1
        if self.members > self.limits.max_members:
            raise LimitExceededError("image_too_many_members", limit=self.limits.max_members,
                                     source=self.source, location=self.member(name))
        if len(name) > self.limits.max_path:
            raise LimitExceededError("image_path_too_long", limit=self.limits.max_path,
                                     source=self.source, location=f"member {name[:200]!r}...")

    def charge(self, name: str, size: int) -> None:
        """Count a file's bytes against the limit, before they are read."""
        self.total_bytes += size
        if self.total_bytes > self.limits.max_total_bytes:
            raise LimitExceededError("image_too_large", limit=self.limits.max_total_bytes,
                                     source=self.source, location=self.member(name))

    def sink(self, name: str, path: str, size: int) -> bytearray | None:
        """A buffer for the bytes of ``path`` when the keep rule wants them, else None."""
        if self.keep is None:
            return None
        cap = self.keep.cap(path)
        if cap is None:
            return None
        if size > cap:
            self.oversized[path] = size
            return None
        self.kept_bytes += size
        if self.kept_bytes > self.keep.max_total:
            raise LimitExceededError("image_kept_too_much", limit=self.keep.max_total,
                                     source=self.source, location=self.member(name))
        return bytearray()

    def watch(self, size: int) -> WatchFactory | None:
        """The watcher factory for a file of ``size`` bytes not kept whole, if any."""
        return None if self.keep is None or self.keep.watch is None else self.keep.watch(size)

    def member_path(self, name: str) -> str:
        """The product path of an archive member, refusing any that would land outside."""
        if name.startswith("/"):
            raise InputError("image_absolute_member_path", source=self.source,
                             location=self.member(name))
        if ".." in name.split("/"):
            raise InputError("image_member_climbs_out", source=self.source,
                             location=self.member(name))
        path = product_path(name)
        parent = path.rpartition("/")[0] if self.links else ""
        while parent:
            if parent in self.links:
                raise InputError("image_member_beneath_link", link=parent, source=self.source,
                                 location=self.member(name))
            parent = parent.rpartition("/")[0]
        return path

    def add_file(self, name: str, path: str, mode: int, digests: Digests,
                 content: bytearray | None = None) -> None:
        self._add(name, MeasuredFile(path, digests.size, digests.sha256,
                                     bool(mode & 0o111) or digests.executable_magic,
                                     extra_digests=digests.extra))
        if content is not None:
            self.contents[path] = bytes(content)
        if digests.excerpt is not None:
            self.excerpts[path] = digests.excerpt
        if self.progress is not None:
            self.measured_bytes += digests.size
            now = time.monotonic()
            if now >= self.next_progress:
                self.next_progress = now + self.PROGRESS_EVERY
                self.progress(len(self.files), self.measured_bytes)

    def add_symlink(self, name: str, path: str, target: str) -> None:
        data = os.fsencode(target)  # the bytes as stored, undecodable ones included
        extra = tuple(Hash(a, _digest_bytes(a, data)) for a in self.extra.get(path, ()))
        self._add(name, MeasuredFile(path, len(data), hashlib.sha256(data).hexdigest(),
                                     False, EntryKind.SYMLINK, target, extra))

    def add_hard_link(self, name: str, path: str, target: str) -> None:
        measured = self.files.get(target)
        if measured is None:
            raise InputError("image_hard_link_to_unknown", target=target, source=self.source,
                             location=self.member(name))
        self.hard_links[path] = self.hard_links.get(target, target)
        self._add(name, replace(measured, path=path))
        if target in self.contents and self.sink(name, path, measured.size) is not None:
            self.contents[path] = self.contents[target]  # kept already under its first name
        if target in self.excerpts:
            self.excerpts[path] = self.excerpts[target]

    def _add(self, name: str, file: MeasuredFile) -> None:
        if not file.path:
            raise InputError("image_member_is_root", source=self.source,
                             location=self.member(name))
        if file.path in self.files:
            raise InputError("image_two_entries_at_path", source=self.source,
                             location=self.member(name))
        self.files[file.path] = file
        if file.link_target is not None:
            self.links[file.path] = file.link_target

    def complete(self, reopen: Callable[[str], AbstractContextManager[Readable]]) -> None:
        """Add the digests the walk could not compute: for hard links (measured as their
        target) and for declared paths that lie behind a directory link."""
        for wanted, algorithms in self.extra.items():
            direct = self.files.get(wanted)
            if direct is not None and all(direct.digest(a) for a in algorithms):
                continue
            for path in {wanted, resolve_path(wanted, self.links) if self.links else None}:
                file = self.files.get(path) if path is not None else None
                if file is None or file.kind is not EntryKind.FILE:
                    continue
                missing = [a for a in algorithms if file.digest(a) is None]
                if missing:
                    with reopen(self.hard_links.get(file.path, file.path)) as stream:
                        digests = self.hasher.digest(stream, file.size, missing)
                    self.files[file.path] = replace(
                        file, extra_digests=file.extra_digests + digests.extra)

    def finish(self) -> list[MeasuredFile]:
        """The measured files sorted by path, links that escape the root marked so."""
        if self.progress is not None:
            self.progress(sum(f.kind is EntryKind.FILE for f in self.files.values()),
                          self.measured_bytes)
        for path, target in self.links.items():
            if link_escapes(path, target, self.links):
                self.files[path] = replace(self.files[path], kind=EntryKind.ESCAPING_SYMLINK)
        return sorted(self.files.values(), key=lambda f: f.path)


def _digest_bytes(algorithm: str, data: bytes) -> str:
    digest = DIGEST_ALGORITHMS[algorithm]()
    digest.update(data)
    return digest.hexdigest()
