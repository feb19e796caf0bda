"""A vendor installation shared by the trust, release and update command tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import Home, ok

from databases import closed_sqlite_file

PASSPHRASE = "correct horse battery"


@pytest.fixture
def vendor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A vendor installation with a root key, a release key scoped to one product, and a
    firmware file; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "vendor"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CPSTRUST_KEY_PASSPHRASE", PASSPHRASE)
    ok("keys", "create", "root")
    ok("keys", "create", "release", "--algorithm", "ecdsa-p256")
    Path("root.pem").write_text(ok("keys", "export-public", "root"))
    Path("release.pem").write_text(ok("keys", "export-public", "release"))
    ok("trust", "add-key", "root.pem", "--role", "root")
    ok("trust", "add-key", "release.pem", "--role", "release-signer", "--scope", "plc-4000")
    Path("fw.bin").write_bytes(b"\x7fELF firmware 2.1.0")
    yield tmp_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """Switch to the installation ``name`` (its own CPSTRUST_HOME and store)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("CPSTRUST_KEY_PASSPHRASE", PASSPHRASE)

    def switch(name: str) -> Path:
        monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / name))
        return tmp_path / name

    return switch


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home holding the bundled demo, loaded once by `cpstrust demo` (~3 s of CPU) and
    copied for each test that reads it."""
    base = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)
        patch.setenv("CPSTRUST_HOME", str(base / "home"))
        patch.delenv("CPSTRUST_DATABASE_URL", raising=False)
        ok("demo", "--format", "json")
    assert [p.name for p in (base / "home").iterdir()] == ["cpstrust.db"]
    closed_sqlite_file(base / "home" / "cpstrust.db")
    return base / "home"


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_home: Path) -> Path:
    """A fresh home holding the bundled demo (a copy of ``demo_home``), the working
    directory."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(demo_home, tmp_path / "home")
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path
