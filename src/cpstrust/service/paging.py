"""Cursors and entity tags of the API's listings.

A cursor is opaque to clients: base64url of ``[sort, value, id]``, the sort it was
made under and the last row's sort value and id. One made under another sort, or not
made by us, is refused rather than guessed at. An entity tag is a digest of the body
sent, so a GET answers 304 to ``If-None-Match`` exactly when the body would be the same.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from cpstrust.errors import InputError
from cpstrust.model.pages import MAX_PAGE, Page, PageRequest

MAX_CURSOR = 1024  # characters: a product name is at most 255


def page_request(sort: str, cursor: str | None, limit: int, value_type: type) -> PageRequest:
    """The page asked for: ``sort`` is a field, descending when it starts with ``-``."""
    if not 1 <= limit <= MAX_PAGE:
        raise InputError("service_limit_out_of_range", limit=limit, maximum=MAX_PAGE,
                         source="query", location="limit")
    descending = sort.startswith("-")
    if cursor is None:
        return PageRequest(limit=limit, descending=descending)
    return PageRequest(limit=limit, after=_decode(cursor, sort, value_type),
                       descending=descending)


def _decode(cursor: str, sort: str, value_type: type) -> tuple[object, int]:
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError
        made_under, value, last_id = orjson.loads(base64.urlsafe_b64decode(cursor + "=="))
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise InputError("service_cursor_invalid", source="query", location="cursor") from None
    if made_under != sort or type(value) is not value_type or type(last_id) is not int:
        raise InputError("service_cursor_invalid", source="query", location="cursor")
    return value, last_id


def encode_cursor(sort: str, after: tuple[object, int] | None) -> str | None:
    if after is None:
        return None
    raw = orjson.dumps([sort, after[0], after[1]])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def paged(page: Page[Any], sort: str, items: Sequence[object]) -> dict[str, object]:
    """A listing's body: its items and the cursor of the next page (null on the last)."""
    return {"items": items, "next_cursor": encode_cursor(sort, page.next_after)}


def listing(request: Request, page: Page[Any], sort: str) -> Response:
    """A page of dataclass items as a listing's body, with its entity tag."""
    return json_with_etag(request, paged(page, sort, page.items))


def fields_of(item: Any) -> dict[str, Any]:
    """A dataclass's fields by name, one level deep: orjson writes the dataclasses they
    hold itself, as ``dataclasses.asdict`` would have them, without its deep copies
    (which were half the CPU of an impact answer, bench_service)."""
    found = _FIELDS.get(type(item))
    if found is None:
        names = tuple(f.name for f in dataclasses.fields(item))
        found = _FIELDS[type(item)] = names, attrgetter(*names) if names else None
    names, values = found
    if values is None:
        return {}
    if len(names) == 1:
        return {names[0]: values(item)}
    return dict(zip(names, values(item), strict=True))


# Each dataclass's field names and a getter of their values, made once: ``dataclasses.
# fields`` builds its tuple on every call (a third of serialising an impact's 240
# components).
_FIELDS: dict[type, tuple[tuple[str, ...], attrgetter[Any] | None]] = {}


def json_with_etag(request: Request, body: object) -> Response:
    """The body as JSON with its entity tag, or 304 when the client holds the same."""
    data = orjson.dumps(body)
    tag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    held = request.headers.get("if-none-match")
    if held is not None and _matches(held, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(data, media_type="application/json", headers={"ETag": tag})


def _matches(if_none_match: str, tag: str) -> bool:
    """RFC 9110 13.1.2: a weak comparison, any listed tag or ``*``."""
    held = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in held or tag in held
