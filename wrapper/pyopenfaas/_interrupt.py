"""Ending a read that another thread or task is blocked in: the sync and async twins differ here.

`LogStream.close()` may come from any thread while the iterating one waits in the socket for a quiet
function's next line. Closing a socket does not wake a thread blocked reading it (Linux), and closing the
response under the reading thread would race it over the connection pool; so the sync twin shuts the socket
down, the reader wakes to an ended stream and closes the response itself. A task awaiting a read is woken by
closing the response (httpx's async transport and the aiohttp adapter alike), with no thread to race."""

from __future__ import annotations

import contextlib
import socket

import httpx


def interrupt(response: httpx.Response) -> None:
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # already shut or closed: the reader is waking anyway
            # The base class's shutdown: an SSLSocket's own would drop its TLS state under the reader.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
    else:  # a transport without a socket (mock, WSGI): closing is all there is
        response.close()


async def async_interrupt(response: httpx.Response) -> None:
    await response.aclose()
