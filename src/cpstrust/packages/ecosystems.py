"""Ecosystem families: which OSV ecosystems and purl types share names and version rules.

A *family* is our short name for a package universe whose names and version ordering
agree ("pypi", "go", "npm", "maven", "deb", "rpm", "apk", "cargo", "gem", "nuget",
"composer"). Advisories are indexed and components looked up by
``(family, normalize_name(family, name))``.
"""

from __future__ import annotations

import re

PYPI = "pypi"
GO = "go"
NPM = "npm"
MAVEN = "maven"
DEB = "deb"
RPM = "rpm"
APK = "apk"
CARGO = "cargo"
GEM = "gem"
NUGET = "nuget"
COMPOSER = "composer"

# (ecosystem family, normalised package name), e.g. ("pypi", "django"), ("go", "golang.org/x/net")
PackageKey = tuple[str, str]

# OSV ecosystem (the part before any ":<release>" suffix) -> (family, distribution).
# The distribution is the purl namespace that vendor uses; it keeps e.g. Ubuntu
# advisories off Debian packages, whose version strings differ systematically.
_OSV_ECOSYSTEMS: dict[str, tuple[str, str | None]] = {
    "PyPI": (PYPI, None),
    "Go": (GO, None),
    "npm": (NPM, None),
    "Maven": (MAVEN, None),
    "crates.io": (CARGO, None),
    "RubyGems": (GEM, None),
    "NuGet": (NUGET, None),
    "Packagist": (COMPOSER, None),
    "Debian": (DEB, "debian"),
    "Ubuntu": (DEB, "ubuntu"),
    "Alpine": (APK, "alpine"),
    "Wolfi": (APK, "wolfi"),
    "Chainguard": (APK, "chainguard"),
    "Red Hat": (RPM, "redhat"),
    "AlmaLinux": (RPM, "almalinux"),
    "Rocky Linux": (RPM, "rocky"),
    "openSUSE": (RPM, "opensuse"),
    "SUSE": (RPM, "suse"),
    "Photon OS": (RPM, "photon"),
    "Mageia": (RPM, "mageia"),
    "openEuler": (RPM, "openeuler"),
}

_PURL_TYPES: dict[str, str] = {
    "pypi": PYPI,
    "golang": GO,
    "npm": NPM,
    "maven": MAVEN,
    "deb": DEB,
    "apk": APK,
    "rpm": RPM,
    "cargo": CARGO,
    "gem": GEM,
    "nuget": NUGET,
    "composer": COMPOSER,
}

# Families whose packages belong to an operating-system distribution: the purl
# namespace names the distribution, not part of the package name.
DISTRO_FAMILIES = frozenset({DEB, RPM, APK})
_KNOWN_DISTROS = frozenset(d for _, d in _OSV_ECOSYSTEMS.values() if d)

_PEP503_SEPARATORS = re.compile(r"[-_.]+")


def _base(osv_ecosystem: str) -> str:
    return osv_ecosystem.partition(":")[0].strip()


def ecosystem_family(osv_ecosystem: str) -> str | None:
    """Family of an OSV ecosystem string ("Debian:12" -> "deb"); None when unknown."""
    entry = _OSV_ECOSYSTEMS.get(_base(osv_ecosystem))
    return entry[0] if entry else None


def ecosystem_distro(osv_ecosystem: str) -> str | None:
    """The distribution an OS ecosystem belongs to ("Ubuntu:22.04:LTS" -> "ubuntu")."""
    entry = _OSV_ECOSYSTEMS.get(_base(osv_ecosystem))
    return entry[1] if entry else None


def purl_type_to_family(purl_type: str) -> str | None:
    """Family of a purl type ("golang" -> "go"); None when we cannot match it."""
    return _PURL_TYPES.get(purl_type.lower())


def distro_conflicts(purl_namespace: str | None, osv_ecosystem: str) -> bool:
    """True when a component's distribution is known and differs from the advisory's.

    An unknown namespace (e.g. "centos" for RHEL rebuilds) never conflicts: missing a
    vulnerability is worse than reporting one from a sibling distribution.
    """
    if not purl_namespace:
        return False
    namespace = purl_namespace.lower()
    if namespace not in _KNOWN_DISTROS:
        return False
    return ecosystem_distro(osv_ecosystem) not in (None, namespace)


def normalize_name(family: str, name: str) -> str:
    """The name under which a package is indexed in its family.

    - pypi: PEP 503 (lowercase, runs of "-", "_", "." become "-").
    - go: lowercased. Module paths are case-sensitive in theory, but the hosts that
      serve nearly all modules (GitHub, GitLab) are not, and the Go data itself lists
      both "github.com/0xJacky/Nginx-UI" and "github.com/0xJacky/nginx-ui": folding case
      avoids missing a vulnerability at the cost of a theoretical collision.
    - npm, cargo, nuget, composer, deb, rpm, apk: lowercased (case-insensitive registries).
    - maven ("group:artifact") and gem: kept, their repositories are case-sensitive.
    """
    name = name.strip()
    if family == PYPI:
        if "_" not in name and "." not in name and "--" not in name:  # most names: no run
            return name.lower()
        return _PEP503_SEPARATORS.sub("-", name).lower()
    if family in (MAVEN, GEM):
        return name
    return name.lower()


def package_name_from_purl(family: str, namespace: str | None, name: str) -> str:
    """Join purl namespace and name the way the family's advisories write names."""
    if not namespace or family in DISTRO_FAMILIES or family in (PYPI, CARGO, GEM, NUGET):
        return name
    separator = ":" if family == MAVEN else "/"
    return f"{namespace}{separator}{name}"
