"""Lockfiles to the packages they pin: pip requirements, poetry.lock, uv.lock, go.sum;
and what a lockfile may not say (unpinned, includes, one package twice, bad TOML)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable

import pytest

from cpstrust.errors import InputError
from cpstrust.formats.locks import (
    lock_reader,
    read_go_sum,
    read_poetry_lock,
    read_requirements,
    read_uv_lock,
)
from cpstrust.formats.npm_lock import read_package_lock
from cpstrust.model.inventory import Artifact
from cpstrust.model.sbom import Hash

REQUIREMENTS = b"""\
# pinned with hashes, as pip-compile and scripts/lock.sh write them
--index-url https://pypi.org/simple
Jinja2==2.10 \\
    --hash=sha256:74c935a1b8bb9a3947c50a54766a969d4846290e1e788ea44c1392163723c3bd
urllib3==1.24.1 ; python_version >= "3.8"  # a marker
"""

POETRY = b"""
[[package]]
name = "jinja2"
version = "2.10"

[package.dependencies]
MarkupSafe = ">=0.23"

[[package]]
name = "MarkupSafe"
version = "1.1.1"
"""

UV = b"""
version = 1
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "requests" }]

[[package]]
name = "requests"
version = "2.31.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]

[[package]]
name = "idna"
version = "3.6"
source = { registry = "https://pypi.org/simple" }
"""

GO_SUM = b"""\
golang.org/x/mod v0.14.0 h1:dGoOF9QVLYng8IHTm7BAyWqCqSheQ5pYWGhzW00YJr0=
golang.org/x/mod v0.14.0/go.mod h1:hTbmBsO62+eylJbnUtE2MGJUyE7QWk4xUqPFrRgJ+7c=
github.com/google/uuid v1.6.0 h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=
"""


def test_requirements_with_hashes_markers_and_options() -> None:
    found = read_requirements(REQUIREMENTS, "requirements.txt")
    assert [(p.name, p.version, p.purl) for p in found] == [
        ("Jinja2", "2.10", "pkg:pypi/jinja2@2.10"),
        ("urllib3", "1.24.1", "pkg:pypi/urllib3@1.24.1")]


@pytest.mark.parametrize(("text", "code", "line"), [
    (b"jinja2>=2.10\n", "lock_not_pinned", "line 1"),
    (b"idna==3.6\njinja2\n", "lock_not_pinned", "line 2"),
    (b"-r base.txt\n", "lock_includes_another", "line 1"),
    (b"idna==3.6\nIDNA==3.7\n", "packagedb_package_twice", "line 2"),
])
def test_requirements_a_lockfile_may_not_hold(text: bytes, code: str, line: str) -> None:
    with pytest.raises(InputError) as caught:
        read_requirements(text, "requirements.txt")
    assert (caught.value.code, caught.value.location) == (code, line)
    assert caught.value.source == "requirements.txt"


def test_poetry_and_uv_locks_with_their_dependencies() -> None:
    poetry = read_poetry_lock(POETRY, "poetry.lock")
    assert [(p.purl, p.requires) for p in poetry] == [
        ("pkg:pypi/jinja2@2.10", (("MarkupSafe",),)), ("pkg:pypi/markupsafe@1.1.1", ())]
    uv = read_uv_lock(UV, "uv.lock")  # the editable project itself is no package
    assert [(p.purl, p.requires) for p in uv] == [
        ("pkg:pypi/requests@2.31.0", (("idna",),)), ("pkg:pypi/idna@3.6", ())]


def test_go_sum_modules_once_each() -> None:
    assert [p.purl for p in read_go_sum(GO_SUM, "go.sum")] == [
        "pkg:golang/golang.org/x/mod@v0.14.0", "pkg:golang/github.com/google/uuid@v1.6.0"]
    with pytest.raises(InputError) as caught:
        read_go_sum(b"golang.org/x/mod v0.14.0\n", "go.sum")
    assert (caught.value.code, caught.value.location) == ("lock_bad_go_sum_line", "line 1")


def test_bad_toml_and_entries_without_a_version_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_poetry_lock(b"[[package]\nname=", "poetry.lock")
    assert caught.value.code == "lock_not_toml" and "line 1" in str(caught.value)
    with pytest.raises(InputError) as caught:
        read_uv_lock(b'[[package]]\nname = "idna"\n', "uv.lock")
    assert (caught.value.code, caught.value.location) == ("packagedb_entry_without",
                                                          "package 1")


def test_lockfiles_are_known_by_name() -> None:
    assert lock_reader("poetry.lock") is read_poetry_lock
    assert lock_reader("requirements-dev.txt") is read_requirements
    assert lock_reader("rootfs.tar") is None


SHA_A, SHA_B = "a" * 64, "b" * 64


def test_a_requirement_with_one_hash_carries_it_and_with_several_each_artifact() -> None:
    one, several = read_requirements(
        f"idna==3.6 --hash=sha256:{SHA_A.upper()}\n"
        f"six==1.16.0 \\\n  --hash=sha256:{SHA_A} \\\n  --hash=sha256:{SHA_B}\n".encode(),
        "requirements.txt")
    assert one.hashes == (Hash("SHA-256", SHA_A),) and one.artifacts == ()
    assert several.hashes == ()
    assert several.artifacts == (Artifact(None, (Hash("SHA-256", SHA_A),)),
                                 Artifact(None, (Hash("SHA-256", SHA_B),)))


def test_poetry_files_and_uv_wheels_are_the_artifacts_with_their_names() -> None:
    poetry = read_poetry_lock(POETRY.replace(b'version = "1.1.1"\n', (
        b'version = "1.1.1"\nfiles = [\n'
        b'  {file = "MarkupSafe-1.1.1.tar.gz", hash = "sha256:' + SHA_A.encode() + b'"},\n'
        b'  {file = "MarkupSafe-1.1.1-py3-none-any.whl", hash = "sha256:'
        + SHA_B.encode() + b'"},\n]\n')), "poetry.lock")
    assert poetry[1].artifacts == (
        Artifact("MarkupSafe-1.1.1.tar.gz", (Hash("SHA-256", SHA_A),), source=True),
        Artifact("MarkupSafe-1.1.1-py3-none-any.whl", (Hash("SHA-256", SHA_B),)))
    uv = read_uv_lock(UV + (
        b'wheels = [{ url = "https://files/idna-3.6-py3-none-any.whl", hash = "sha256:'
        + SHA_B.encode() + b'", size = 61567 }]\n'), "uv.lock")
    assert uv[1].hashes == (Hash("SHA-256", SHA_B),)  # the only file: the package's


def test_npm_integrity_is_the_tarballs_sha512_in_hex() -> None:
    digest = hashlib.sha512(b"tarball").digest()
    lock = {"lockfileVersion": 3, "packages": {"": {}, "node_modules/a": {
        "version": "1.0.0", "integrity": "sha512-" + base64.b64encode(digest).decode()}}}
    (package,) = read_package_lock(json.dumps(lock).encode(), "package-lock.json")
    assert package.hashes == (Hash("SHA-512", digest.hex()),)


def test_go_sum_h1_is_a_property_not_a_file_hash() -> None:
    mod, _ = read_go_sum(GO_SUM, "go.sum")
    assert mod.hashes == ()
    assert mod.properties == (("cpstrust:golang:h1",
                               "h1:dGoOF9QVLYng8IHTm7BAyWqCqSheQ5pYWGhzW00YJr0="),)


@pytest.mark.parametrize(("reader", "text", "location"), [
    (read_requirements, b"idna==3.6 --hash=sha256:abc\n", "line 1"),
    (read_requirements, b"idna==3.6 --hash=crc32:" + b"a" * 8 + b"\n", "line 1"),
    (read_poetry_lock, b'[[package]]\nname = "a"\nversion = "1"\nfiles = [{file = "a"}]\n',
     "package 1"),
    (read_uv_lock, b'[[package]]\nname = "a"\nversion = "1"\nsdist = { url = "u", hash = '
                   b'"sha256:zz" }\n', "package 1"),
    (read_package_lock, b'{"packages": {"node_modules/a": {"version": "1", '
                        b'"integrity": "sha512-bm90IGEgZGlnZXN0"}}}',
     "/packages/node_modules/a/integrity"),
])
def test_a_hash_that_does_not_parse_is_refused_with_its_place(
        reader: Callable[[bytes, str], object], text: bytes, location: str) -> None:
    with pytest.raises(InputError) as caught:
        reader(text, "lock")
    assert (caught.value.code, caught.value.location) == ("lock_bad_hash", location)
