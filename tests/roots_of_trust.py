"""Real roots of trust for the tests: a software TPM 2.0 (swtpm) and a SoftHSM2 token.
Loaded as a plugin by tests/conftest.py so that trust and CLI tests share them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11
import pytest

START_TIMEOUT = 10.0


class SwtpmUnavailableError(RuntimeError):
    """swtpm is missing or did not start: the tests that need it error out, loudly."""


def _free_port_pair() -> int:
    """A port P with P+1 free too: the swtpm TCTI finds the control port at P+1."""
    for _ in range(50):
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = int(first.getsockname()[1])
            try:
                second.bind(("127.0.0.1", port + 1))
            except (OSError, OverflowError):
                continue
            return port
    raise SwtpmUnavailableError("no two consecutive free TCP ports on 127.0.0.1 for swtpm")


@contextmanager
def running_swtpm() -> Iterator[str]:
    """Start ``swtpm socket`` in a fresh state directory; yield its TCTI string.
    Also used by bench/bench_tpm_quote.py, which needs no pytest for it."""
    binary = shutil.which("swtpm")
    if binary is None:
        raise SwtpmUnavailableError("swtpm not found: run scripts/test.sh, which installs "
                                    "Debian's swtpm and tpm2-tools packages")
    state = Path(tempfile.mkdtemp(prefix="cpstrust-swtpm-"))
    port = _free_port_pair()
    log = state / "swtpm.log"
    process = subprocess.Popen(
        [binary, "socket", "--tpm2", "--tpmstate", f"dir={state}",
         "--server", f"type=tcp,port={port},bindaddr=127.0.0.1",
         "--ctrl", f"type=tcp,port={port + 1},bindaddr=127.0.0.1",
         "--flags", "not-need-init,startup-clear", "--log", f"file={log}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(process, port, log)
        yield f"swtpm:host=127.0.0.1,port={port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(state, ignore_errors=True)


def _wait_until_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise SwtpmUnavailableError(f"swtpm exited with code {process.returncode}: {text}")
        try:
            # swtpm serves one client at a time: close the probe before handing over.
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise SwtpmUnavailableError(f"swtpm did not listen on port {port} within {START_TIMEOUT:.0f} s")


@pytest.fixture(scope="session")
def swtpm_tcti() -> Iterator[str]:
    """The TCTI of a software TPM shared by the session (no resource manager: every
    test must flush what it loads)."""
    with running_swtpm() as tcti:
        yield tcti


@pytest.fixture
def start_swtpm() -> Callable[[], AbstractContextManager[str]]:
    """Starts further TPMs, e.g. to show a key blob is useless on another TPM."""
    return running_swtpm


LABEL = "cpstrust-test"
INSTALL_HINT = "run scripts/test.sh, which installs Debian's softhsm2 package"
PIN = "4321-user"
SO_PIN = "8765-officer"


@dataclass(frozen=True)
class SoftToken:
    module: str
    label: str
    pin: str = PIN

    @property
    def options(self) -> dict[str, str]:
        return {"module": self.module, "token": self.label}


def _softhsm_module() -> str:
    candidates = [Path("/usr/lib/softhsm/libsofthsm2.so")]
    listing = subprocess.run(["dpkg", "-L", "softhsm2", "libsofthsm2"], capture_output=True,
                             text=True, check=False).stdout
    candidates += [Path(line) for line in listing.splitlines() if line.endswith("libsofthsm2.so")]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    pytest.fail(f"libsofthsm2.so not found: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SoftToken]:
    """A fresh SoftHSM2 token in a temporary directory, visible only to this process.

    Session-wide: the PKCS#11 library is loaded once per process and finds its tokens
    when it initialises, so every test shares this token (keys get unique labels)."""
    util = shutil.which("softhsm2-util")
    if util is None:
        pytest.fail(f"softhsm2-util not found: {INSTALL_HINT}")
    module = _softhsm_module()
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\n"
                    "objectstore.backend = file\nlog.level = ERROR\n", "utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        subprocess.run([util, "--init-token", "--free", "--label", LABEL, "--pin", PIN,
                        "--so-pin", SO_PIN], check=True, capture_output=True)
        # SoftHSM2 reads its configuration and finds its tokens in C_Initialize.
        pkcs11.lib(os.path.realpath(module)).reinitialize()
        yield SoftToken(module, LABEL)
