"""Ecosystem families, name normalisation and the other ecosystems' orderings."""

from __future__ import annotations

import pytest

from cpstrust.messages import Lang
from cpstrust.packages.ecosystems import ecosystem_family, purl_type_to_family
from cpstrust.packages.versions import VersionParseError, version_key


@pytest.mark.parametrize(("ecosystem", "family"), [
    ("PyPI", "pypi"), ("Go", "go"), ("npm", "npm"), ("Maven", "maven"),
    ("Maven:https://maven.google.com", "maven"), ("Debian:12", "deb"), ("Ubuntu:22.04:LTS", "deb"),
    ("Alpine:v3.18", "apk"), ("Red Hat:rhel_aus:8.4::appstream", "rpm"), ("AlmaLinux:9", "rpm"),
    ("Rocky Linux:8", "rpm"), ("openSUSE:Leap 15.5", "rpm"), ("crates.io", "cargo"),
    ("RubyGems", "gem"), ("NuGet", "nuget"), ("Packagist", "composer"), ("Hackage", None),
    ("", None),
])
def test_ecosystem_family(ecosystem: str, family: str | None) -> None:
    assert ecosystem_family(ecosystem) == family


@pytest.mark.parametrize(("purl_type", "family"), [
    ("pypi", "pypi"), ("golang", "go"), ("npm", "npm"), ("maven", "maven"), ("deb", "deb"),
    ("apk", "apk"), ("rpm", "rpm"), ("cargo", "cargo"), ("gem", "gem"), ("nuget", "nuget"),
    ("composer", "composer"), ("generic", None), ("github", None),
])
def test_purl_type_to_family(purl_type: str, family: str | None) -> None:
    assert purl_type_to_family(purl_type) == family


@pytest.mark.parametrize(("family", "lower", "higher"), [
    ("maven", "1.0-SNAPSHOT", "1.0"),
    ("maven", "1.0-alpha-1", "1.0-beta-1"),
    ("maven", "2.14.1", "2.15.0"),
    ("rpm", "1.2-3.el8", "1.2-3.el9"),
    ("rpm", "1:1.0-1", "1:1.0-2"),
    ("rpm", "0:9.9-1", "1:1.0-1"),
    ("apk", "1.2.3_rc1-r0", "1.2.3-r0"),
    ("apk", "1.2.3-r0", "1.2.3-r1"),
    ("gem", "1.0.a", "1.0"),
    ("nuget", "1.0.0-beta", "1.0.0"),
    ("composer", "1.0.0-beta1", "1.0.0"),
    ("cargo", "1.0.0-alpha.1", "1.0.0"),
    ("deb", "1.0~rc1-1", "1.0-1"),
    ("deb", "1.0-1", "1:0.1-1"),
])
def test_each_ecosystem_orders_its_versions(family: str, lower: str, higher: str) -> None:
    assert version_key(family, lower) < version_key(family, higher)


@pytest.mark.parametrize(("family", "text"), [
    ("deb", "1.0-"), ("rpm", ""), ("nuget", "x"), ("cargo", "1.0"), ("unknown-family", "1.0"),
])
def test_unparseable_versions_raise_version_parse_error(family: str, text: str) -> None:
    with pytest.raises(VersionParseError):
        version_key(family, text)


def test_version_refusal_is_told_in_english_and_japanese() -> None:
    with pytest.raises(VersionParseError) as caught:
        version_key("deb", "1.0-")
    assert caught.value.problem == "deb cannot order version '1.0-': bad revision in Debian " \
        "version '1.0-'"
    assert caught.value.message.text(Lang.JA) == (
        "deb ではバージョン '1.0-' を順序付けできません: Debian のバージョン '1.0-' の"
        "リビジョンが不正です")
