"""npm's view of what is installed: ``package-lock.json`` (lockfileVersion 1, 2 and 3)
and the ``package.json`` at the root of each package under ``node_modules``.

Versions 2 and 3 list every installed package under ``packages`` by its path
("node_modules/a/node_modules/b"); version 1 nests them under ``dependencies``. A
package's dependencies are resolved as Node resolves them: its own ``node_modules``
first, then each enclosing one. The project itself (the "" entry) and links are not
packages. The purl is ``pkg:npm/<scope>/<name>@<version>``; ``integrity`` (Subresource
Integrity: the digest of the one tarball installed) gives the package's hashes.

Refused with the file inside the image and the place: JSON that does not parse, an
object naming a key twice (readers disagree on which value wins), a lock whose shape is
not npm's, and an entry without a version.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.formats.artifact_hashes import sri_hashes
from cpstrust.formats.jsonread import parse_json_strict
from cpstrust.model.inventory import InstalledPackage, PackageSource, Party

_PACKAGE_ROOT = re.compile(r"(?:^|/)node_modules/((?:@[^/]+/)?[^/@][^/]*)/package\.json")
_PERSON = re.compile(r"\s*([^<(]*?)\s*(?:<([^>]*)>)?\s*(?:\([^)]*\))?\s*")


def is_package_root(path: str) -> bool:
    """Whether ``path`` is the package.json at the root of a package in node_modules."""
    match = _PACKAGE_ROOT.search(path)
    return match is not None and match.end() == len(path)


def is_package_lock(path: str) -> bool:
    return path.rpartition("/")[2] == "package-lock.json" and "/node_modules/" not in path


def read_package_lock(data: bytes, path: str) -> list[InstalledPackage]:
    """The packages a package-lock.json says are installed (``path``: in the image)."""
    lock = parse_json_strict(data, path)
    if not isinstance(lock, dict):
        raise InputError("npm_lock_not_object", source=path, location="/")
    entries = lock.get("packages")
    flat: dict[str, Any] = {}
    if isinstance(entries, dict):
        flat = {key: value for key, value in entries.items() if key}
    elif isinstance(lock.get("dependencies"), dict):
        _flatten_v1(lock["dependencies"], "", flat, path, "/dependencies")
    else:
        raise InputError("npm_lock_without_packages", source=path, location="/")
    packages: dict[str, InstalledPackage] = {}
    for key, entry in flat.items():
        if not isinstance(entry, dict):
            raise InputError("npm_lock_entry_not_object", source=path,
                             location=f"/packages/{key}")
        if entry.get("link") or not key.startswith("node_modules/"):
            continue
        packages[key] = _package(key, entry, path)
    return [_resolved(key, package, flat, packages) for key, package in packages.items()]


def read_package_json(data: bytes, path: str) -> InstalledPackage:
    """The package whose root package.json is ``data`` (``path``: in the image)."""
    manifest = parse_json_strict(data, path)
    if not isinstance(manifest, dict):
        raise InputError("npm_lock_entry_not_object", source=path, location="/")
    name = manifest.get("name")
    if not isinstance(name, str) or not name:
        raise InputError("packagedb_entry_without", field="name", source=path, location="/")
    package = _package(f"node_modules/{name}", manifest, path, "/version")
    requires = manifest.get("dependencies")
    return replace(package, requires=tuple((n,) for n in requires)
                   if isinstance(requires, dict) else ())


def _flatten_v1(dependencies: dict[str, Any], prefix: str, flat: dict[str, Any], path: str,
                pointer: str) -> None:
    for name, entry in dependencies.items():
        if not isinstance(entry, dict):
            raise InputError("npm_lock_entry_not_object", source=path,
                             location=f"{pointer}/{name}")
        key = f"{prefix}node_modules/{name}"
        requires = entry.get("requires")
        flat[key] = {**entry, "dependencies": requires if isinstance(requires, dict) else {}}
        nested = entry.get("dependencies")
        if isinstance(nested, dict):
            _flatten_v1(nested, f"{key}/", flat, path, f"{pointer}/{name}/dependencies")


def _package(key: str, entry: dict[str, Any], path: str,
             place: str | None = None) -> InstalledPackage:
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        name = key.rpartition("node_modules/")[2]
    version = entry.get("version")
    if not isinstance(version, str) or not version:
        raise InputError("packagedb_entry_without", field="version", source=path,
                         location=place or f"/packages/{key}")
    scope, _, short = name.rpartition("/")
    purl = PackageURL(type="npm", namespace=scope or None, name=short,
                      version=version).to_string()
    integrity = entry.get("integrity")
    hashes = sri_hashes(integrity, path, place or f"/packages/{key}/integrity") \
        if isinstance(integrity, str) else ()
    return InstalledPackage(PackageSource.NPM, name, version, purl, path,
                            group=scope or None, licences=_licences(entry.get("license")),
                            author=_person(entry.get("author")), hashes=hashes)


def _resolved(key: str, package: InstalledPackage, flat: dict[str, Any],
              packages: dict[str, InstalledPackage]) -> InstalledPackage:
    wanted = flat[key].get("dependencies")
    if not isinstance(wanted, dict):
        return package
    found = []
    for name in wanted:
        base: str | None = key
        target = None
        while base is not None and target is None:
            target = packages.get(f"{base}/node_modules/{name}" if base
                                  else f"node_modules/{name}")
            base = (base.rpartition("/node_modules/")[0] if "/node_modules/" in base
                    else "") if base else None
        if target is not None:
            found.append(target.purl)
    return replace(package, depends_on=tuple(found))


def _licences(value: object) -> tuple[str, ...]:
    if isinstance(value, str) and value:
        return (value,)
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return (value["type"],)
    return ()


def _person(value: object) -> Party | None:
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"]:
        email = value.get("email")
        return Party(value["name"], email if isinstance(email, str) and email else None)
    if isinstance(value, str) and value.strip():
        match = _PERSON.fullmatch(value)
        if match and (match[1] or match[2]):
            return Party(match[1] or match[2], match[2] or None)
    return None
