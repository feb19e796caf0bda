"""What an image holds, for its SBOM: every regular file with its SHA-256 and the
packages its databases list, from one measurement (``trust.image``) that kept the bytes
of the databases as it hashed them.

Databases: dpkg (``var/lib/dpkg/status``, ``status.d/*``), apk (``lib/apk/db/installed``),
rpm 4.16+ (``rpmdb.sqlite``), Python (``*.dist-info/METADATA``, ``*.egg-info``), npm
(``package-lock.json``, package roots in ``node_modules``), jars and Go executables'
build info (the standard library, the main module and each dependency module; the
main module depends on the others); Python packages vendored without their metadata
from ``_vendor/vendor.txt``. The distribution
(purl namespace of deb, apk and rpm packages) is the ``ID`` of ``etc/os-release`` (else
``usr/lib/os-release``).

What fails the whole run and what is skipped, the rule: input two readers could read
differently, or that would make the SBOM wrong rather than incomplete, fails it with an
``InputError`` naming the file inside the image and the place (a malformed database
line or entry, a package listed twice in one database with different versions, text
that is not UTF-8, JSON that does not parse or names a key twice, a database or
metadata file over its limit, a link that escapes the image root, which no image it
declares could verify against). A jar that cannot be read as a zip, or is too large to
read, is skipped with a warning: the jar is still a file of the SBOM with its digest,
and a zip that no Java runtime would load names no package either; so is Go build info
that is truncated, forged or from Go before 1.18. Executables over
``max_executable_bytes`` are hashed but not read for build info. The same package
(purl) found in several places is one component.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from packaging.utils import canonicalize_name

from cpstrust.errors import InputError
from cpstrust.formats.apk_installed import read_apk_installed
from cpstrust.formats.dpkg_status import read_dpkg_status
from cpstrust.formats.go_buildinfo import go_packages, read_build_info, watcher_for
from cpstrust.formats.jar_manifest import is_jar, read_jar
from cpstrust.formats.npm_lock import (
    is_package_lock,
    is_package_root,
    read_package_json,
    read_package_lock,
)
from cpstrust.formats.python_metadata import (
    is_python_metadata,
    is_vendor_list,
    read_python_metadata,
    read_vendor_list,
)
from cpstrust.formats.rpm_db import RPM_DATABASES, read_rpm_db
from cpstrust.limits import DEFAULT_INVENTORY_LIMITS, InventoryLimits
from cpstrust.messages import Message, message
from cpstrust.model.authenticity import EntryKind, MeasuredFile
from cpstrust.model.inventory import ImageInventory, InstalledPackage, PackageSource
from cpstrust.trust.measurement import KeepRule, MeasuredImage, Measurement, WatchFactory

DPKG_STATUS = "var/lib/dpkg/status"
DPKG_STATUS_D = "var/lib/dpkg/status.d/"
APK_INSTALLED = "lib/apk/db/installed"
OS_RELEASE = ("etc/os-release", "usr/lib/os-release")


def keep_rule(limits: InventoryLimits = DEFAULT_INVENTORY_LIMITS) -> KeepRule:
    """Which files' bytes the measurement keeps for ``inventory``, and their bounds."""

    def cap(path: str) -> int | None:
        if (path in (DPKG_STATUS, APK_INSTALLED) or path in OS_RELEASE or path in RPM_DATABASES
                or _is_status_d(path) or is_package_lock(path)):
            return limits.max_database_bytes
        if is_python_metadata(path) or is_vendor_list(path) or is_package_root(path):
            return limits.max_metadata_bytes
        if is_jar(path):
            return limits.max_jar_bytes
        return None

    go_build_info: WatchFactory = partial(watcher_for, limit=limits.max_go_buildinfo_bytes)

    def watch(size: int) -> WatchFactory | None:
        return go_build_info if size <= limits.max_executable_bytes else None

    return KeepRule(cap, limits.max_total_bytes, watch)


def _is_status_d(path: str) -> bool:
    return path.startswith(DPKG_STATUS_D) and not path.endswith(".md5sums") \
        and "/" not in path[len(DPKG_STATUS_D):]


def inventory(measured: MeasuredImage, source: str, subject_name: str,
              subject_version: str | None) -> ImageInventory:
    """The files and packages of the measured image ``source`` (as errors name it)."""
    files = []
    for file in measured.files:
        if file.kind is EntryKind.ESCAPING_SYMLINK:
            raise InputError("generate_link_escapes", target=file.link_target, source=source,
                             location=Measurement.member(file.path))
        if file.kind is EntryKind.FILE:
            files.append(file)
    warnings: list[Message] = []
    for path, size in sorted(measured.oversized.items()):
        if is_jar(path):
            warnings.append(message("generate_jar_skipped_too_large", path=path, size=size))
        else:
            raise InputError("packagedb_too_large", size=size, source=source,
                             location=Measurement.member(path))
    sizes = {file.path: file.size for file in files}
    warnings += [message("generate_rpm_wal_pending", path=path) for path in RPM_DATABASES
                 if path in measured.contents and sizes.get(f"{path}-wal", 0) > 0]
    try:
        packages = _packages(measured.contents, warnings)
        packages += _go_packages(measured.excerpts, warnings)
    except InputError as exc:
        # The reader named the file inside the image as its source: the image comes first.
        inner = exc.source
        exc.source = source
        exc.location = ", ".join(p for p in (f"file {inner!r}" if inner else None,
                                             exc.location) if p)
        exc.args = (exc.diagnostics(),)
        raise
    return _assembled(subject_name, subject_version, tuple(files), packages, warnings)


def lock_inventory(packages: Iterable[InstalledPackage], subject_name: str,
                   subject_version: str | None) -> ImageInventory:
    """What a lockfile pins, as an inventory without files."""
    return _assembled(subject_name, subject_version, (), list(packages), [])


def _assembled(subject_name: str, subject_version: str | None, files: tuple[MeasuredFile, ...],
               packages: list[InstalledPackage], warnings: list[Message]) -> ImageInventory:
    unique = {p.purl: p for p in reversed(packages)}  # the first found of each purl
    chosen = tuple(sorted(unique.values(), key=lambda p: p.purl))
    return ImageInventory(subject_name, subject_version, files, chosen, _edges(chosen),
                          tuple(warnings))


def _packages(contents: dict[str, bytes], warnings: list[Message]) -> list[InstalledPackage]:
    distro = _distro(contents)
    found: list[InstalledPackage] = []
    dpkg = [path for path in sorted(contents) if path == DPKG_STATUS or _is_status_d(path)]
    by_name: dict[tuple[str, str], InstalledPackage] = {}
    for path in dpkg:
        for package in read_dpkg_status(contents[path], path, distro or "debian"):
            earlier = by_name.setdefault((package.name, package.purl.partition("?")[2]), package)
            if earlier.version != package.version:
                raise InputError("packagedb_package_twice_in_files", name=package.name,
                                 first=earlier.version, second=package.version,
                                 other=earlier.listed_in, source=path)
            found.append(package)
    if APK_INSTALLED in contents:
        found += read_apk_installed(contents[APK_INSTALLED], APK_INSTALLED, distro or "alpine")
    for path in RPM_DATABASES:
        if path in contents:
            found += read_rpm_db(contents[path], path, distro or "redhat")
    for path in sorted(contents):
        data = contents[path]
        if is_python_metadata(path):
            found.append(read_python_metadata(data, path))
        elif is_vendor_list(path):
            found += read_vendor_list(data, path)
        elif is_package_lock(path):
            found += read_package_lock(data, path)
        elif is_jar(path):
            try:
                found += read_jar(data, path)
            except InputError as exc:
                warnings.append(message("generate_jar_skipped", path=path, problem=exc.message))
    # After the locks, which resolve dependencies by path: the same purl keeps theirs.
    found += [read_package_json(contents[path], path) for path in sorted(contents)
              if is_package_root(path)]
    return found


def _go_packages(excerpts: dict[str, bytes], warnings: list[Message]) -> list[InstalledPackage]:
    found: list[InstalledPackage] = []
    for path in sorted(excerpts):
        try:
            found += go_packages(read_build_info(excerpts[path], path), path)
        except InputError as exc:
            warnings.append(message("generate_go_skipped", problem=exc.told()))
    return found


def _distro(contents: dict[str, bytes]) -> str | None:
    for path in OS_RELEASE:
        data = contents.get(path)
        if data is None:
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "ID":
                value = value.strip().strip("\"'").lower()
                return value or None
    return None


def _edges(packages: Iterable[InstalledPackage]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each package's dependencies as purls: names resolved within its own ecosystem
    (a name, else a name some package provides); the first alternative found wins."""
    names: dict[tuple[PackageSource, str], str] = {}
    listed = list(packages)
    for package in listed:
        names.setdefault((package.source, _key(package.source)(package.name)), package.purl)
    for package in listed:
        for provided in package.provides:
            names.setdefault((package.source, provided), package.purl)
    edges = []
    for package in listed:
        key = _key(package.source)
        targets = dict.fromkeys(package.depends_on)
        for alternatives in package.requires:
            purl = next((names[(package.source, key(n))] for n in alternatives
                         if (package.source, key(n)) in names), None)
            if purl is not None:
                targets[purl] = None
        targets.pop(package.purl, None)
        edges.append((package.purl, tuple(targets)))
    return tuple(edges)


def _key(source: PackageSource) -> Callable[[str], str]:
    if source is PackageSource.PYPI:
        return lambda name: str(canonicalize_name(name))
    return str
