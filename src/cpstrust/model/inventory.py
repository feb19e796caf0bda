"""What an image's package databases say is installed in it, independent of their format."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cpstrust.messages import Message
from cpstrust.model.authenticity import MeasuredFile
from cpstrust.model.sbom import Hash


class PackageSource(StrEnum):
    """The package database (or metadata file) a package was found in: its purl type."""

    DEB = "deb"
    APK = "apk"
    PYPI = "pypi"
    NPM = "npm"
    MAVEN = "maven"
    RPM = "rpm"
    GOLANG = "golang"


@dataclass(frozen=True, slots=True)
class Party:
    """Who supplied or wrote a package, as the database names them."""

    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Artifact:
    """One file a package is distributed as (a wheel, an sdist), with its digests, when a
    lockfile lists several acceptable ones. ``url`` is where it is fetched from, else its
    file name; None when the lockfile gives only the digest."""

    url: str | None
    hashes: tuple[Hash, ...]
    source: bool = False  # a source distribution


@dataclass(frozen=True, slots=True)
class InstalledPackage:
    """One package installed in an image.

    ``listed_in`` is the path inside the image of the file that lists it (a database, a
    METADATA file, a jar). ``requires`` are the names it needs, each a tuple of
    alternatives (dpkg's "a | b"), as the source writes them; ``depends_on`` are purls of
    other packages the source itself resolved (an npm lock). ``provides`` are other names
    it answers to (dpkg Provides, apk p:). ``file`` is set when the package is one file
    of the image (a jar, a Go executable). ``hashes`` are digests of the one artifact
    the package is (an npm tarball's integrity); ``artifacts`` the files it may be
    installed from when a lockfile allows several; ``properties`` facts with no field of
    their own (name, value), e.g. a Go module's go.sum hash, which hashes no file.
    """

    source: PackageSource
    name: str
    version: str
    purl: str
    listed_in: str
    group: str | None = None
    application: bool = False  # an application rather than a library
    licences: tuple[str, ...] = ()  # declared, as written
    supplier: Party | None = None
    author: Party | None = None
    requires: tuple[tuple[str, ...], ...] = ()
    depends_on: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    file: str | None = None
    hashes: tuple[Hash, ...] = ()
    artifacts: tuple[Artifact, ...] = ()
    properties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ImageInventory:
    """What an image holds: every regular file with its digest, and the packages its
    databases list, with the dependency edges between them (by purl)."""

    subject_name: str
    subject_version: str | None
    files: tuple[MeasuredFile, ...]
    packages: tuple[InstalledPackage, ...]
    dependencies: tuple[tuple[str, tuple[str, ...]], ...]  # purl -> purls it depends on
    warnings: tuple[Message, ...] = ()
