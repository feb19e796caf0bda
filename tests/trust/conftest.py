"""A real software TPM 2.0 (swtpm) for the TPM tests, started per session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

START_TIMEOUT = 10.0


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
    pytest.fail("no two consecutive free TCP ports on 127.0.0.1 for swtpm")


@contextmanager
def running_swtpm() -> Iterator[str]:
    """Start ``swtpm socket`` in a fresh state directory; yield its TCTI string."""
    binary = shutil.which("swtpm")
    if binary is None:
        pytest.fail("swtpm not found: run scripts/test.sh, which installs Debian's swtpm "
                    "and tpm2-tools packages")
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
            pytest.fail(f"swtpm exited with code {process.returncode}: {text}")
        try:
            # swtpm serves one client at a time: close the probe before handing over.
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    pytest.fail(f"swtpm did not listen on port {port} within {START_TIMEOUT:.0f} s")


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
