"""`cpstrust serve` keeps an idle connection open longer than clients keep theirs
(httpx: 5 s), so that a request sent on a connection idle that long is answered, not
lost to the server closing it at the same moment (bench_service: 1-2 requests a run)."""

from __future__ import annotations

import socket
import time
from typing import Any

from threaded_server import free_port, serving

from cpstrust.cli.serve import KEEP_ALIVE_SECONDS

REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


async def _ok(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


def _answer(connection: socket.socket) -> bytes:
    connection.sendall(REQUEST)
    received = b""
    while not received.endswith(b"\r\n\r\nok"):
        chunk = connection.recv(4096)
        if not chunk:
            return received  # closed by the server
        received += chunk
    return received


def test_a_connection_idle_past_httpxs_expiry_is_still_served() -> None:
    port = free_port()
    with serving(_ok, port, timeout_keep_alive=KEEP_ALIVE_SECONDS), \
            socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        assert _answer(connection).startswith(b"HTTP/1.1 200")
        time.sleep(6)  # uvicorn's default keep-alive (5 s) would have closed it
        assert _answer(connection).startswith(b"HTTP/1.1 200")
