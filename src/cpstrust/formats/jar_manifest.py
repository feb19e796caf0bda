"""Java archives: what a ``.jar`` (a zip) says it is.

Each ``META-INF/maven/<group>/<artifact>/pom.properties`` names one Maven artifact
(a shaded jar holds several): ``pkg:maven/<group>/<artifact>@<version>``. A jar without
one is named by its ``META-INF/MANIFEST.MF`` (``Implementation-Title`` and
``Implementation-Version``, else ``Bundle-SymbolicName`` and ``Bundle-Version``; the
group from ``Implementation-Vendor-Id`` when given). Jars nested inside jars are not
opened.

The zip is read from memory within bounds: at most ``MAX_MEMBERS`` entries, and each
entry read stops past ``MAX_ENTRY`` bytes whatever its header claims. A jar that is no
zip, or says nothing of what it is, gives no package and is named in a warning.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from packageurl import PackageURL

from cpstrust.errors import InputError
from cpstrust.model.inventory import InstalledPackage, PackageSource

MAX_MEMBERS = 100_000
MAX_ENTRY = 1 << 20


def is_jar(path: str) -> bool:
    return path.endswith((".jar", ".war", ".ear"))


def read_jar(data: bytes, path: str) -> list[InstalledPackage]:
    """The Maven artifacts of the jar ``data`` (``path``: its place in the image); []
    when it names none. ``InputError`` when it is no readable zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as jar:
            entries = jar.infolist()
            if len(entries) > MAX_MEMBERS:
                raise InputError("jar_too_many_entries", limit=MAX_MEMBERS, source=path)
            found = [_from_properties(_entry(jar, e), path) for e in entries
                     if e.filename.startswith("META-INF/maven/")
                     and e.filename.endswith("/pom.properties")]
            packages = [p for p in found if p is not None]
            if packages:
                return packages
            if "META-INF/MANIFEST.MF" in jar.NameToInfo:
                manifest = _from_manifest(_entry(jar, jar.getinfo("META-INF/MANIFEST.MF")), path)
                return [manifest] if manifest is not None else []
            return []
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise InputError("jar_unreadable", error=str(exc), source=path) from None


def _entry(jar: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    with jar.open(info) as stream:
        data = stream.read(MAX_ENTRY + 1)
    if len(data) > MAX_ENTRY:
        raise InputError("jar_entry_too_large", limit=MAX_ENTRY, location=info.filename)
    return data.decode("utf-8", "replace")


def _from_properties(text: str, path: str) -> InstalledPackage | None:
    values = {}
    for line in text.splitlines():
        key, separator, value = line.partition("=")
        if separator and not key.lstrip().startswith(("#", "!")):
            values[key.strip()] = value.strip()
    group, artifact, version = (values.get(k) for k in ("groupId", "artifactId", "version"))
    if not (group and artifact and version):
        return None
    return _artifact(group, artifact, version, path)


def _from_manifest(text: str, path: str) -> InstalledPackage | None:
    attributes: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if line.startswith(" ") and last is not None:
            attributes[last] += line[1:]  # a continued line (72-byte lines)
            continue
        key, separator, value = line.partition(":")
        if separator:
            last = key.strip()
            attributes.setdefault(last, value.strip())
    title = attributes.get("Implementation-Title") or attributes.get("Bundle-SymbolicName")
    version = attributes.get("Implementation-Version") or attributes.get("Bundle-Version")
    if not (title and version):
        return None
    title = title.partition(";")[0].strip()  # Bundle-SymbolicName directives
    return _artifact(attributes.get("Implementation-Vendor-Id"), title, version, path)


def _artifact(group: str | None, artifact: str, version: str, path: str) -> InstalledPackage:
    purl = PackageURL(type="maven", namespace=group or None, name=artifact,
                      version=version).to_string()
    return InstalledPackage(PackageSource.MAVEN, artifact, version, purl, path, group=group,
                            file=path)
