"""The rpm database of rpm 4.16 and later: ``var/lib/rpm/rpmdb.sqlite`` (also
``usr/lib/sysimage/rpm/rpmdb.sqlite``), read from memory.

The database is opened from its bytes (``sqlite3`` deserialize, read only: nothing is
written to disk); each row of ``Packages`` holds one package's header blob: two
big-endian 32-bit counts (index entries, data bytes), the index entries (tag, type,
offset, count; 16 bytes each), then the data. Of each header: ``NAME``, ``VERSION``,
``RELEASE``, ``EPOCH``, ``ARCH``, ``LICENSE``, ``VENDOR`` (the supplier), ``REQUIRENAME``
and ``PROVIDENAME``. The purl is ``pkg:rpm/<distro>/<name>@<version>-<release>?arch=...``
with ``epoch`` when there is one; gpg-pubkey pseudo-packages are not packages.

Every count and offset is checked against the blob before it is used (rpm's own bounds:
at most 65,535 entries and 256 MB of data). Refused with the file inside the image and
the row: a blob that breaks them, a string without its end, a header without a name or
version, and a database that is not SQLite or has no ``Packages`` table.
"""

from __future__ import annotations

import sqlite3
import struct

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.model.inventory import InstalledPackage, PackageSource, Party

RPM_DATABASES = ("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite")
_MAX_ENTRIES = 0xFFFF
_MAX_DATA = 256 * 1024**2
_NAME, _VERSION, _RELEASE, _EPOCH, _VENDOR, _LICENSE, _ARCH = (
    1000, 1001, 1002, 1003, 1011, 1014, 1022)
_PROVIDENAME, _REQUIRENAME = 1047, 1049
_INT32, _STRING, _STRING_ARRAY, _I18NSTRING = 4, 6, 8, 9
_WANTED = {_NAME, _VERSION, _RELEASE, _EPOCH, _VENDOR, _LICENSE, _ARCH, _PROVIDENAME,
           _REQUIRENAME}

Value = str | int | tuple[str, ...]


def read_rpm_db(data: bytes, path: str, distro: str) -> list[InstalledPackage]:
    """The installed packages of one rpmdb.sqlite (``path``: its place in the image)."""
    rows = _rows(data, path)
    packages = []
    for number, blob in rows:
        if not isinstance(blob, bytes):
            raise InputError("rpm_header_malformed", problem="not a blob", source=path,
                             location=f"row {number}")
        header = _header(blob, path, f"row {number}")
        package = _package(header, path, f"row {number}", distro)
        if package is not None:
            packages.append(package)
    return packages


def _rows(data: bytes, path: str) -> list[tuple[int, object]]:
    if data[18:20] == b"\x02\x02":
        # A WAL-mode file: said to be a rollback-journal one, it opens from memory alone.
        data = data[:18] + b"\x01\x01" + data[20:]
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(data)
        connection.execute("PRAGMA query_only = ON")
        return list(connection.execute("SELECT hnum, blob FROM Packages ORDER BY hnum"))
    except sqlite3.Error as exc:
        raise InputError("rpm_db_unreadable", error=str(exc), source=path) from None
    finally:
        connection.close()


def _header(blob: bytes, path: str, place: str) -> dict[int, Value]:
    def bad(problem: str) -> InputError:
        return InputError("rpm_header_malformed", problem=problem, source=path, location=place)

    if len(blob) < 8:
        raise bad("shorter than its counts")
    entries, size = struct.unpack_from(">II", blob)
    if entries > _MAX_ENTRIES or size > _MAX_DATA or 8 + 16 * entries + size > len(blob):
        raise bad(f"{entries} entries and {size} data bytes do not fit in {len(blob)} bytes")
    start = 8 + 16 * entries
    store = blob[start:start + size]
    header: dict[int, Value] = {}
    for index in range(entries):
        tag, kind, offset, count = struct.unpack_from(">IIiI", blob, 8 + 16 * index)
        if tag not in _WANTED:
            continue
        if offset < 0 or offset >= size:
            raise bad(f"tag {tag} at offset {offset}, outside the data")
        if kind == _INT32:
            if count < 1 or offset + 4 > size:
                raise bad(f"tag {tag}: an integer outside the data")
            header[tag] = struct.unpack_from(">i", store, offset)[0]
        elif kind in (_STRING, _STRING_ARRAY, _I18NSTRING):
            strings, position = [], offset
            for _ in range(1 if kind == _STRING else count):
                end = store.find(b"\0", position)
                if end < 0:
                    raise bad(f"tag {tag}: a string without its end")
                strings.append(store[position:end].decode("utf-8", "replace"))
                position = end + 1
            header[tag] = strings[0] if kind != _STRING_ARRAY and strings else tuple(strings)
    return header


def _text(header: dict[int, Value], tag: int) -> str | None:
    value = header.get(tag)
    return value if isinstance(value, str) and value else None


def _package(header: dict[int, Value], path: str, place: str,
             distro: str) -> InstalledPackage | None:
    name, version = _text(header, _NAME), _text(header, _VERSION)
    if not name or not version:
        raise InputError("packagedb_entry_without", field="NAME or VERSION", source=path,
                         location=place)
    if name == "gpg-pubkey":
        return None  # an imported signing key, recorded as a package
    release, arch = _text(header, _RELEASE), _text(header, _ARCH)
    epoch = header.get(_EPOCH)
    full = f"{version}-{release}" if release else version
    qualifiers = {"arch": arch} if arch else {}
    if isinstance(epoch, int) and epoch:
        qualifiers["epoch"] = str(epoch)
    purl = PackageURL(type="rpm", namespace=distro, name=name, version=full,
                      qualifiers=qualifiers or None).to_string()
    licence, vendor = _text(header, _LICENSE), _text(header, _VENDOR)
    requires, provides = _names(header, _REQUIRENAME), _names(header, _PROVIDENAME)
    return InstalledPackage(
        PackageSource.RPM, name, f"{epoch}:{full}" if isinstance(epoch, int) and epoch else full,
        purl, path, licences=(licence,) if licence else (),
        supplier=Party(vendor) if vendor else None,
        requires=tuple((r,) for r in requires if not r.startswith("rpmlib(")),
        provides=provides)


def _names(header: dict[int, Value], tag: int) -> tuple[str, ...]:
    value = header.get(tag)
    return value if isinstance(value, tuple) else ()
