"""The request engine every operation goes through: sending with retries, and mapping failures to errors."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from .._engine import EngineBase, log_response
from .._errors import ATTEMPTS, connection_error, request_error, status_error
from .._http import authorize
from .._oauth import Token, TokenFlow
from .._parse import DECODE_ERRORS, malformed
from .._sleep import async_sleep

if TYPE_CHECKING:
    from .._generated.types import Request

T = TypeVar("T")


class AsyncEngine(EngineBase):
    """Sends the requests of one client (see `EngineBase` for what it holds). `sleep` waits between retries."""

    http: httpx.AsyncClient

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleep = async_sleep

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        retry_safe: bool | None = None,
    ) -> httpx.Response:
        """Send with retries as the retry policy says: idempotent methods on connection errors and 502/503/504,
        others only when the request never left; `retry_safe` overrides what the method says. Returns any
        status; the caller decides what is an error. Redirects are not followed: a same-origin redirect from
        `/system/*` to a function would carry the gateway credentials."""
        policy, retries = self.retry_policy, self.max_retries
        safe = policy.is_idempotent(request.method) if retry_safe is None else retry_safe
        token = await self.gateway_token() if self.needs_gateway_token(request) else None
        if token is not None:
            authorize(request, token)
        attempt = 0
        while True:
            started = time.perf_counter()
            try:
                response = await self.http.send(request, auth=self.auth, stream=stream, follow_redirects=False)
            except httpx.TransportError as exc:
                if attempt < retries and policy.retries_error(exc, safe):
                    attempt += 1
                    await self.sleep(policy.delay(attempt))
                    continue
                raise connection_error(exc, request, attempt + 1) from exc
            except httpx.RequestError as exc:
                raise request_error(exc, request) from exc
            log_response(response, started)
            if safe and policy.retries_status(response.status_code):
                if attempt < retries:
                    attempt += 1
                    await response.aclose()
                    await self.sleep(policy.delay(attempt, response))
                    continue
                if attempt:
                    response.extensions[ATTEMPTS] = attempt + 1
            if token is not None and response.status_code == 401 and self.iam and self.iam.gateway:
                self.iam.gateway.drop(token)  # refused: the next call exchanges again
            return response

    async def gateway_token(self) -> str:
        """The gateway token: the static one, or the cached exchange (one exchange in flight at a time)."""
        iam = self.iam
        assert iam is not None
        if iam.static is not None:
            return iam.static
        cache = iam.gateway
        assert cache is not None

        async def fetch() -> Token:
            return await self.fetch_token(iam.gateway_flow())

        return cache.peek() or await cache.aget(fetch)

    async def function_token(self, namespace: str | None, name: str) -> str:
        """A token for this one function, exchanged from the gateway token, cached per (namespace, function)
        until near its expiry."""
        iam = self.iam
        assert iam is not None
        known = iam.known_function_token(namespace, name)
        if known is not None:
            return known
        cache = iam.function_cache(namespace, name)

        async def fetch() -> Token:
            return await self.fetch_token(iam.function_flow(await self.gateway_token(), namespace, name))

        return cache.peek() or await cache.aget(fetch)

    async def fetch_token(self, flow: TokenFlow) -> Token:
        """Run a token flow, its requests sent through this client's pool (retried like idempotent calls)."""
        try:
            step = next(flow)
            while True:
                step = flow.send(await self.send(self.token_request(step), retry_safe=True))
        except StopIteration as stop:
            token: Token = stop.value
            return token

    async def call(self, spec: Request[T]) -> T:
        """Send a generated operation's request and decode its answer as the operation says; a non-2xx raises
        the matching `APIStatusError`, a malformed answer `APIResponseValidationError`."""
        response = await self.send(self.build_generated(spec))
        if not response.is_success:
            raise status_error(response)
        try:
            return spec.decode(response.content)
        except DECODE_ERRORS as exc:
            raise malformed(response, exc) from None

    async def aclose(self) -> None:
        await self.http.aclose()
