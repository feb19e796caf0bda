"""A vendor installation shared by the trust, release and update command tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import Home, ok

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


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home holding the bundled demo (`cpstrust demo`), the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPSTRUST_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CPSTRUST_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    ok("demo", "--format", "json")
    return tmp_path
