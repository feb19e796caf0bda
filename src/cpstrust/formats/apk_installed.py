"""Alpine's package database: ``lib/apk/db/installed``.

Blocks of "X:value" lines, one letter naming each field, separated by blank lines
(apk-tools' "installed database" format). Of each block: ``P`` name, ``V`` version,
``A`` architecture, ``L`` licence, ``m`` maintainer (the supplier), ``D`` dependencies
(space separated; version constraints dropped, ``!`` conflicts ignored) and ``p``
provides (``so:``, ``cmd:``, ``pc:`` names and virtual packages). The purl is
``pkg:apk/<distro>/<name>@<version>?arch=<arch>``.

Refused with the file inside the image and the line: text that is not UTF-8, a line that
is not "X:value", a block without ``P`` or ``V``, and one package listed twice with
different versions. The same package listed twice alike is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.formats.packagedb import decode_text, once_each
from cpstrust.model.inventory import InstalledPackage, PackageSource, Party

_LINE = re.compile(r"([A-Za-z]):(.*)")
_CONSTRAINT = re.compile(r"[<>=~].*")
_MAINTAINER = re.compile(r"\s*(.*?)\s*<([^<>]*)>\s*")


def read_apk_installed(data: bytes, path: str, distro: str) -> list[InstalledPackage]:
    """The installed packages of one apk database (``path``: its place in the image)."""
    return once_each(_installed(decode_text(data, path), path, distro), path)


def _installed(text: str, path: str, distro: str) -> Iterator[tuple[str, InstalledPackage, str]]:
    for line, fields in _blocks(text, path):
        package = _package(fields, line, path, distro)
        yield package.name, package, f"line {line}"


def _blocks(text: str, path: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line, the first value of each field) of each block; the file lists (F, R,
    a, Z, M) repeat their letters and are not needed."""
    fields: dict[str, str] = {}
    start = 0
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line:
            if fields:
                yield start, fields
            fields = {}
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise InputError("apk_malformed_line", source=path, location=f"line {number}")
        if not fields:
            start = number
        fields.setdefault(match[1], match[2])
    if fields:
        yield start, fields


def _package(fields: dict[str, str], line: int, path: str, distro: str) -> InstalledPackage:
    for letter, field in (("P", "P (name)"), ("V", "V (version)")):
        if not fields.get(letter):
            raise InputError("packagedb_entry_without", field=field, source=path,
                             location=f"line {line}")
    name, version, arch = fields["P"], fields["V"], fields.get("A") or None
    purl = PackageURL(type="apk", namespace=distro, name=name, version=version,
                      qualifiers={"arch": arch} if arch else None).to_string()
    requires = tuple((_CONSTRAINT.sub("", token),) for token in fields.get("D", "").split()
                     if not token.startswith("!") and _CONSTRAINT.sub("", token))
    provides = tuple(_CONSTRAINT.sub("", token) for token in fields.get("p", "").split()
                     if _CONSTRAINT.sub("", token))
    licence = fields.get("L", "").strip()
    return InstalledPackage(PackageSource.APK, name, version, purl, path,
                            licences=(licence,) if licence else (),
                            supplier=_maintainer(fields.get("m")),
                            requires=requires, provides=provides)


def _maintainer(text: str | None) -> Party | None:
    if not text:
        return None
    match = _MAINTAINER.fullmatch(text)
    if match is None:
        return Party(text.strip())
    return Party(match[1] or match[2], match[2] or None)
