"""The dpkg database: ``var/lib/dpkg/status`` and distroless images' ``status.d/*`` files.

Stanzas of "Field: value" lines (a line starting with a space or tab continues the
field) separated by blank lines, as deb-control(5) says. A package is kept when its
``Status`` says it is installed, or when the stanza has no ``Status`` (distroless
``status.d`` files). Its purl is ``pkg:deb/<distro>/<name>@<version>?arch=<arch>``;
``Maintainer`` is its supplier; ``Depends`` and ``Pre-Depends`` its requirements (version
constraints and ``:any`` qualifiers dropped), ``Provides`` the virtual names it answers to.

Refused with the file inside the image and the line: text that is not UTF-8, a line that
is neither a field nor a continuation, a stanza without ``Package`` or (when installed)
``Version``, and one package (name and architecture) listed twice with different versions,
which two readers would resolve differently. The same package listed twice alike is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import parseaddr

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.formats.packagedb import decode_text, once_each
from cpstrust.model.inventory import InstalledPackage, PackageSource, Party

_FIELD = re.compile(r"([!-9;-~][!-9;-~]*):(.*)")  # deb-control: printable ASCII but ":"
_NAME = re.compile(r"[^\s(:\[<]+")


def read_dpkg_status(data: bytes, path: str, distro: str) -> list[InstalledPackage]:
    """The installed packages of one dpkg status file (``path``: its place in the image)."""
    return once_each(_installed(decode_text(data, path), path, distro), path)


def _installed(text: str, path: str, distro: str,
               ) -> Iterator[tuple[tuple[str, str], InstalledPackage, str]]:
    for line, fields in _stanzas(text, path):
        package = _package(fields, line, path, distro)
        if package is not None:  # one by name and architecture
            yield (package.name, fields.get("architecture", "")), package, f"line {line}"


def _stanzas(text: str, path: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line, fields by lowercase name) of each stanza."""
    fields: dict[str, str] = {}
    start, current = 0, None
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip():
            if fields:
                yield start, fields
            fields, current = {}, None
            continue
        if line[0] in " \t":
            if current is None:
                raise InputError("dpkg_continuation_without_field", source=path,
                                 location=f"line {number}")
            fields[current] += "\n" + line.strip()
            continue
        match = _FIELD.fullmatch(line)
        if match is None:
            raise InputError("dpkg_malformed_line", source=path, location=f"line {number}")
        if not fields:
            start = number
        current = match[1].lower()
        fields[current] = match[2].strip()
    if fields:
        yield start, fields


def _package(fields: dict[str, str], line: int, path: str,
             distro: str) -> InstalledPackage | None:
    name = fields.get("package")
    if not name:
        raise InputError("packagedb_entry_without", field="Package", source=path,
                         location=f"line {line}")
    status = fields.get("status")
    if status is not None and status.split()[-1:] != ["installed"]:
        return None  # removed, or configuration files only: nothing of it runs
    version = fields.get("version")
    if not version:
        raise InputError("packagedb_entry_without", field="Version", source=path,
                         location=f"line {line}")
    arch = fields.get("architecture") or None
    purl = PackageURL(type="deb", namespace=distro, name=name, version=version,
                      qualifiers={"arch": arch} if arch else None).to_string()
    requires = tuple(
        alternatives
        for field in ("pre-depends", "depends")
        for alternatives in relations(fields.get(field, "")))
    provides = tuple(names[0] for names in relations(fields.get("provides", "")))
    return InstalledPackage(PackageSource.DEB, name, version, purl, path,
                            supplier=_party(fields.get("maintainer")),
                            requires=requires, provides=provides)


def relations(text: str) -> Iterator[tuple[str, ...]]:
    """The names of a relationship field ("a (>= 1), b | c:any"), each a tuple of its
    alternatives, constraints and architecture qualifiers dropped."""
    for group in text.split(","):
        names = tuple(m[0] for alternative in group.split("|")
                      if (m := _NAME.match(alternative.strip())))
        if names:
            yield names


def _party(text: str | None) -> Party | None:
    if not text:
        return None
    name, address = parseaddr(text)
    if not name and not address:
        return Party(text)
    return Party(name or address, address or None)
