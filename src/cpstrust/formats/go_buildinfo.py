"""Go build info: what a Go 1.18+ executable says it was built from (main module, each
dependency module with its go.sum hash, replacements, build settings, Go version).

The linker writes a 32-byte header, ``\\xff Go buildinf:`` + pointer size + flags, at a
16-byte boundary near the start of the first writable data (ELF ``.go.buildinfo``,
Mach-O ``__go_buildinfo``, PE's first writable data section); flag bit 2 says the two
strings follow inline, each prefixed by its length as an unsigned varint: the Go version,
then the module info framed by 16-byte sentinels (Go's ``debug/buildinfo``). The module
info is lines ``path``/``mod``/``dep``/``=>``/``build``, tab-separated
(``runtime/debug.ParseBuildInfo``).

Read here rather than with a library: no maintained Python library reads Go build info
(pyelftools and LIEF read ELF section tables, which lie at the end of the file), and
SBOM generation reads an image once, a compressed tar included, so nothing can seek. The
executable's own headers (in its first chunk) give the file ranges of its writable data,
and ``BuildInfoWatcher`` looks for the header only there as the bytes are hashed, keeping
the blob alone (bounded): the magic string in a binary's read-only data (any program
that reads build info holds it) is never taken. Go before 1.18 stored pointers instead
of inline strings: refused with a warning, like any blob that is truncated or forged.
"""

from __future__ import annotations

import ast
import struct
from dataclasses import dataclass

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.model.inventory import InstalledPackage, PackageSource

MAGIC = b"\xff Go buildinf:"
_HEADER = 32
_ALIGN = 16
_INLINE_STRINGS = 2
_FRAME = 16  # the sentinels around the module info
_DEVEL = "(devel)"
H1_PROPERTY = "cpstrust:golang:h1"  # go.sum's hash of the module's file tree: no file hash
REPLACED_BY_PROPERTY = "cpstrust:golang:replaced-by"
_MAX_RANGES = 16  # writable segments searched: real executables have one to three
_HEADERS_WITHIN = 65536  # an executable's headers are read from its first bytes only
_EXECUTABLE_MAGIC = (b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xce\xfa\xed\xfe",
                     b"\xfe\xed\xfa\xcf", b"\xcf\xfa\xed\xfe")  # ELF, thin Mach-O


@dataclass(frozen=True, slots=True)
class GoModule:
    path: str
    version: str
    h1: str  # "h1:<base64>" from go.sum, or empty
    replaced_by: GoModule | None = None


@dataclass(frozen=True, slots=True)
class GoBuildInfo:
    go_version: str  # as the toolchain names itself: "go1.22.1"
    path: str  # the main package's import path
    main: GoModule | None
    deps: tuple[GoModule, ...]
    settings: tuple[tuple[str, str], ...]  # build key=value, in order


def writable_ranges(head: bytes | memoryview) -> tuple[tuple[int, int], ...]:
    """The file ranges [start, end) of an executable's writable, non-executable data, from
    its headers in ``head`` (its first bytes); empty when it is no ELF, PE or thin Mach-O
    or its headers lie beyond ``head``."""
    if bytes(head[:4]) not in _EXECUTABLE_MAGIC and bytes(head[:2]) != b"MZ":
        return ()
    data = bytes(head[:_HEADERS_WITHIN])
    try:
        if data.startswith(b"\x7fELF"):
            return _elf_ranges(data)
        if data.startswith(b"MZ"):
            return _pe_ranges(data)
        return _macho_ranges(data)
    except (struct.error, IndexError, OverflowError):
        pass
    return ()


def _elf_ranges(data: bytes) -> tuple[tuple[int, int], ...]:
    wide, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if wide:
        (phoff,), (entsize, count) = struct.unpack_from(f"{order}Q", data, 0x20), \
            struct.unpack_from(f"{order}HH", data, 0x36)
    else:
        (phoff,), (entsize, count) = struct.unpack_from(f"{order}I", data, 0x1C), \
            struct.unpack_from(f"{order}HH", data, 0x2A)
    ranges = []
    for n in range(count):
        at = phoff + n * entsize
        if wide:
            kind, flags, offset, _, _, size = struct.unpack_from(f"{order}IIQQQQ", data, at)
        else:
            kind, offset, _, _, size, _, flags = struct.unpack_from(f"{order}7I", data, at)
        if kind == 1 and flags & 3 == 2 and size:  # PT_LOAD, PF_W without PF_X
            ranges.append((offset, offset + size))
    return tuple(sorted(ranges))


def _pe_ranges(data: bytes) -> tuple[tuple[int, int], ...]:
    (pe,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe:pe + 4] != b"PE\0\0":
        return ()
    count, optional = struct.unpack_from("<H", data, pe + 6)[0], \
        struct.unpack_from("<H", data, pe + 20)[0]
    table = pe + 24 + optional
    ranges = []
    for n in range(count):
        size, offset = struct.unpack_from("<II", data, table + 40 * n + 16)
        (characteristics,) = struct.unpack_from("<I", data, table + 40 * n + 36)
        writable, executable = characteristics & 0x80000000, characteristics & 0x20000000
        if writable and not executable and size:
            ranges.append((offset, offset + size))
    return tuple(sorted(ranges))


def _macho_ranges(data: bytes) -> tuple[tuple[int, int], ...]:
    order = ">" if data[0] == 0xFE else "<"
    wide = data[3] == 0xCF or data[0] == 0xCF
    (count,) = struct.unpack_from(f"{order}I", data, 16)
    at, ranges = 32 if wide else 28, []
    for _ in range(count):
        command, size = struct.unpack_from(f"{order}II", data, at)
        if command == 0x19:  # LC_SEGMENT_64
            offset, length, _, protection = struct.unpack_from(f"{order}QQii", data, at + 40)
        elif command == 0x1:  # LC_SEGMENT
            offset, length, _, protection = struct.unpack_from(f"{order}IIii", data, at + 32)
        else:
            offset = length = protection = 0
        if protection & 6 == 2 and length:  # VM_PROT_WRITE without VM_PROT_EXECUTE
            ranges.append((offset, offset + length))
        if size < 8:
            return ()
        at += size
    return tuple(sorted(ranges))


class BuildInfoWatcher:
    """Sees an executable's bytes in order as they are hashed and keeps the Go build
    info blob: from the first 16-byte aligned magic inside its writable ranges, up to the
    blob's own length or ``limit`` bytes, whichever is less."""

    def __init__(self, ranges: tuple[tuple[int, int], ...], limit: int) -> None:
        self.ranges, self.limit = ranges, limit
        self.offset = 0  # of the next byte to be seen
        self.tail, self.tail_at = b"", -1  # unsearched end of the last piece, and where
        self.blob: bytearray | None = None
        self.complete = False

    def see(self, chunk: memoryview) -> None:
        begin, self.offset = self.offset, self.offset + len(chunk)
        for start, end in self.ranges:
            if self.complete:
                return
            low, high = max(start, begin), min(end, self.offset)
            if low < high:
                self._take(low, chunk[low - begin:high - begin])

    def excerpt(self) -> bytes | None:
        return None if self.blob is None else bytes(self.blob)

    def _take(self, at: int, piece: memoryview) -> None:
        if self.blob is not None:
            self.blob += piece[:self.limit - len(self.blob)]
            self._check_complete()
            return
        joined = at == self.tail_at
        window = (self.tail if joined else b"") + piece
        base = at - len(self.tail) if joined else at
        found = window.find(MAGIC)
        while found >= 0 and (base + found) % _ALIGN:
            found = window.find(MAGIC, found + 1)
        if found < 0:
            self.tail, self.tail_at = window[-(len(MAGIC) - 1):], at + len(piece)
            return
        self.blob = bytearray(window[found:found + self.limit])
        self._check_complete()

    def _check_complete(self) -> None:
        assert self.blob is not None
        needed = _blob_length(self.blob)
        if len(self.blob) >= self.limit or (needed is not None and len(self.blob) >= needed):
            if needed is not None:
                del self.blob[needed:]
            self.complete = True


def watcher_for(head: memoryview, limit: int) -> BuildInfoWatcher | None:
    """A watcher for the executable whose first bytes are ``head``; None for any file
    that is not an executable with writable data."""
    ranges = writable_ranges(head)[:_MAX_RANGES]
    return BuildInfoWatcher(ranges, limit) if ranges else None


def _blob_length(blob: bytes | bytearray) -> int | None:
    """The blob's whole length once its header and both lengths are in ``blob``."""
    if len(blob) < _HEADER:
        return None
    if not blob[15] & _INLINE_STRINGS:
        return _HEADER
    at = _HEADER
    for _ in range(2):
        decoded = _uvarint(blob, at)
        if decoded is None:
            return None
        length, at = decoded
        at += length
    return at


def _uvarint(data: bytes | bytearray, at: int) -> tuple[int, int] | None:
    """(value, offset after it) of the unsigned varint at ``at``; None when it runs off
    the end; a varint over 10 bytes is taken as ending there (and fails as too long)."""
    value = shift = 0
    for index in range(at, min(at + 10, len(data))):
        value |= (data[index] & 0x7F) << shift
        if data[index] < 0x80:
            return value, index + 1
        shift += 7
    return (value, at + 10) if len(data) >= at + 10 else None


def read_build_info(blob: bytes, path: str) -> GoBuildInfo:
    """The build info in ``blob`` (as ``BuildInfoWatcher`` kept it from the executable
    ``path``). Raises ``InputError`` naming ``path`` when it is truncated, forged, from
    Go before 1.18, or its module info does not parse."""
    if len(blob) < _HEADER:
        raise InputError("go_buildinfo_truncated", source=path, location="header")
    if blob[14] not in (4, 8):
        raise InputError("go_buildinfo_bad_header", source=path, location="header")
    if not blob[15] & _INLINE_STRINGS:
        raise InputError("go_buildinfo_before_118", source=path, location="header")
    version, at = _string(blob, _HEADER, path, "Go version")
    modinfo, _ = _string(blob, at, path, "module info")
    if not version:
        raise InputError("go_buildinfo_bad_header", source=path, location="Go version")
    if len(modinfo) >= 2 * _FRAME + 1 and modinfo[-_FRAME - 1] == ord("\n"):
        modinfo = modinfo[_FRAME:-_FRAME]  # the sentinels are binary: cut before decoding
    else:
        modinfo = b""  # not built in module mode: the Go version only
    return _parsed_modinfo(_text(version, path, "Go version"),
                           _text(modinfo, path, "module info"), path)


def _string(blob: bytes, at: int, path: str, what: str) -> tuple[bytes, int]:
    decoded = _uvarint(blob, at)
    if decoded is None or decoded[0] > len(blob) - decoded[1]:
        raise InputError("go_buildinfo_truncated", source=path, location=what)
    length, start = decoded
    return blob[start:start + length], start + length


def _text(data: bytes, path: str, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("go_buildinfo_not_utf8", source=path, location=what) from None


def _parsed_modinfo(version: str, modinfo: str, path: str) -> GoBuildInfo:
    main_path, main, deps, settings = "", None, [], []
    last: GoModule | None = None  # the module a "=>" line replaces
    for number, line in enumerate(modinfo.split("\n")[:-1], 1):
        word, _, rest = line.partition("\t")
        place = f"module info line {number}"
        if word == "path":
            main_path = rest
        elif word in ("mod", "dep"):
            last = _module(rest.split("\t"), path, place)
            if word == "mod":
                main = last
            else:
                deps.append(last)
        elif word == "=>":
            fields = rest.split("\t")
            if last is None or len(fields) != 3:
                raise InputError("go_buildinfo_bad_line", text=line[:100], source=path,
                                 location=place)
            replaced = GoModule(last.path, last.version, last.h1,
                                GoModule(fields[0], fields[1], fields[2]))
            if last is main:
                main = replaced
            else:
                deps[-1] = replaced
            last = None
        elif word == "build":
            settings.append(_setting(rest, line, path, place))
    return GoBuildInfo(version, main_path, main, tuple(deps), tuple(settings))


def _module(fields: list[str], path: str, place: str) -> GoModule:
    if len(fields) not in (2, 3) or not fields[0]:
        raise InputError("go_buildinfo_bad_line", text="\t".join(fields)[:100], source=path,
                         location=place)
    return GoModule(fields[0], fields[1], fields[2] if len(fields) == 3 else "")


def _setting(text: str, line: str, path: str, place: str) -> tuple[str, str]:
    """One ``build`` line's key and value; a quoted key (one holding "=", a space or
    quotes: no setting read here) is kept as written, a quoted value is unquoted."""
    if text[:1] in ("\"", "`"):
        key, equals, value = text.rpartition("=")
    else:
        key, equals, value = text.partition("=")
    if not key or not equals:
        raise InputError("go_buildinfo_bad_line", text=line[:100], source=path, location=place)
    if value[:1] == "`" and len(value) > 1 and value.endswith("`"):
        return key, value[1:-1]
    if value[:1] != "\"":
        return key, value
    try:  # Go's strconv.Quote writes the escapes of a Python string literal
        unquoted = ast.literal_eval(value) if len(value) > 1 and value.endswith("\"") else None
    except (ValueError, SyntaxError):
        unquoted = None
    if not isinstance(unquoted, str):
        raise InputError("go_buildinfo_bad_line", text=line[:100], source=path, location=place)
    return key, unquoted


def go_packages(info: GoBuildInfo, path: str) -> list[InstalledPackage]:
    """The Go standard library at the toolchain's version, the main module (its version
    omitted when the build says ``(devel)``: built from a working tree, not a release),
    which depends on the others, and every dependency module; ``path``: the executable."""
    stdlib = InstalledPackage(PackageSource.GOLANG, "stdlib", stdlib_version(info.go_version),
                              _purl("stdlib", stdlib_version(info.go_version)), path)
    modules = [_module_package(m, path) for m in info.deps]
    found = [stdlib, *modules]
    if info.main is not None:
        main = _module_package(info.main, path)
        settings = dict(info.settings)
        platform = tuple((f"cpstrust:golang:{k}", settings[k]) for k in ("GOOS", "GOARCH")
                         if settings.get(k))
        found.append(InstalledPackage(
            PackageSource.GOLANG, main.name, main.version, main.purl, path, application=True,
            depends_on=(stdlib.purl, *(m.purl for m in modules)), file=path,
            properties=(*main.properties, ("cpstrust:golang:toolchain", info.go_version),
                        *platform)))
    return found


def stdlib_version(go_version: str) -> str:
    """Go's release name as a module version ("go1.21.5" -> "v1.21.5", "go1.22rc1" ->
    "v1.22.0-rc.1", as the Go vulnerability database names stdlib versions); empty for a
    development toolchain ("devel go1.23-abc...") or an unknown form."""
    name = go_version.split()[0] if go_version.split() else ""
    core, _, suffix = name.removeprefix("go").partition("rc")
    kind = "rc"
    if not suffix:
        core, _, suffix = core.partition("beta")
        kind = "beta"
    parts = core.split(".")
    if not name.startswith("go") or not all(p.isdigit() for p in parts) or len(parts) > 3 \
            or (suffix and not suffix.isdigit()):
        return ""
    release = ".".join([*parts, "0", "0"][:3])
    return f"v{release}-{kind}.{suffix}" if suffix else f"v{release}"


def _module_package(module: GoModule, path: str) -> InstalledPackage:
    """A module as built in: a module replacement is the module used; a directory
    replacement (version "(devel)") keeps the required path, without a version: the
    code built is the directory's, not the required release's."""
    used: GoModule = module
    properties: tuple[tuple[str, str], ...] = ()
    replacement = module.replaced_by
    if replacement is not None and replacement.version not in ("", _DEVEL):
        used = replacement
    elif replacement is not None:
        used = GoModule(module.path, "", "")
        properties = ((REPLACED_BY_PROPERTY, replacement.path),)
    version = "" if used.version == _DEVEL else used.version
    if used.h1:
        properties = (*properties, (H1_PROPERTY, used.h1))
    return InstalledPackage(PackageSource.GOLANG, used.path, version,
                            _purl(used.path, version), path, properties=properties)


def _purl(module: str, version: str) -> str:
    namespace, _, name = module.rpartition("/")
    return PackageURL(type="golang", namespace=namespace or None, name=name,
                      version=version or None).to_string()
