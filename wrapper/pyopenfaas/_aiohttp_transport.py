"""An httpx transport that sends through aiohttp (the default for AsyncOpenFaaS; see `_transport`).

httpx-aiohttp 0.2.0's AiohttpTransport was evaluated first and is not used. It maps a refused
connection (and a reset) to httpx.ConnectTimeout; ignores proxies from the environment (httpx skips
them once a transport is given, and its aiohttp session has trust_env off); keeps aiohttp's cookie
jar, so a cookie one response sets is sent with later requests to that host; adds a Content-Type and
re-quotes the URL; cannot tell a pool timeout from a connect timeout; pops headers off the caller's
request; and fails with "Event loop is closed" once used from a second event loop. Fixing that means
replacing every method it has, so this is a small adapter of its own.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextvars
import datetime
import functools
import math
import os
import ssl
import sys
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp
import httpx

# Private, but the same code httpx.AsyncClient uses for environment proxies (it skips them when it is
# given a transport); pyproject pins httpx below 0.29.
from httpx._utils import URLPattern, get_environment_proxies
from multidict import CIMultiDict
from yarl import URL

from pyopenfaas._transport import CertTypes

__all__ = ["AiohttpTransport"]

# The first match wins, so subclasses come before their bases.
_ERRORS: tuple[tuple[type[aiohttp.ClientError], type[httpx.TransportError]], ...] = (
    (aiohttp.ClientConnectorError, httpx.ConnectError),  # refused, DNS, TLS, proxy unreachable
    (aiohttp.ConnectionTimeoutError, httpx.ConnectTimeout),
    (aiohttp.ServerTimeoutError, httpx.ReadTimeout),  # headers or body stalled (sock_read)
    (aiohttp.ClientHttpProxyError, httpx.ProxyError),
    (aiohttp.ServerDisconnectedError, httpx.RemoteProtocolError),
    (aiohttp.ClientPayloadError, httpx.RemoteProtocolError),  # body cut short
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),  # unparsable response
    (aiohttp.ClientConnectionError, httpx.ReadError),  # reset, closed
    (aiohttp.InvalidURL, httpx.UnsupportedProtocol),
    (aiohttp.NonHttpUrlClientError, httpx.UnsupportedProtocol),
)

# httpx has already set the headers it wants; aiohttp must not add its own (notably Content-Type).
_NO_AUTO_HEADERS: CIMultiDict[None] = CIMultiDict(
    (name, None) for name in ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
)

# aiohttp warns about (and would write in one piece) bytes bodies over 1 MiB; larger ones go in slices.
_SLICE = 2**20

# A body this size or smaller is in the socket's hands as soon as aiohttp has sent the request (asyncio's
# transports buffer up to 64 KiB before a writer waits), so its read timeout can start there: see _ReadDeadlines.
_WRITTEN_AT_ONCE = 2**16


# The same few timeouts recur.
@functools.lru_cache(maxsize=64)
def _timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(sock_connect=connect, sock_read=read)


def _to_httpx(exc: aiohttp.ClientError) -> httpx.TransportError:
    for source, target in _ERRORS:
        if isinstance(exc, source):
            return target(str(exc))
    return httpx.TransportError(str(exc))


def _ssl_context(verify: bool | str | ssl.SSLContext, cert: CertTypes | None, trust_env: bool) -> ssl.SSLContext:
    if isinstance(verify, str):
        # What httpx does for a path, without its deprecation warning.
        if os.path.isdir(verify):
            context = ssl.create_default_context(capath=verify)
        else:
            context = ssl.create_default_context(cafile=verify)
    else:
        context = httpx.create_ssl_context(verify=verify, trust_env=trust_env)
    if isinstance(cert, str):
        context.load_cert_chain(cert)
    elif cert is not None:
        context.load_cert_chain(*cert)
    return context


def _proxy_routes(
    proxy: str | httpx.URL | httpx.Proxy | None, trust_env: bool
) -> list[tuple[URLPattern, httpx.Proxy | None]]:
    """The (pattern, proxy) pairs httpx.AsyncClient would mount, most specific first."""
    if proxy is not None:
        return [(URLPattern("all://"), proxy if isinstance(proxy, httpx.Proxy) else httpx.Proxy(proxy))]
    if not trust_env:
        return []
    routes = [
        (URLPattern(pattern), None if url is None else httpx.Proxy(url))
        for pattern, url in get_environment_proxies().items()
    ]
    return sorted(routes, key=lambda route: route[0])


def _proxy_headers(proxy: httpx.Proxy) -> dict[str, str]:
    headers = dict(proxy.headers)
    if proxy.raw_auth is not None:
        username, password = proxy.raw_auth
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(username + b":" + password).decode("ascii")
    return headers


class _Upload:
    """A streamed request body, keeping the error the caller's stream raised (aiohttp wraps it)."""

    def __init__(self, stream: httpx.AsyncByteStream) -> None:
        self._stream = stream
        self.error: Exception | None = None

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except Exception as exc:
            self.error = exc
            raise


async def _slices(body: bytes) -> AsyncIterator[memoryview]:
    view = memoryview(body)
    for start in range(0, len(view), _SLICE):
        yield view[start : start + _SLICE]


class _Request(aiohttp.ClientRequest):
    """aiohttp's request, sending the headers httpx built as they are (the session's `skip_auto_headers` would
    rebuild the skip set and merge the headers into it again on every request), and starting the read timeout
    of a `_Watch` once sent."""

    # Read where aiohttp would add a Content-Type: aiohttp 3.11 reads the first name, later versions the second.
    skip_auto_headers = _skip_auto_headers = _NO_AUTO_HEADERS

    def update_headers(self, headers: Any) -> None:
        # The session has merged them into a CIMultiDict of this request's own; httpx has set Host.
        self.headers = headers

    def update_auto_headers(self, skip_auto_headers: Any) -> None:
        return None

    async def send(self, conn: Any) -> aiohttp.ClientResponse:
        response = await super().send(conn)
        watch = _WATCH.get()
        if watch is not None:  # connected and sent: the wait for the answer starts now
            watch.deadlines.start(watch)
        return response


class _Watch:
    """The read timeout of one request's wait for its answer's head, kept by `_ReadDeadlines`."""

    __slots__ = ("deadline", "deadlines", "expired", "read", "task")

    def __init__(self, deadlines: _ReadDeadlines, read: float) -> None:
        self.deadlines = deadlines
        self.read = read
        self.task = asyncio.current_task()
        self.deadline = math.inf
        self.expired = False

    def timed_out(self, exc: BaseException) -> bool:
        """Whether `exc` is the cancellation this watch's expiry sent (then taken back), and nobody else's."""
        return (
            self.expired
            and isinstance(exc, asyncio.CancelledError)
            and self.task is not None
            and not self.task.uncancel()
        )


# The watch of the request being sent in this task, for `_Request.send` to start.
_WATCH: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("pyopenfaas_watch", default=None)


class _ReadDeadlines:
    """The read timeouts of one event loop's requests waiting for an answer to read whole, on one timer.

    aiohttp's own (`sock_read`) arms and cancels an asyncio timer twice per request, 8% of a request's
    instructions at 64 in flight. Here a request notes its deadline, and the one timer wakes at the earliest; a
    request still waiting then is cancelled, and its `_send` raises `httpx.ReadTimeout`. The timer wakes about
    once per read timeout, and each wake looks at the requests waiting then.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: dict[_Watch, None] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._wakes = math.inf

    def start(self, watch: _Watch) -> None:
        watch.deadline = deadline = self._loop.time() + watch.read
        self._waiting[watch] = None
        if deadline < self._wakes:
            self._arm(deadline)

    def stop(self, watch: _Watch) -> None:
        self._waiting.pop(watch, None)

    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._wakes = when
        self._timer = self._loop.call_at(when, self._wake)

    def _wake(self) -> None:
        now = max(self._loop.time(), self._wakes)  # asyncio may run a timer a clock tick early
        self._timer, self._wakes = None, math.inf
        nearest = math.inf
        for watch in list(self._waiting):
            if watch.deadline <= now:
                del self._waiting[watch]
                watch.expired = True
                if watch.task is not None:
                    watch.task.cancel()
            else:
                nearest = min(nearest, watch.deadline)
        if nearest < math.inf:
            self._arm(nearest)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer, self._wakes = None, math.inf


class _Pool:
    """One event loop's aiohttp session, and the slots that bound its connections."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        ssl_context: ssl.SSLContext,
        max_connections: int | None,
        keepalive_expiry: float | None,
    ) -> None:
        self.deadlines = _ReadDeadlines(loop)
        self.session = aiohttp.ClientSession(
            # The slots below do the limiting: aiohttp's limit would turn a pool timeout into a connect one.
            connector=aiohttp.TCPConnector(ssl=ssl_context, limit=0, keepalive_timeout=keepalive_expiry),
            cookie_jar=aiohttp.DummyCookieJar(),  # cookies are httpx's business, per client
            request_class=_Request,
            auto_decompress=False,  # httpx decodes
        )
        # aiohttp resends an idempotent request once by itself when the connection drops before the
        # answer; retrying (and counting tries) is the client's job, as on httpx's transport. No public
        # switch: aiohttp's own test client (aiohttp/test_utils.py) sets the same attribute.
        self.session._retry_connection = False
        # The slots: how many are free, and who waits for one, in turn.
        self._free = max_connections or sys.maxsize  # None: unbounded
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._closer = self._close_at_loop_shutdown()

    async def start(self) -> None:
        await anext(self._closer)  # runs up to its yield, and so registers with the running loop

    async def close(self) -> None:
        await self._closer.aclose()

    async def _close_at_loop_shutdown(self) -> AsyncGenerator[None, None]:
        # asyncio.run() closes every suspended async generator before it closes its loop
        # (loop.shutdown_asyncgens), so a transport nobody closes leaves no connection behind.
        try:
            yield
        finally:
            self.deadlines.close()
            await self.session.close()

    def acquire(self) -> bool:
        """Take a slot if one is free and nobody waits for one: no coroutine, no timer."""
        if self._free and not self._waiters:
            self._free -= 1
            return True
        return False

    async def wait(self, wait: float | None) -> None:
        """Wait in turn for a slot, at most `wait` seconds."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(wait):
                await waiter
        except BaseException as exc:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a slot as the wait ended: the next in turn gets it
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            if isinstance(exc, TimeoutError):
                raise httpx.PoolTimeout("timed out waiting for a connection from the pool") from None
            raise

    def release(self) -> None:
        """Give a slot back: to the first in turn still waiting, if any."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # one cancelled a moment ago leaves when its task resumes
                waiter.set_result(None)
                return
        self._free += 1


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, release: Callable[[], None]) -> None:
        self._response = response
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        content = self._response.content
        try:
            while chunk := await content.readany():  # whatever has arrived: no waiting for a full chunk
                yield chunk
        except aiohttp.ClientError as exc:
            raise _to_httpx(exc) from exc

    async def aclose(self) -> None:
        if self._release is not None:
            # Back to the pool when the body was read to the end; otherwise the connection is closed.
            self._response.release()
            self._release()
            self._release = None


# Headers httpx's Request sets itself: a request that names one is left to httpx to build.
_SET_BY_HTTPX = frozenset({"host", "content-length", "transfer-encoding"})


def _decoded(headers: httpx.Headers, *, wire: bool = True) -> list[tuple[str, str]]:
    """The headers as aiohttp takes them, names as written."""
    encoding = headers.encoding
    return [
        (name.decode(encoding), value.decode(encoding))
        for name, value in headers.raw
        # aiohttp frames a body of unknown length itself, and refuses a request that already says so.
        if not wire or name.lower() != b"transfer-encoding"
    ]


class _LazyHeaders:
    """`headers` parsed when first read, from the raw pairs (httpx parses them as the object is made)."""

    _raw_headers: Any
    _parsed: httpx.Headers | None

    @property
    def headers(self) -> httpx.Headers:
        if self._parsed is None:
            self._parsed = httpx.Headers(self._raw_headers)
        return self._parsed

    @headers.setter
    def headers(self, value: httpx.Headers) -> None:
        self._parsed = httpx.Headers(value)


class PlainRequest(_LazyHeaders, httpx.Request):
    """A request with a bytes body (or none) whose `headers` are parsed only when asked for: what
    `AiohttpTransport.plain_request` builds. Its headers are those httpx's Request would have, in order."""

    def __init__(
        self, method: str, url: httpx.URL, pairs: list[tuple[str, str]], content: bytes, extensions: dict[str, Any]
    ) -> None:
        # No super().__init__(): it would parse the headers twice and stream the body only to read it back.
        self.method = method
        self.url = url
        self.extensions = extensions
        self.stream = httpx.ByteStream(content)
        self._content = content
        self._raw_headers = pairs
        self._parsed = None

    def pairs(self) -> list[tuple[str, str]]:
        """The headers to send, as aiohttp takes them."""
        return list(self._raw_headers) if self._parsed is None else _decoded(self._parsed)

    def set_header(self, name: str, value: str) -> None:
        """What `headers[name] = value` does (the first header of that name takes the value, the others go; a new
        one comes last), without parsing the headers when nothing has read them yet."""
        if self._parsed is not None or not (name.isascii() and value.isascii()):
            self.headers[name] = value
            return
        lower, pairs = name.lower(), self._raw_headers
        at = next((index for index, (key, _) in enumerate(pairs) if key.lower() == lower), len(pairs))
        self._raw_headers = [*pairs[:at], (name, value), *(pair for pair in pairs[at:] if pair[0].lower() != lower)]


class _ReadResponse(_LazyHeaders, httpx.Response):
    """A response read whole, whose headers are parsed when first asked for: what `AiohttpTransport.fetch`
    returns in place of httpx's streamed response, at a fraction of its cost."""

    next_request = None
    is_closed = is_stream_consumed = True

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        content: bytes,
        request: httpx.Request,
        default_encoding: str | Callable[[bytes], str],
        elapsed: float,
    ) -> None:
        # No super().__init__(): it would parse the headers and build a stream only to read it back.
        self.status_code = response.status
        self._raw_headers = response.raw_headers
        self._parsed = None
        self._request = request
        self.extensions = _extensions(response)
        self.history = []
        self.default_encoding = default_encoding
        self.stream = httpx.ByteStream(content)
        self._content = content
        self._num_bytes_downloaded = len(content)
        self._elapsed = datetime.timedelta(seconds=elapsed)


def _extensions(response: aiohttp.ClientResponse) -> dict[str, Any]:
    extensions: dict[str, Any] = {"http_version": b"HTTP/1.0" if response.version == (1, 0) else b"HTTP/1.1"}
    if response.reason:
        extensions["reason_phrase"] = response.reason.encode("latin-1", "replace")
    return extensions


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through a pooled aiohttp session: see `default_async_transport`.

    Each event loop that uses the transport gets its own session, opened by its first request; the
    sessions of loops that have since closed are dropped. httpx's write timeout has no aiohttp
    counterpart and is not applied.
    """

    def __init__(
        self,
        *,
        verify: bool | str | ssl.SSLContext,
        cert: CertTypes | None,
        trust_env: bool,
        proxy: str | httpx.URL | httpx.Proxy | None,
        max_connections: int | None,
        keepalive_expiry: float | None,
    ) -> None:
        if max_connections is not None and max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, or None; got {max_connections}")
        self._ssl_context = _ssl_context(verify, cert, trust_env)
        self._proxies = _proxy_routes(proxy, trust_env)
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._pools: dict[asyncio.AbstractEventLoop, _Pool] = {}
        self._targets: dict[int, tuple[httpx.URL, str, URL]] = {}
        self._client_headers: tuple[list[tuple[bytes, bytes]], list[tuple[str, str]] | None] = ([], [])

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        pool, response = await self._send(request)
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_ResponseStream(response, pool.release),
            extensions=_extensions(response),
        )

    def plain_request(
        self, method: str, url: httpx.URL, defaults: httpx.Headers, headers: Any, content: Any, timeout: Any
    ) -> PlainRequest | None:
        """What `httpx.AsyncClient.build_request(method, url, headers=, content=, timeout=)` builds (its
        headers `defaults`), without parsing headers it may never need to read; None when it is not a plain
        request (a body that is not bytes, headers that are not ASCII or that httpx sets itself)."""
        host = self._target(url)[0]
        if not (content is None or type(content) is bytes) or not isinstance(timeout, httpx.Timeout) or not host:
            return None
        given = _decoded(headers, wire=False) if isinstance(headers, httpx.Headers) else list((headers or {}).items())
        names = set()
        for name, value in given:
            if not (isinstance(name, str) and isinstance(value, str) and name.isascii() and value.isascii()):
                return None
            names.add(name.lower())
        raw = defaults.raw
        known, client = self._client_headers
        if raw != known:  # the client's headers, decoded once
            client = _decoded(defaults)
            client = None if any(name.lower() in _SET_BY_HTTPX for name, _ in client) else client
            self._client_headers = (raw, client)
        if client is None or names & _SET_BY_HTTPX:
            return None
        pairs = [("Host", host)]
        if not content and method in ("POST", "PUT", "PATCH"):
            pairs.append(("Content-Length", "0"))
        # The client's headers, under the request's (as Headers.update does).
        pairs.extend([pair for pair in client if pair[0].lower() not in names] if names else client)
        pairs.extend(given)
        if content:
            pairs.append(("Content-Length", str(len(content))))
        return PlainRequest(method, url, pairs, content or b"", {"timeout": timeout.as_dict()})

    async def fetch(self, request: httpx.Request, default_encoding: str | Callable[[bytes], str]) -> httpx.Response:
        """Send `request` and read the whole answer: what `httpx.AsyncClient.send(request)` returns, without
        its streaming layers. A body with a Content-Encoding is decoded the way httpx does it."""
        started = time.perf_counter()
        pool, response = await self._send(request, whole=True)
        try:
            content = await response.read()
        except aiohttp.ClientError as exc:
            raise _to_httpx(exc) from exc
        finally:
            response.release()  # back to the pool when the body was read to the end, else closed
            pool.release()
        if response.headers.get("Content-Encoding", "identity") != "identity":
            encoded = httpx.Response(
                response.status, headers=response.raw_headers, stream=httpx.ByteStream(content), request=request,
                extensions=_extensions(response), default_encoding=default_encoding,
            )  # fmt: skip
            encoded.read()  # decodes
            encoded.elapsed = datetime.timedelta(seconds=time.perf_counter() - started)
            return encoded
        return _ReadResponse(response, content, request, default_encoding, time.perf_counter() - started)

    async def _send(self, request: httpx.Request, *, whole: bool = False) -> tuple[_Pool, aiohttp.ClientResponse]:
        """Send `request` on a slot of this event loop's pool: the answer's head, the slot held for the caller
        to release. With `whole`, the caller reads the body at once, and a small request's wait for the head
        is timed by the pool's `_ReadDeadlines`; the rest of the body, if any is still to come, by aiohttp."""
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop) or await self._open_pool(loop)
        upload = None
        data: bytes | AsyncIterator[memoryview] | _Upload | None
        try:
            data = request.content or None
        except httpx.RequestNotRead:
            data = upload = _Upload(request.stream)  # type: ignore[arg-type]  # unread, so an async stream
            whole = False
        else:
            whole = whole and (data is None or len(data) <= _WRITTEN_AT_ONCE)
            if data is not None and len(data) > _SLICE:
                data = _slices(data)
        timeouts: Mapping[str, float | None] = request.extensions.get("timeout", {})
        read = timeouts.get("read")
        watch = _Watch(pool.deadlines, read) if whole and read is not None else None
        if not pool.acquire():
            await pool.wait(timeouts.get("pool"))
        token = None if watch is None else _WATCH.set(watch)
        try:
            headers = request.pairs() if type(request) is PlainRequest else _decoded(request.headers)
            proxy_url = proxy_headers = None
            if self._proxies and (proxy := self._proxy_for(request.url)) is not None:
                proxy_url = str(proxy.url)
                if request.url.scheme == "https":
                    proxy_headers = _proxy_headers(proxy)  # aiohttp sends these with the CONNECT only
                else:
                    headers.extend(_proxy_headers(proxy).items())
            response = await pool.session.request(
                request.method,
                self._target(request.url)[1],
                headers=headers,
                data=data,
                allow_redirects=False,
                timeout=_timeout(timeouts.get("connect"), None if watch else read),
                proxy=proxy_url,
                proxy_headers=proxy_headers,
                server_hostname=request.extensions.get("sni_hostname"),
            )
        except BaseException as exc:
            pool.release()
            if watch is not None and watch.timed_out(exc):
                raise httpx.ReadTimeout("Timeout on reading data from socket") from None  # aiohttp's words
            if not isinstance(exc, aiohttp.ClientError):
                raise
            if upload is not None and upload.error is not None:
                raise upload.error from None
            raise _to_httpx(exc) from exc
        finally:
            if watch is not None:
                _WATCH.reset(token)  # type: ignore[arg-type]
                pool.deadlines.stop(watch)
        if watch is not None and not response.content.is_eof() and response.connection is not None:
            protocol = response.connection.protocol
            if protocol is not None:  # the body is still coming: aiohttp times each read from here
                protocol.read_timeout = read
                protocol.start_timeout()
        return pool, response

    def _target(self, url: httpx.URL) -> tuple[str, URL]:
        """The Host header and the aiohttp URL for `url`. The same few URL objects recur (the engine caches
        them), so these are kept by the object's identity: working them out again is a tenth of a request."""
        known = self._targets.get(id(url))
        if known is None or known[0] is not url:
            if len(self._targets) >= 512:
                self._targets.clear()
            # Already encoded by httpx: sent as is.
            known = self._targets[id(url)] = (url, url.netloc.decode("ascii"), URL(str(url), encoded=True))
        return known[1], known[2]

    def _proxy_for(self, url: httpx.URL) -> httpx.Proxy | None:
        for pattern, proxy in self._proxies:
            if pattern.matches(url):
                if proxy is not None and proxy.url.scheme not in ("http", "https"):
                    raise httpx.UnsupportedProtocol(
                        f"the aiohttp transport cannot use a {proxy.url.scheme} proxy; pass httpx's transport"
                    )
                return proxy
        return None

    async def _open_pool(self, loop: asyncio.AbstractEventLoop) -> _Pool:
        pool = self._pools[loop] = _Pool(loop, self._ssl_context, self._max_connections, self._keepalive_expiry)
        await pool.start()
        for other in [other for other in list(self._pools) if other.is_closed()]:  # list(): other threads add
            stale = self._pools.pop(other, None)
            if stale is not None:
                await stale.close()  # on a closed loop, aiohttp only marks it closed: no warning when collected
        return pool

    async def aclose(self) -> None:
        """Close the sessions of the event loops that used the transport."""
        current = asyncio.get_running_loop()
        pools, self._pools = self._pools, {}
        for loop, pool in pools.items():
            if loop is current or loop.is_closed():
                await pool.close()
            elif loop.is_running():
                # Another thread's loop: close it there, without blocking this one.
                asyncio.run_coroutine_threadsafe(pool.close(), loop)
            # An idle loop closes its session itself, when asyncio.run() shuts it down.
