"""The package databases an SBOM is generated from: what each reader takes from its
format, and the malformed input it refuses with the file and the place."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.apk_installed import read_apk_installed
from cpstrust.formats.dpkg_status import read_dpkg_status
from cpstrust.formats.jar_manifest import read_jar
from cpstrust.formats.npm_lock import is_package_root, read_package_json, read_package_lock
from cpstrust.formats.python_metadata import (
    is_python_metadata,
    is_vendor_list,
    read_python_metadata,
    read_vendor_list,
)
from cpstrust.model.inventory import Party

DPKG = b"""Package: libc6
Status: install ok installed
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Version: 2.36-9+deb12u4
Description: GNU C Library
 Contains the standard libraries.
 .
 More.

Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2
Pre-Depends: libc6 (>= 2.36), libtinfo6 | libtinfo5:any (>= 6)
Provides: sh

Package: removed
Status: deinstall ok config-files
Version: 1.0
"""


def test_dpkg_status_gives_installed_packages_with_purl_supplier_and_requirements() -> None:
    libc, bash = read_dpkg_status(DPKG, "var/lib/dpkg/status", "debian")
    assert libc.purl == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64"
    assert libc.supplier == Party("GNU Libc Maintainers", "debian-glibc@lists.debian.org")
    assert bash.requires == (("libc6",), ("libtinfo6", "libtinfo5"))
    assert bash.provides == ("sh",)
    assert bash.listed_in == "var/lib/dpkg/status"


def test_dpkg_stanza_without_package_is_refused_at_its_line() -> None:
    with pytest.raises(InputError, match="line 4") as caught:
        read_dpkg_status(b"Package: a\nVersion: 1\n\nVersion: 2\nStatus: install ok installed\n",
                         "var/lib/dpkg/status", "debian")
    assert caught.value.code == "packagedb_entry_without"
    assert caught.value.source == "var/lib/dpkg/status"


def test_dpkg_package_twice_with_different_versions_is_refused() -> None:
    with pytest.raises(InputError, match="line 4") as caught:
        read_dpkg_status(b"Package: a\nVersion: 1\n\nPackage: a\nVersion: 2\n",
                         "var/lib/dpkg/status", "debian")
    assert caught.value.code == "packagedb_package_twice"


def test_dpkg_package_twice_alike_is_one() -> None:
    assert len(read_dpkg_status(b"Package: a\nVersion: 1\n\nPackage: a\nVersion: 1\n",
                                "s", "debian")) == 1


def test_dpkg_bad_utf8_is_refused_at_its_line() -> None:
    with pytest.raises(InputError, match="line 2") as caught:
        read_dpkg_status(b"Package: a\nVersion: 1\xff\n", "var/lib/dpkg/status", "debian")
    assert caught.value.code == "packagedb_not_utf8"


def test_dpkg_line_that_is_no_field_is_refused() -> None:
    with pytest.raises(InputError, match="line 2"):
        read_dpkg_status(b"Package: a\nno colon here\n", "s", "debian")


APK = b"""C:Q1abc=
P:musl
V:1.2.4-r2
A:x86_64
L:MIT
m:Timo Teras <timo.teras@iki.fi>
p:so:libc.musl-x86_64.so.1=1
F:lib
R:libc.musl-x86_64.so.1

P:busybox
V:1.36.1-r5
A:x86_64
L:GPL-2.0-only
D:so:libc.musl-x86_64.so.1 !busybox-old
"""


def test_apk_installed_gives_licence_supplier_and_provided_requirements() -> None:
    musl, busybox = read_apk_installed(APK, "lib/apk/db/installed", "alpine")
    assert musl.purl == "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64"
    assert musl.licences == ("MIT",) and musl.supplier == Party("Timo Teras", "timo.teras@iki.fi")
    assert musl.provides == ("so:libc.musl-x86_64.so.1",)
    assert busybox.requires == (("so:libc.musl-x86_64.so.1",),)


def test_apk_block_without_version_is_refused_at_its_line() -> None:
    with pytest.raises(InputError, match="line 4"):
        read_apk_installed(b"P:a\nV:1\n\nP:b\n", "lib/apk/db/installed", "alpine")


METADATA = b"""Metadata-Version: 2.1
Name: Requests_Toolbelt
Version: 1.0.0
License: Apache 2.0
Author-email: Ian <ian@example.org>
Requires-Dist: requests (<3.0.0,>=2.0.1)
Requires-Dist: PySocks ; extra == "socks"

Description body.
"""


def test_python_metadata_normalises_the_purl_name_and_keeps_requirements_but_extras() -> None:
    package = read_python_metadata(METADATA, "usr/lib/python3/dist-packages/x.dist-info/METADATA")
    assert package.purl == "pkg:pypi/requests-toolbelt@1.0.0"
    assert package.name == "Requests_Toolbelt" and package.licences == ("Apache 2.0",)
    assert package.author == Party("Ian", "ian@example.org")
    assert package.requires == (("requests",),)


def test_python_licence_expression_wins_and_a_licence_text_is_no_name() -> None:
    text = b"Name: a\nVersion: 1\nLicense: Copyright (c)\n  long text\n"
    assert read_python_metadata(text, "m").licences == ()
    both = b"Name: a\nVersion: 1\nLicense-Expression: MIT\nLicense: MIT License\n"
    assert read_python_metadata(both, "m").licences == ("MIT",)


def test_python_metadata_without_a_name_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_python_metadata(b"Version: 1\n", "site-packages/x.dist-info/METADATA")
    assert caught.value.code == "packagedb_entry_without"


@pytest.mark.parametrize(("path", "wanted"), [
    ("usr/lib/python3.11/site-packages/a-1.dist-info/METADATA", True),
    ("usr/lib/python3/dist-packages/a-1.egg-info/PKG-INFO", True),
    ("usr/lib/python3/dist-packages/a-1.egg-info", True),
    ("usr/share/doc/a-1.dist-info/METADATA", False),
    ("usr/lib/python3/dist-packages/a/METADATA", False),
    # vendored inside an installed package, with its own metadata
    ("usr/lib/python3.11/site-packages/setuptools/_vendor/zipp-3.23.0.dist-info/METADATA",
     True),
])
def test_python_metadata_is_found_under_site_packages_only(path: str, wanted: bool) -> None:
    assert is_python_metadata(path) is wanted


LOCK_V3 = {
    "name": "app", "lockfileVersion": 3,
    "packages": {
        "": {"name": "app", "dependencies": {"a": "^1"}},
        "node_modules/a": {"version": "1.0.0", "license": "MIT", "dependencies": {"b": "^2"}},
        "node_modules/b": {"version": "2.0.0"},
        "node_modules/a/node_modules/b": {"version": "3.0.0"},
        "node_modules/@scope/c": {"version": "0.1.0", "dependencies": {"b": "*"}},
        "node_modules/linked": {"link": True, "resolved": "../linked"},
    },
}


def test_npm_lock_v3_resolves_dependencies_as_node_does() -> None:
    lock = json.dumps(LOCK_V3).encode()
    found = {p.purl: p for p in read_package_lock(lock, "app/package-lock.json")}
    assert set(found) == {"pkg:npm/a@1.0.0", "pkg:npm/b@2.0.0", "pkg:npm/b@3.0.0",
                          "pkg:npm/%40scope/c@0.1.0"}
    assert found["pkg:npm/a@1.0.0"].depends_on == ("pkg:npm/b@3.0.0",)
    assert found["pkg:npm/%40scope/c@0.1.0"].depends_on == ("pkg:npm/b@2.0.0",)
    assert found["pkg:npm/a@1.0.0"].licences == ("MIT",)


def test_npm_lock_v1_nested_dependencies_resolve_too() -> None:
    lock = {"lockfileVersion": 1, "dependencies": {
        "a": {"version": "1.0.0", "requires": {"b": "^3"},
              "dependencies": {"b": {"version": "3.0.0"}}},
        "b": {"version": "2.0.0"}}}
    found = {p.purl: p for p in read_package_lock(json.dumps(lock).encode(), "package-lock.json")}
    assert found["pkg:npm/a@1.0.0"].depends_on == ("pkg:npm/b@3.0.0",)


def test_invalid_package_lock_is_refused_with_its_place() -> None:
    with pytest.raises(InputError) as caught:
        read_package_lock(b'{"lockfileVersion": 3, "packages": {', "srv/package-lock.json")
    assert caught.value.source == "srv/package-lock.json" and caught.value.location


def test_package_lock_naming_a_key_twice_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_package_lock(b'{"packages": {"node_modules/a": {"version": "1"}, '
                          b'"node_modules/a": {"version": "2"}}}', "package-lock.json")
    assert caught.value.code == "json_duplicate_key"


def test_node_modules_package_roots_are_read() -> None:
    assert is_package_root("app/node_modules/@s/x/package.json")
    assert not is_package_root("app/node_modules/x/test/fixtures/package.json")
    package = read_package_json(b'{"name": "x", "version": "1.2.3", "author": "A <a@b.c>"}',
                                "app/node_modules/x/package.json")
    assert package.purl == "pkg:npm/x@1.2.3" and package.author == Party("A", "a@b.c")


def _jar(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as jar:
        for name, text in entries.items():
            jar.writestr(name, text)
    return buffer.getvalue()


def test_jar_pom_properties_name_maven_artifacts() -> None:
    data = _jar({"META-INF/maven/org.slf4j/slf4j-api/pom.properties":
                 "groupId=org.slf4j\nartifactId=slf4j-api\nversion=2.0.9\n",
                 "META-INF/MANIFEST.MF": "Implementation-Title: other\n"})
    (package,) = read_jar(data, "opt/app/lib/slf4j-api.jar")
    assert package.purl == "pkg:maven/org.slf4j/slf4j-api@2.0.9"
    assert package.file == "opt/app/lib/slf4j-api.jar"


def test_jar_without_pom_is_named_by_its_manifest() -> None:
    data = _jar({"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\nImplementation-Title: tool\n"
                 "Implementation-Version: 4.1\n"})
    (package,) = read_jar(data, "x.jar")
    assert package.purl == "pkg:maven/tool@4.1"


def test_a_jar_that_is_no_zip_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_jar(b"not a zip", "x.jar")
    assert caught.value.code == "jar_unreadable"


def test_a_vendor_list_names_its_pinned_packages() -> None:
    path = "usr/lib/python3.11/site-packages/pip/_vendor/vendor.txt"
    assert is_vendor_list(path) and not is_vendor_list("usr/share/doc/_vendor/vendor.txt")
    found = read_vendor_list(b"# pinned\nurllib3==2.8.0\nCacheControl==0.14.4  # cache\n\n", path)
    assert [(p.name, p.version, p.purl) for p in found] == [
        ("urllib3", "2.8.0", "pkg:pypi/urllib3@2.8.0"),
        ("CacheControl", "0.14.4", "pkg:pypi/cachecontrol@0.14.4")]


@pytest.mark.parametrize("line", [b"urllib3>=2", b"urllib3", b"urllib3==2.8.0,==2.9", b"@@@"])
def test_a_vendor_list_line_that_is_not_one_pin_is_refused(line: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_vendor_list(b"idna==3.20\n" + line + b"\n", "site-packages/pip/_vendor/vendor.txt")
    assert (caught.value.code, caught.value.location) == ("packagedb_vendor_not_pinned", "line 2")
