"""The fast purl parser against packageurl-python, and the package keys it yields."""

from __future__ import annotations

import random

import pytest

from cpstrust.model.advisory import Advisory
from cpstrust.packages.ecosystems import normalize_name
from cpstrust.packages.purls import (
    _reference_parse,
    package_key_from_purl,
    parse_purl,
    resolve_purl,
)

TRICKY = [
    "pkg:npm/%40angular/core@12.0.0", "pkg:npm/@angular/core@12.0.0", "pkg:npm/%40Scope/Name@1",
    "pkg:npm/@scope/a/b@1", "pkg:npm/@scope", "pkg:npm/a/@b/c@1", "pkg:npm/@a/@b/c@1",
    "pkg:NPM/foo@1", "pkg:Npm/Foo@1.0.0", "pkg:/npm/foo@1", "pkg://npm/foo@1", "pkg:npm//foo@1",
    "pkg:npm///foo@1", "pkg:npm/foo@", "pkg:npm/foo@1@2", "pkg:npm/foo@1%2B2",
    "pkg:npm/foo%2Fbar@1",
    "pkg:npm/foo/@1", "pkg:npm/%20foo@1", "pkg:npm/foo@%201", "pkg:npm/foo bar@1",
    "pkg:npm/foo@1?", "pkg:npm/foo@1?a", "pkg:npm/foo@1?a=", "pkg:npm/foo@1?1a=b",
    "pkg:npm/foo@1?a%20=b", "pkg:npm/foo@1?A=b&c=d#sub/path", "pkg:npm/foo#@1",
    "pkg:npm/foo?x=@1", "pkg:maven/org.apache.commons/commons-lang3@3.12.0?type=jar",
    "pkg:maven/org.Apache/Commons@1.0", "pkg:maven/a:b@1", "pkg:maven/a/b/c@1",
    "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
    "pkg:deb/ubuntu/openssl@1.1.1f-1ubuntu2",
    "pkg:deb/Debian/Curl@1:7.0-1", "pkg:rpm/redhat/openssl@1:1.1.1k-7.el8?arch=x86_64",
    "pkg:apk/alpine/BusyBox@1.36.1-r2?arch=x86_64", "pkg:golang/github.com/Foo/Bar@v1.2.3",
    "pkg:golang/google.golang.org/genproto#googleapis/api/annotations",
    "pkg:golang/github.com/docker/docker@v20.10.0+incompatible", "pkg:golang/stdlib@go1.21.0",
    "pkg:golang/github.com/a/b/v2@v2.0.0", "pkg:golang/github.com%2Fa/b@v1",
    "pkg:pypi/Django_Foo@1.0",
    "pkg:pypi/zope.interface@5.0", "pkg:pypi/zope_interface@5.0", "pkg:pypi/Zope-Interface@5.0",
    "pkg:pypi/a/b@1", "pkg:pypi/%C3%89t%C3%A9@1", "pkg:PYPI/django@4.2", "pkg:cargo/Serde@1.0",
    "pkg:gem/Rails@7.0", "pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:composer/Laravel/Framework@10",
    "pkg:github/package-url/purl-spec@244fd47e07d1004", "pkg:generic/openssl@1.1.1",
    "pkg:docker/library/debian@sha256:abc", "pkg:1npm/foo@1", "pkg:np$m/foo@1", "pkg:npm",
    "pkg:npm/", "pkg:", "pkg", "PKG:npm/foo@1", " pkg:npm/foo@1", "pkg:npm/foo@1 ",
    "pkg:npm/fo\to@1", "pkg:npm/foo@1\n", "pkg:npm/foo:bar@1", "pkg:npm/foo@1:2",
    "pkg:hackage/a_b@1", "pkg:pub/Foo-Bar@1", "pkg:cpan/a/b@1", "pkg:mlflow/Model@1",
    "https://example.org/x", "", "pkg:npm/@/x@1", "pkg:npm/%40/x@1", "pkg:golang/a//b@v1",
    "pkg:golang/a/b/@v1", "pkg:golang/a/b/", "pkg:npm/foo@1#", "pkg:npm/foo@1##x",
]


def _random_purls(count: int) -> list[str]:
    """Purl-like strings built from the characters that have meaning in a purl."""
    rng = random.Random(1)
    types = ["npm", "pypi", "golang", "maven", "deb", "apk", "gem", "NPM", "Pypi", "generic", ""]
    alphabet = "ab_B.-/@?#=&%4:1 ~+"
    return [
        f"pkg:{rng.choice(['', '/', '//'])}{rng.choice(types)}/"
        + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        for _ in range(count)
    ]


def _corpus(advisories: list[Advisory]) -> list[str]:
    purls: list[str] = [*TRICKY, *_random_purls(20_000)]
    for advisory in advisories:
        for package in advisory.affected:
            kind = "golang" if package.ecosystem == "Go" else "pypi"
            versions = [e.version for r in package.ranges for e in r.events][:2]
            purls += [f"pkg:{kind}/{package.name}@{v}" for v in versions]
            purls.append(f"pkg:{kind}/{package.name}")
            if package.purl:
                purls.append(package.purl)
    return purls


def _key_from_reference(purl: str) -> tuple[tuple[str, str], str] | None:
    """What our key would be if computed from packageurl-python's parse."""
    from packageurl import PackageURL

    from cpstrust.packages.ecosystems import package_name_from_purl, purl_type_to_family

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    family = purl_type_to_family(parsed.type)
    if family is None or not parsed.version:
        return None
    name = package_name_from_purl(family, parsed.namespace or None, parsed.name)
    return (family, normalize_name(family, name)), parsed.version


def test_fast_parser_agrees_with_packageurl_python(
    pypa_advisories: list[Advisory], go_advisories: list[Advisory],
) -> None:
    corpus = _corpus(pypa_advisories + go_advisories)
    assert len(corpus) > 40_000
    parse_purl.cache_clear()
    resolve_purl.cache_clear()
    disagreements = [p for p in corpus if parse_purl(p) != _reference_parse(p)]
    assert disagreements == []
    key_disagreements = [p for p in corpus if package_key_from_purl(p) != _key_from_reference(p)]
    assert key_disagreements == []


@pytest.mark.parametrize(("purl", "expected"), [
    ("pkg:pypi/Django@4.2", (("pypi", "django"), "4.2")),
    ("pkg:pypi/zope.interface@5.0", (("pypi", "zope-interface"), "5.0")),
    ("pkg:pypi/Zope_Interface@5.0", (("pypi", "zope-interface"), "5.0")),
    ("pkg:golang/github.com/Sirupsen/logrus@v1.0.0", (("go", "github.com/sirupsen/logrus"),
                                                      "v1.0.0")),
    ("pkg:npm/%40Angular/core@12.0.0", (("npm", "@angular/core"), "12.0.0")),
    ("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
     (("maven", "org.apache.logging.log4j:log4j-core"), "2.14.1")),
    ("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64",
     (("deb", "openssl"), "3.0.11-1~deb12u2")),
    ("pkg:composer/laravel/framework@10.0.0", (("composer", "laravel/framework"), "10.0.0")),
    ("pkg:generic/openssl@1.1.1", None),
    ("pkg:pypi/django", None),
    ("not a purl", None),
])
def test_package_key_from_purl(purl: str, expected: object) -> None:
    assert package_key_from_purl(purl) == expected


def test_osv_names_normalise_to_the_same_key_as_purls() -> None:
    assert normalize_name("pypi", "Zope.Interface") == normalize_name("pypi", "zope-interface")
    assert normalize_name("npm", "@Scope/Pkg") == "@scope/pkg"
    assert normalize_name("maven", "org.Apache:Commons") == "org.Apache:Commons"
