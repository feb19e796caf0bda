"""Secure update check: fetch an update from a server that may be compromised, and
accept it only if it is signed by a key in scope, unrevoked, not a rollback, and every
artifact is the signed one."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from cpstrust.app.services import Services
from cpstrust.errors import InputError
from cpstrust.formats.dsse import DEFAULT_ENVELOPE_LIMITS, read_envelope
from cpstrust.formats.files import sha256_file
from cpstrust.model.trust import Refused
from cpstrust.remote.http import check_url_scheme, default_opener, download, fetch_bounded
from cpstrust.store.trust import current_trust_store
from cpstrust.trust.update import AcceptedUpdate, check_update


@dataclass(frozen=True, slots=True)
class UpdateRequest:
    server: str  # base URL: the release is at BASE/PRODUCT/release.json, artifacts beside it
    product: str
    installed: str
    download_to: Path | None = None  # None: a new temporary directory
    allow_insecure_http: bool = False
    max_artifact_bytes: int = 4 << 30


@dataclass(frozen=True, slots=True)
class CheckedUpdate:
    accepted: AcceptedUpdate
    directory: Path  # where the verified artifacts are
    artifacts: tuple[str, ...]


def check(services: Services, request: UpdateRequest, at: datetime) -> CheckedUpdate | Refused:
    """First the signature and the version, so nothing is downloaded from an impostor;
    then each artifact against its signed digest. A refused update leaves no artifact
    behind to be installed."""
    base = request.server.rstrip("/") + "/" + urllib.parse.quote(request.product) + "/"
    check_url_scheme(base, allow_insecure_http=request.allow_insecure_http)
    opener = default_opener(allow_insecure_http=request.allow_insecure_http)
    envelope_url = base + "release.json"
    envelope = read_envelope(fetch_bounded(opener, envelope_url,
                                           DEFAULT_ENVELOPE_LIMITS.max_bytes), envelope_url)
    with services.store.transaction() as session:
        store = current_trust_store(session)
    outcome = check_update(envelope, store, product=request.product,
                           installed=request.installed, at=at, source=envelope_url)
    if isinstance(outcome, Refused):
        return outcome
    made = request.download_to is None
    target = request.download_to or Path(tempfile.mkdtemp(prefix="cpstrust-update-"))
    kept = _Downloads(target, made)
    try:
        for subject in outcome.release.statement.subjects:
            path = kept.place(subject.name, base)
            download(opener, base + urllib.parse.quote(subject.name), path,
                     request.max_artifact_bytes)
        digests = {name: sha256_file(path) for name, path in kept.files.items()}
        outcome = check_update(envelope, store, product=request.product,
                               installed=request.installed, at=at, artifacts=digests,
                               source=envelope_url)
    except BaseException:
        kept.remove()  # nothing unchecked may stay to be installed
        raise
    if isinstance(outcome, Refused):
        kept.remove()
        return outcome
    return CheckedUpdate(outcome, target, tuple(sorted(digests)))


class _Downloads:
    """The artifacts of one check and the directories made for them, so that a refused
    or failed check can take them all away (and the temporary directory it made)."""

    def __init__(self, target: Path, made: bool) -> None:
        self.target = target
        self.made = made or not target.exists()
        target.mkdir(parents=True, exist_ok=True)
        self.files: dict[str, Path] = {}
        self.directories: list[Path] = []

    def place(self, name: str, base: str) -> Path:
        """Where to keep an artifact; subject names may not climb out of the target."""
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise InputError("app_unsafe_artifact_name", name=name, source=base)
        path = self.target.joinpath(*relative.parts)
        for parent in reversed(path.relative_to(self.target).parents[:-1]):
            directory = self.target / parent
            if not directory.exists():
                directory.mkdir()
                self.directories.append(directory)
        self.files[name] = path
        return path

    def remove(self) -> None:
        if self.made:
            shutil.rmtree(self.target, ignore_errors=True)
            return
        for path in self.files.values():
            path.unlink(missing_ok=True)
        for directory in reversed(self.directories):
            with contextlib.suppress(OSError):  # not empty: someone else's files
                directory.rmdir()
