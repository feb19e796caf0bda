"""Installed Python distributions: ``*.dist-info/METADATA``, ``*.egg-info/PKG-INFO`` and
``*.egg-info`` files, read with the standard library's ``email`` parser as ``packaging``
does (core metadata is RFC 822 headers, compat32 policy).

``Name`` and ``Version`` name the distribution; its purl is ``pkg:pypi/<name>@<version>``
with the name normalised as PEP 503 says. The licence is ``License-Expression`` (core
metadata 2.4) or else ``License`` when it is one short line (many put a licence's whole
text there, which names nothing). ``Author``/``Author-email`` (else the maintainer's) are
its author. ``Requires-Dist`` entries other than extras are its requirements, by
normalised name.

A package that vendors others without their metadata lists them in
``_vendor/vendor.txt`` as ``name==version`` pins (pip does); each pin is a package too.

Refused with the file inside the image: text that is not UTF-8 (at its line), no
``Name`` or ``Version``, and a vendor list line that is not one exact pin.
"""

from __future__ import annotations

import re
from email.message import Message
from email.parser import Parser
from email.policy import compat32
from email.utils import getaddresses

from packageurl import PackageURL
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from cpstrust.errors import InputError
from cpstrust.formats.packagedb import decode_text
from cpstrust.model.inventory import InstalledPackage, PackageSource, Party

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EXTRA = re.compile(r"\bextra\b")
MAX_LICENCE_NAME = 200  # longer "License" values are a licence's text, not its name


def is_python_metadata(path: str) -> bool:
    """Whether ``path`` (inside an image) is the metadata of an installed distribution."""
    directory, _, name = path.rpartition("/")
    parent, _, folder = directory.rpartition("/")
    if name == "METADATA":
        return folder.endswith(".dist-info") and _in_site_packages(parent)
    if name == "PKG-INFO":
        return folder.endswith(".egg-info") and _in_site_packages(parent)
    return name.endswith(".egg-info") and _in_site_packages(directory)


def is_vendor_list(path: str) -> bool:
    """Whether ``path`` is the list of what an installed package vendors."""
    directory, _, name = path.rpartition("/")
    return name == "vendor.txt" and directory.endswith("/_vendor") and _in_site_packages(
        directory)


def read_vendor_list(data: bytes, path: str) -> list[InstalledPackage]:
    """The packages pinned in a ``_vendor/vendor.txt``, one ``name==version`` a line."""
    found = []
    for number, line in enumerate(decode_text(data, path).splitlines(), 1):
        text = line.partition("#")[0].strip()
        if not text:
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            requirement = None
        pins = list(requirement.specifier) if requirement is not None else []
        if requirement is None or len(pins) != 1 or pins[0].operator != "==":
            raise InputError("packagedb_vendor_not_pinned", text=text[:100], source=path,
                             location=f"line {number}")
        name, version = requirement.name, pins[0].version
        purl = PackageURL(type="pypi", name=canonicalize_name(name), version=version).to_string()
        found.append(InstalledPackage(PackageSource.PYPI, name, version, purl, path))
    return found


def _in_site_packages(directory: str) -> bool:
    """In site-packages or beneath it: packages vendor others with their metadata
    (``setuptools/_vendor/zipp-3.23.0.dist-info``), and those are installed too."""
    return directory.endswith(("site-packages", "dist-packages")) or any(
        f"{root}/" in directory for root in ("site-packages", "dist-packages"))


def read_python_metadata(data: bytes, path: str) -> InstalledPackage:
    """The distribution whose metadata is ``data`` (``path``: its place in the image)."""
    headers = Parser(policy=compat32).parsestr(decode_text(data, path), headersonly=True)
    name, version = _field(headers, "Name"), _field(headers, "Version")
    for field, value in (("Name", name), ("Version", version)):
        if not value:
            raise InputError("packagedb_entry_without", field=field, source=path,
                             location="headers")
    assert name and version
    purl = PackageURL(type="pypi", name=canonicalize_name(name), version=version).to_string()
    return InstalledPackage(PackageSource.PYPI, name, version, purl, path,
                            licences=_licences(headers), author=_author(headers),
                            requires=tuple((n,) for n in _requirements(headers)))


def _field(headers: Message, name: str) -> str | None:
    value = headers.get(name)
    return str(value).strip() or None if value is not None else None


def _licences(headers: Message) -> tuple[str, ...]:
    expression = _field(headers, "License-Expression")
    if expression:
        return (expression,)
    text = _field(headers, "License")
    if text and "\n" not in text and len(text) <= MAX_LICENCE_NAME and text != "UNKNOWN":
        return (text,)
    return ()


def _author(headers: Message) -> Party | None:
    for name_field, email_field in (("Author", "Author-email"),
                                    ("Maintainer", "Maintainer-email")):
        name, email = _field(headers, name_field), _field(headers, email_field)
        addresses = getaddresses([email]) if email else []
        first_name, first_address = addresses[0] if addresses else ("", "")
        if name or first_name or first_address:
            return Party(name or first_name or first_address, first_address or None)
    return None


def _requirements(headers: Message) -> list[str]:
    names: list[str] = []
    for requirement in headers.get_all("Requires-Dist") or ():
        text, _, marker = str(requirement).partition(";")
        match = _REQUIREMENT_NAME.match(text)
        if match and not _EXTRA.search(marker):
            names.append(str(canonicalize_name(match[1])))
    return names
