"""Fetch OSV per-ecosystem exports into a local cache: every ecosystem, or none.

OSV publishes ``{base_url}/{ecosystem}/all.zip``. A run sends conditional requests (ETag and
Last-Modified are remembered in a small JSON state file beside the zips), streams each
download into a temp file in the cache directory under a size limit, checks that it is a
sound zip, and only when every ecosystem has succeeded moves the new zips over the old ones
with ``os.replace`` and then rewrites the state file, itself atomically.
"""

from __future__ import annotations

import http.client
import json
import logging
import lzma
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal

from cpstrust.limits import DEFAULT_LIMITS, ReadLimits
from cpstrust.messages import Message, message
from cpstrust.remote.http import USER_AGENT, FetchError, check_url_scheme, default_opener

log = logging.getLogger(__name__)

OSV_EXPORT_BASE_URL = "https://osv-vulnerabilities.storage.googleapis.com"
STATE_FILE_NAME = "osv-exports.json"
_STATE_VERSION = 1
_CHUNK = 256 * 1024
# What zipfile may raise on a damaged or hostile archive.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError,
               OSError, RuntimeError, NotImplementedError, ValueError)

Progress = Callable[[str, int, int | None], None]
FetchStatus = Literal["updated", "unchanged"]


@dataclass(frozen=True, slots=True)
class ExportFile:
    """The cached export of one ecosystem after a fetch."""

    ecosystem: str
    url: str
    status: FetchStatus
    path: Path
    size: int
    etag: str | None
    last_modified: str | None
    fetched_at: str  # UTC ISO 8601 time this copy was downloaded (an earlier run if unchanged)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One entry per requested ecosystem, in the order asked for."""

    exports: tuple[ExportFile, ...]

    @property
    def updated(self) -> tuple[str, ...]:
        """Ecosystems whose zip was downloaded anew in this run."""
        return tuple(e.ecosystem for e in self.exports if e.status == "updated")


@dataclass(frozen=True, slots=True)
class _Copy:
    """What the state file records about the zip we hold for one ecosystem."""

    etag: str | None
    last_modified: str | None
    size: int
    fetched_at: str


@dataclass(frozen=True, slots=True)
class _Staged:
    ecosystem: str
    url: str
    temp: Path
    copy: _Copy


@dataclass(frozen=True, slots=True)
class _Unchanged:
    ecosystem: str
    url: str
    copy: _Copy


_Outcome = _Staged | _Unchanged


def fetch_exports(
    base_url: str, ecosystems: Sequence[str], cache_dir: Path, *, timeout: float = 60,
    max_bytes: int = 2 * 1024**3, progress: Progress | None = None,
    opener: urllib.request.OpenerDirector | None = None, allow_insecure_http: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> FetchResult:
    """Bring the cached ``all.zip`` of each ecosystem up to date, all or nothing.

    ``timeout`` bounds each network wait (connect, each read), not the whole download.
    ``opener`` replaces the default one, which verifies TLS certificates and follows
    redirects only to HTTPS. Plain ``http://`` is refused unless ``allow_insecure_http``.
    Raises FetchError naming the URL; the cache and state are then exactly as before.
    """
    check_url_scheme(base_url, allow_insecure_http=allow_insecure_http)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError("osv_cache_create_failed", detail=str(exc),
                         source=str(cache_dir)) from exc
    state = _load_state(cache_dir / STATE_FILE_NAME)
    fetcher = _Fetcher(opener or default_opener(allow_insecure_http=allow_insecure_http),
                       cache_dir, timeout, max_bytes, limits, progress or _no_progress)
    outcomes: list[_Outcome] = []
    try:
        for name in dict.fromkeys(ecosystems):  # drop repeats, keep order
            held = _held_copy(cache_dir, name, state)
            outcomes.append(fetcher.fetch(name, export_url(base_url, name), held))
        _swap_in(cache_dir, outcomes)
    except BaseException:
        for staged in (o for o in outcomes if isinstance(o, _Staged)):
            staged.temp.unlink(missing_ok=True)  # a no-op for any already swapped in
        raise
    # Zips first, state last: a crash in between only costs a re-download next time,
    # whereas the reverse order could mark a stale zip as current.
    if any(isinstance(o, _Staged) for o in outcomes):
        _write_state(cache_dir / STATE_FILE_NAME, state | {o.ecosystem: o.copy for o in outcomes})
    return FetchResult(tuple(_export_file(cache_dir, o) for o in outcomes))


def export_url(base_url: str, ecosystem: str) -> str:
    """``{base_url}/{ecosystem}/all.zip`` with the ecosystem name URL-quoted."""
    return f"{base_url.rstrip('/')}/{_slug(ecosystem)}/all.zip"


def export_path(cache_dir: Path, ecosystem: str) -> Path:
    """Where the current zip of ``ecosystem`` is kept in ``cache_dir``."""
    return cache_dir / f"{_slug(ecosystem)}.zip"


@dataclass(frozen=True, slots=True)
class _Fetcher:
    opener: urllib.request.OpenerDirector
    cache_dir: Path
    timeout: float
    max_bytes: int
    limits: ReadLimits
    progress: Progress

    def fetch(self, ecosystem: str, url: str, held: _Copy | None) -> _Outcome:
        """Stage a new copy in a temp file, or report that the held copy is current."""
        try:
            with self.opener.open(_request(url, held), timeout=self.timeout) as response:
                return self._stage(ecosystem, url, response)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304 and held is not None:
                log.info("%s: unchanged since %s", ecosystem, held.fetched_at)
                return _Unchanged(ecosystem, url, held)
            raise FetchError("osv_export_http_status", status=exc.code, reason=exc.reason,
                             source=url) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError("osv_export_download_failed", detail=_describe(exc),
                             source=url) from exc

    def _stage(self, ecosystem: str, url: str, response: http.client.HTTPResponse) -> _Staged:
        if response.status != 200:  # e.g. 206 would leave us with part of a zip
            raise FetchError("osv_export_unexpected_status", status=response.status, source=url)
        total = _content_length(response)
        if total is not None and total > self.max_bytes:
            raise self._too_big(url, message("osv_export_content_length", total=total))
        fd, name = tempfile.mkstemp(dir=self.cache_dir, prefix=f".{_slug(ecosystem)}.",
                                    suffix=".part")
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                size = self._copy_body(ecosystem, url, response, out, total)
                os.fsync(out.fileno())  # the bytes must be on disk before os.replace
            _check_zip(temp, url, self.limits)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        log.info("%s: downloaded %d bytes", ecosystem, size)
        return _Staged(ecosystem, url, temp, _Copy(
            response.headers.get("ETag"), response.headers.get("Last-Modified"), size, _now()))

    def _copy_body(self, ecosystem: str, url: str, response: http.client.HTTPResponse,
                   out: BinaryIO, total: int | None) -> int:
        size = 0
        self.progress(ecosystem, size, total)
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:  # a missing or lying Content-Length must not fill the disk
                raise self._too_big(url, message("osv_export_body_passed", limit=self.max_bytes))
            out.write(chunk)
            self.progress(ecosystem, size, total)
        # http.client returns a short body without complaint when the peer hangs up early.
        if total is not None and size != total:
            raise FetchError("osv_export_truncated", size=size, total=total, source=url)
        return size

    def _too_big(self, url: str, detail: Message) -> FetchError:
        return FetchError("osv_export_too_large", limit=self.max_bytes, detail=detail, source=url)


def _request(url: str, held: _Copy | None) -> urllib.request.Request:
    headers = {"User-Agent": USER_AGENT}
    if held is not None:  # only when the zip is there: a 304 must leave us with a file
        conditions = {"If-None-Match": held.etag, "If-Modified-Since": held.last_modified}
        headers |= {k: v for k, v in conditions.items() if v is not None}
    return urllib.request.Request(url, headers=headers)


def _check_zip(path: Path, url: str, limits: ReadLimits) -> None:
    """Refuse a download that is not a sound zip before it can replace a good one."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            # Declared sizes bound the work testzip() does; check them before decompressing.
            unpacked = sum(m.file_size for m in members)
            if len(members) > limits.max_archive_members:
                raise FetchError("osv_export_too_many_members", count=len(members),
                                 limit=limits.max_archive_members, source=url)
            if unpacked > limits.max_archive_ratio * max(path.stat().st_size, 1):
                raise FetchError("osv_export_zip_bomb", size=unpacked,
                                 ratio=limits.max_archive_ratio, source=url)
            corrupt = archive.testzip()
    except _ZIP_ERRORS as exc:
        raise FetchError("osv_export_not_zip", detail=str(exc), source=url) from exc
    if corrupt is not None:
        raise FetchError("osv_export_corrupt_member", member=corrupt, source=url)


def _swap_in(cache_dir: Path, outcomes: Sequence[_Outcome]) -> None:
    swapped: list[str] = []
    for outcome in outcomes:
        if isinstance(outcome, _Staged):
            target = export_path(cache_dir, outcome.ecosystem)
            try:
                outcome.temp.replace(target)
            except OSError as exc:
                # Rare (permissions, a zip held open on Windows). The state file still
                # describes the old zips, so any already swapped are re-downloaded next run.
                replaced = ", ".join(swapped) or message("osv_export_none_replaced")
                raise FetchError("osv_export_replace_failed", detail=str(exc), replaced=replaced,
                                 source=str(target)) from exc
            swapped.append(outcome.ecosystem)


def _held_copy(cache_dir: Path, ecosystem: str, state: dict[str, _Copy]) -> _Copy | None:
    """The state entry, if the zip it describes is still there (else fetch unconditionally)."""
    copy = state.get(ecosystem)
    try:
        size = export_path(cache_dir, ecosystem).stat().st_size
    except OSError:
        return None
    return copy if copy is not None and copy.size == size else None


def _export_file(cache_dir: Path, outcome: _Outcome) -> ExportFile:
    status: FetchStatus = "updated" if isinstance(outcome, _Staged) else "unchanged"
    c = outcome.copy
    return ExportFile(outcome.ecosystem, outcome.url, status,
                      export_path(cache_dir, outcome.ecosystem), c.size, c.etag,
                      c.last_modified, c.fetched_at)


def _load_state(path: Path) -> dict[str, _Copy]:
    """Read the state file; an unreadable one only means every export is downloaded again."""
    try:
        entries = json.loads(path.read_bytes())["ecosystems"]
        return {str(name): _Copy(_header_value(e.get("etag")),
                                 _header_value(e.get("last_modified")), int(e["size"]),
                                 str(e["fetched_at"])) for name, e in entries.items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("ignoring unreadable fetch state %s (%s)", path, exc)
        return {}


def _write_state(path: Path, entries: dict[str, _Copy]) -> None:
    document = {"version": _STATE_VERSION,
                "ecosystems": {name: asdict(c) for name, c in sorted(entries.items())}}
    try:
        _replace_atomically(path, json.dumps(document, indent=2).encode("utf-8"))
    except OSError as exc:
        raise FetchError("osv_export_state_write_failed", detail=str(exc),
                         source=str(path)) from exc


def _replace_atomically(path: Path, data: bytes) -> None:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            os.fsync(out.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _header_value(value: object) -> str | None:
    # A hand-edited state file must not smuggle line breaks into request headers.
    return value if isinstance(value, str) and value.isprintable() else None


def _content_length(response: http.client.HTTPResponse) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _slug(ecosystem: str) -> str:
    """The ecosystem name quoted for a URL path segment and a file name."""
    slug = urllib.parse.quote(ecosystem, safe="")
    if slug in ("", ".", "..") or not ecosystem.isprintable():
        raise FetchError("osv_export_invalid_ecosystem", ecosystem=ecosystem)
    return slug


def _describe(exc: BaseException) -> Message | str:
    """Why a download failed: a timeout in our words, anything else in its own."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return message("osv_export_timed_out")
    return str(reason) or type(reason).__name__


def _no_progress(ecosystem: str, size: int, total: int | None) -> None:
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
