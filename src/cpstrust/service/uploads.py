"""Request bodies streamed to a temporary file, counted as they come: a body announced
larger than the limit is refused before a byte of it is read, and one that grows past
it (chunked, or lying about its length) is refused at the chunk that crosses it. The
body is never held whole in memory."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import IO, Annotated, Any

from fastapi import Query
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from cpstrust.errors import InputError, LimitExceededError

# What an SBOM upload's route takes: where to store it, and the body (OpenAPI).
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"  # a name a client gives: no control characters
ProductName = Annotated[str, Query(min_length=1, max_length=255, pattern=PRINTABLE)]
VersionName = Annotated[str, Query(min_length=1, max_length=255, pattern=PRINTABLE)]
SBOM_REQUEST_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"type": "object"}},
    "application/xml": {"schema": {"type": "string"}},
    "text/plain": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}}}}}}}

MULTIPART_OVERHEAD = 64 * 1024  # boundaries and part headers around the one file
CHUNK = 1024 * 1024


def check_announced_length(request: Request, limit: int) -> None:
    """Refuse a Content-Length over ``limit`` (or not a number) before reading."""
    announced = request.headers.get("content-length")
    if announced is None:
        return
    if not announced.isdigit():
        raise InputError("service_content_length_invalid", source="request")
    if int(announced) > limit:
        raise LimitExceededError("service_body_too_large", size=int(announced), limit=limit,
                                 source="request")


def counted(receive: Callable[[], Awaitable[Message]],
            limit: int) -> Callable[[], Awaitable[Message]]:
    """``receive`` that raises LimitExceededError once the body passes ``limit``."""
    seen = 0

    async def receive_counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise LimitExceededError("service_body_too_large", size=seen, limit=limit,
                                         source="request")
        return message

    return receive_counted


async def raw_body_to_file(request: Request, limit: int, directory: Path,
                           suffix: str = "") -> Path:
    """The body, counted, in a new file in ``directory`` (its name ending in ``suffix``)."""
    check_announced_length(request, limit)
    limited = Request(request.scope, counted(request.receive, limit))
    return await _write(limited.stream(), directory, suffix)


async def multipart_file_to_file(request: Request, limit: int, directory: Path,
                                 field: str) -> tuple[Path, str | None]:
    """The one file of a multipart body (form field ``field``), counted, in a new file,
    with the name the client gave it."""
    check_announced_length(request, limit + MULTIPART_OVERHEAD)
    limited = Request(request.scope, counted(request.receive, limit + MULTIPART_OVERHEAD))
    async with limited.form(max_files=1, max_fields=4) as form:
        part = form.get(field)
        if not isinstance(part, UploadFile):
            raise InputError("service_multipart_needs_file", field=field, source="request")
        return await _write(_chunks(part), directory), part.filename


async def multipart_files_to_files(request: Request, limit: int, directory: Path,
                                   required: str, optional: str
                                   ) -> dict[str, tuple[Path, str | None]]:
    """The files of a multipart body (field ``required``, and ``optional`` when sent),
    counted together against ``limit``, each in a new file with the client's name."""
    check_announced_length(request, limit + MULTIPART_OVERHEAD)
    limited = Request(request.scope, counted(request.receive, limit + MULTIPART_OVERHEAD))
    written: dict[str, tuple[Path, str | None]] = {}
    try:
        async with limited.form(max_files=2, max_fields=4) as form:
            for field in (required, optional):
                part = form.get(field)
                if isinstance(part, UploadFile):
                    written[field] = (await _write(_chunks(part), directory), part.filename)
                elif field == required or part is not None:
                    raise InputError("service_multipart_needs_file", field=field,
                                     source="request")
    except BaseException:
        for path, _name in written.values():
            path.unlink(missing_ok=True)
        raise
    return written


async def sbom_body_to_file(request: Request, limit: int,
                            directory: Path | None) -> tuple[Path, str | None]:
    """An SBOM upload's body in a temporary file (in ``directory``, or the system's),
    raw or as the multipart field ``file``; and the file name the client gave, if any."""
    where = temporary_directory(directory)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        return await multipart_file_to_file(request, limit, where, "file")
    return await raw_body_to_file(request, limit, where), None


def temporary_directory(configured: Path | None) -> Path:
    """Where uploads are spooled: the configured directory, or the system's."""
    return configured or Path(tempfile.gettempdir())


def source_name(given: str | None, product: str, version: str) -> str:
    """What a stored document is called: the client's file name, without any path."""
    return client_file_name(given) or f"{product}-{version}"


def client_file_name(given: str | None) -> str:
    """The name a client gave a file, without any path or control character ("" when
    none is left): it is stored, logged and shown, and PostgreSQL keeps no NUL."""
    printable = "".join(c for c in (given or "") if c.isprintable())
    return Path(printable.replace("\\", "/")).name[:255]


async def _chunks(part: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await part.read(CHUNK):
        yield chunk


async def _write(chunks: AsyncIterator[bytes], directory: Path, suffix: str = "") -> Path:
    handle: IO[bytes]
    with tempfile.NamedTemporaryFile(dir=directory, prefix="upload-", suffix=suffix,
                                     delete=False) as handle:
        path = Path(handle.name)
        try:
            async for chunk in chunks:
                handle.write(chunk)
        except BaseException:
            handle.close()
            path.unlink(missing_ok=True)
            raise
    if path.stat().st_size == 0:
        path.unlink()
        raise InputError("service_body_empty", source="request")
    return path


async def multipart_form_to_file(request: Request, limit: int, directory: Path | None,
                                 field: str, texts: tuple[str, ...],
                                 ) -> tuple[Path, str | None, dict[str, str]]:
    """The one file of a multipart body (form field ``field``), counted, in a new file
    (in ``directory``, or the system's), with the name the client gave it, and the
    form's text fields ``texts`` (each once, as a browser's form sends them beside the
    file)."""
    check_announced_length(request, limit + MULTIPART_OVERHEAD)
    limited = Request(request.scope, counted(request.receive, limit + MULTIPART_OVERHEAD))
    async with limited.form(max_files=1, max_fields=len(texts)) as form:
        values = {name: form.getlist(name) for name in texts}
        if any(len(v) != 1 or not isinstance(v[0], str) for v in values.values()):
            raise InputError("websession_form_invalid", fields=", ".join(texts), source="request")
        part = form.get(field)
        if not isinstance(part, UploadFile):
            raise InputError("service_multipart_needs_file", field=field, source="request")
        written = await _write(_chunks(part), temporary_directory(directory))
    return written, part.filename, {name: str(v[0]) for name, v in values.items()}
