"""Lockfiles to the packages they pin, for ``sbom generate`` given a lockfile instead of
an image: pip requirements files (any ``*.txt``: ``name==version`` lines), ``poetry.lock`` and
``uv.lock`` (TOML, read with the standard library's tomllib), Go's ``go.sum``; npm's
``package-lock.json`` is read by ``formats.npm_lock``.

A lockfile says what will be installed, so every entry must pin one version: a
requirement that is not one exact pin, a requirements file that includes another
(``-r``, ``-c``: its packages would go unseen), and one package pinned twice at different
versions are refused with the line or entry. TOML that does not parse is refused with
tomllib's line and column. ``uv.lock``'s own project (an editable or virtual source) is
the subject, not a package.

Hashes (``formats.artifact_hashes``): a requirement's ``--hash`` options, poetry's
``files`` and uv's ``sdist``/``wheels`` are digests of the files the installer accepts;
the digest of the only file is the package's, several are each their file's (named by
uv's URL or poetry's file name; pip names none). go.sum's ``h1:`` hashes a listing of the
module's files, no file: it is kept as a property.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from packageurl import PackageURL
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from cpstrust.errors import InputError
from cpstrust.formats.artifact_hashes import hex_hash, placed
from cpstrust.formats.go_buildinfo import H1_PROPERTY
from cpstrust.formats.npm_lock import read_package_lock
from cpstrust.formats.packagedb import decode_text, once_each
from cpstrust.model.inventory import Artifact, InstalledPackage, PackageSource

_HASH_OPTION = re.compile(r"\s--hash[=\s](\S+)")
_REQUIREMENTS = re.compile(r"[^/]+\.txt")  # requirements.txt, dev.txt, ...: never an image


def lock_reader(name: str) -> Callable[[bytes, str], list[InstalledPackage]] | None:
    """The reader of a lockfile by its file name; None for any other file."""
    readers: dict[str, Callable[[bytes, str], list[InstalledPackage]]] = {
        "poetry.lock": read_poetry_lock, "uv.lock": read_uv_lock, "go.sum": read_go_sum,
        "package-lock.json": read_package_lock}
    if name in readers:
        return readers[name]
    return read_requirements if _REQUIREMENTS.fullmatch(name) else None


def read_requirements(data: bytes, path: str) -> list[InstalledPackage]:
    """The pins of a pip requirements file (hashes, markers and comments allowed)."""
    found: list[tuple[str, InstalledPackage, str]] = []
    for number, text in _logical_lines(decode_text(data, path)):
        if text.startswith("-"):
            if text.split()[0] in ("-r", "-c", "--requirement", "--constraint"):
                raise InputError("lock_includes_another", text=text[:100], source=path,
                                 location=f"line {number}")
            continue  # --index-url, --hash on its own, ...: options, not packages
        bare = _HASH_OPTION.sub("", f" {text}").strip()
        try:
            requirement = Requirement(bare)
        except InvalidRequirement:
            requirement = None
        pins = list(requirement.specifier) if requirement is not None else []
        if requirement is None or len(pins) != 1 or pins[0].operator not in ("==", "==="):
            raise InputError("lock_not_pinned", text=bare[:100], source=path,
                             location=f"line {number}")
        artifacts = [Artifact(None, (hex_hash(h, path, f"line {number}"),))
                     for h in _HASH_OPTION.findall(f" {text}")]
        package = _pypi(requirement.name, pins[0].version, path, artifacts=artifacts)
        found.append((_key(package), package, f"line {number}"))
    return once_each(found, path)


def _logical_lines(text: str) -> Iterable[tuple[int, str]]:
    """(first line number, text) of each logical line: comments cut, ``\\`` joined."""
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", line)
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        if whole:
            yield start, whole
    if pending.strip():
        yield start, pending.strip()


def read_poetry_lock(data: bytes, path: str) -> list[InstalledPackage]:
    found = []
    for index, entry in enumerate(_toml_packages(data, path)):
        name, version = _named(entry, path, index)
        requires = tuple((n,) for n in (entry.get("dependencies") or {}))
        artifacts = [_artifact(f.get("file"), f.get("hash"), path, f"package {index + 1}")
                     for f in _tables(entry.get("files"), path, f"package {index + 1}")]
        package = _pypi(name, version, path, requires, artifacts)
        found.append((_key(package), package, f"package {index + 1}"))
    return once_each(found, path)


def read_uv_lock(data: bytes, path: str) -> list[InstalledPackage]:
    found = []
    for index, entry in enumerate(_toml_packages(data, path)):
        source = entry.get("source") or {}
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            continue  # the project itself
        name, version = _named(entry, path, index)
        requires = tuple((d["name"],) for d in entry.get("dependencies") or ()
                         if isinstance(d, dict) and isinstance(d.get("name"), str))
        place = f"package {index + 1}"
        files = _tables(entry.get("wheels"), path, place)
        if entry.get("sdist") is not None:
            files = [*_tables([entry["sdist"]], path, place), *files]
        artifacts = [_artifact(f.get("url") or f.get("path") or f.get("filename"),
                               f.get("hash"), path, place) for f in files]
        package = _pypi(name, version, path, requires, artifacts)
        found.append((_key(package), package, f"package {index + 1}"))
    return once_each(found, path)


def read_go_sum(data: bytes, path: str) -> list[InstalledPackage]:
    """The modules of a go.sum (their ``/go.mod`` lines name the same modules)."""
    found: dict[tuple[str, str], InstalledPackage] = {}
    for number, line in enumerate(decode_text(data, path).splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split()
        if len(fields) != 3 or not fields[2].startswith("h1:"):
            raise InputError("lock_bad_go_sum_line", text=line[:100], source=path,
                             location=f"line {number}")
        module, version = fields[0], fields[1].removesuffix("/go.mod")
        purl = PackageURL(type="golang", namespace=module.rpartition("/")[0] or None,
                          name=module.rpartition("/")[2], version=version).to_string()
        package = found.setdefault((module, version), InstalledPackage(
            PackageSource.GOLANG, module, version, purl, path))
        if not fields[1].endswith("/go.mod"):  # the module's own hash, not its go.mod's
            found[(module, version)] = replace(package, properties=((H1_PROPERTY, fields[2]),))
    return list(found.values())


def _tables(value: object, path: str, place: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError("lock_bad_shape_at", source=path, location=place)
    return value


def _artifact(name: object, digest: object, path: str, place: str) -> Artifact:
    if not isinstance(digest, str):
        raise InputError("lock_bad_hash", text=str(digest)[:100], source=path, location=place)
    source = isinstance(name, str) and name.endswith((".tar.gz", ".zip", ".tar.bz2"))
    return Artifact(name if isinstance(name, str) and name else None,
                    (hex_hash(digest, path, place),), source)


def _toml_packages(data: bytes, path: str) -> list[dict[str, Any]]:
    try:
        lock = tomllib.loads(decode_text(data, path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError("lock_not_toml", detail=str(exc), source=path) from None
    packages = lock.get("package", [])
    if not isinstance(packages, list) or not all(isinstance(p, dict) for p in packages):
        raise InputError("lock_bad_shape", source=path, location="package")
    return packages


def _named(entry: dict[str, Any], path: str, index: int) -> tuple[str, str]:
    name, version = entry.get("name"), entry.get("version")
    if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
        raise InputError("packagedb_entry_without",
                         field="name" if not isinstance(name, str) or not name else "version",
                         source=path, location=f"package {index + 1}")
    return name, version


def _key(package: InstalledPackage) -> str:
    return str(canonicalize_name(package.name))


def _pypi(name: str, version: str, path: str, requires: tuple[tuple[str, ...], ...] = (),
          artifacts: list[Artifact] | None = None) -> InstalledPackage:
    purl = PackageURL(type="pypi", name=canonicalize_name(name), version=version).to_string()
    hashes, several = placed(artifacts or ())
    return InstalledPackage(PackageSource.PYPI, name, version, purl, path, requires=requires,
                            hashes=hashes, artifacts=several)
