"""HTTP(S) as cpstrust fetches things: TLS verified, no redirect off HTTPS, every size
bounded. Used for OSV's exports and for update servers."""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

from cpstrust import __version__
from cpstrust.errors import CpstrustError, InputError

USER_AGENT = f"cpstrust/{__version__}"
_CHUNK = 1 << 20


class FetchError(CpstrustError):
    """Something could not be fetched or checked; nothing was changed."""


def check_url_scheme(url: str, *, allow_insecure_http: bool = False) -> None:
    """Refuse anything but ``https://`` (and ``http://`` when explicitly allowed)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "http" and not allow_insecure_http:
        raise FetchError("http_plain_refused", source=url)
    if scheme not in ("https", "http") or not parts.netloc:
        raise FetchError("http_not_https", scheme=scheme, source=url)


def default_opener(
    *, allow_insecure_http: bool = False, tls_context: ssl.SSLContext | None = None,
) -> urllib.request.OpenerDirector:
    """An opener that verifies TLS certificates and will not be redirected off HTTPS.

    ``tls_context`` lets a caller trust a private CA (a mirror inside a plant network)
    while keeping the redirect guard; by default the system trust store is used.
    """
    tls = urllib.request.HTTPSHandler(context=tls_context or ssl.create_default_context())
    return urllib.request.build_opener(tls, _RedirectGuard(allow_insecure_http))


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follows redirects only where a first request would be allowed: no downgrade to HTTP."""

    def __init__(self, allow_insecure_http: bool) -> None:
        super().__init__()
        self._allow_insecure_http = allow_insecure_http

    def redirect_request(
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
        headers: http.client.HTTPMessage, newurl: str,
    ) -> urllib.request.Request | None:
        try:
            check_url_scheme(newurl, allow_insecure_http=self._allow_insecure_http)
        except FetchError as exc:
            raise FetchError("http_redirect_refused", url=newurl, cause=exc.message,
                             source=req.full_url) from exc
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_bounded(opener: urllib.request.OpenerDirector, url: str, limit: int) -> bytes:
    """The body at ``url``; InputError when it is larger than ``limit`` bytes."""
    try:
        with opener.open(url, timeout=60) as response:
            data: bytes = response.read(limit + 1)
    except OSError as exc:
        raise FetchError("http_fetch_failed", error=str(exc), source=url) from exc
    if len(data) > limit:
        raise InputError("http_too_large", limit=limit, source=url)
    return data


def download(opener: urllib.request.OpenerDirector, url: str, path: Path, limit: int) -> None:
    """Stream the body at ``url`` into ``path``, refusing more than ``limit`` bytes."""
    size = 0
    try:
        with opener.open(url, timeout=60) as response, path.open("wb") as out:
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InputError("http_too_large", limit=limit, source=url)
                out.write(chunk)
    except OSError as exc:
        raise FetchError("http_fetch_failed", error=str(exc), source=url) from exc
