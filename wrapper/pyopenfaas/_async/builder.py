"""The Function Builder client: `POST /build` with a signed tar streamed from a temporary file."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Self

import httpx

from .._blocking import async_run_blocking
from .._build_api import (
    FAILED,
    BuilderPublicKey,
    BuildInputs,
    BuildResult,
    build_inputs,
    build_request,
    builder_url,
    failure,
    hmac_key,
    parse_line,
    parse_public_key,
    parse_result,
    stream_ended,
)
from .._build_context import BuildContext, SignedTar, write_signed_tar
from .._defaults import DEFAULT_BUILD_TIMEOUT
from .._errors import BODY_ERRORS, body_error, connection_error, request_error, status_error
from .._seal import seal_secrets


class AsyncFunctionBuilder:
    """A client for the OpenFaaS Function Builder API (`POST /build`).

    Each build's context is tarred to a temporary file, signed with HMAC-SHA256 of the tar (`X-Build-Signature`)
    while it is written, and streamed from the file, never held whole in memory. Build secrets are sealed to the
    builder's public key (`public_key`, else fetched from `/publickey`) with PyNaCl (`pip install
    'pyopenfaas[builder]'`).
    """

    def __init__(
        self,
        url: str,
        *,
        hmac_secret: str | bytes,
        public_key: str | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_BUILD_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = builder_url(url)
        self._key = hmac_key(hmac_secret)
        self._public_key = public_key
        self._own_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    async def public_key(self) -> BuilderPublicKey:
        """The builder's sealing key (`GET /publickey`), or the one given to the constructor."""
        if self._public_key:
            return BuilderPublicKey(public_key=self._public_key)
        response = await self._send(self._http.build_request("GET", self.url + "/publickey"), stream=False)
        return parse_public_key(response)

    async def build(
        self,
        context: str | os.PathLike[str] | BuildContext,
        image: str,
        *,
        build_args: Mapping[str, str] | None = None,
        platforms: Sequence[str] | None = None,
        skip_push: bool = False,
        build_secrets: Mapping[str, str | bytes] | None = None,
    ) -> BuildResult:
        """Build `context` (a folder with a Dockerfile, or a `BuildContext`) into `image` and push it; the
        final result, or `BuildError` carrying the builder's error and log when the build failed."""
        inputs = build_inputs(context, image, build_args, platforms, skip_push, build_secrets)
        tar = await self._tar(inputs)
        try:
            response = await self._send(
                build_request(self._http, self.url, tar, stream=False), stream=False, failed_ok=True
            )
        finally:
            tar.remove()
        result = parse_result(_json(response), f"POST {self.url}/build", response)
        if result.status == FAILED:
            raise failure(result)
        if not response.is_success:
            raise status_error(response)
        return result

    def build_stream(
        self,
        context: str | os.PathLike[str] | BuildContext,
        image: str,
        *,
        build_args: Mapping[str, str] | None = None,
        platforms: Sequence[str] | None = None,
        skip_push: bool = False,
        build_secrets: Mapping[str, str | bytes] | None = None,
    ) -> AsyncIterator[BuildResult]:
        """`build`, with each result yielded as the builder streams it (`Accept: application/x-ndjson`): log
        lines while it runs, then one `success` or `failed` result, which ends the stream. A failed build is a
        result here, not an exception; a stream cut before the end raises. Arguments are checked at the call;
        the build starts when iteration does."""
        return self._stream(build_inputs(context, image, build_args, platforms, skip_push, build_secrets))

    async def _stream(self, inputs: BuildInputs) -> AsyncIterator[BuildResult]:
        tar = await self._tar(inputs)
        try:
            response = await self._send(build_request(self._http, self.url, tar, stream=True), stream=True)
        finally:
            tar.remove()
        received = 0
        try:
            async for line in response.aiter_lines():
                if line.strip():
                    result = parse_line(line, response)
                    received += 1
                    yield result
                    if result.done:
                        return
        except BODY_ERRORS as exc:
            raise body_error(exc, response.request, f"{received} results") from exc
        finally:
            await response.aclose()
        raise stream_ended(response)

    async def _tar(self, inputs: BuildInputs) -> SignedTar:
        sealed = None
        if inputs.secrets:
            key = await self.public_key()
            sealed = seal_secrets(inputs.secrets, key.public_key)
        return await async_run_blocking(write_signed_tar, inputs.context, inputs.config, self._key, sealed)

    async def _send(self, request: httpx.Request, *, stream: bool, failed_ok: bool = False) -> httpx.Response:
        """Send once (a build is not retried); a non-2xx raises, unless `failed_ok` and its body is a failed build."""
        try:
            response = await self._http.send(request, stream=stream)
        except httpx.TransportError as exc:
            raise connection_error(exc, request) from exc
        except httpx.RequestError as exc:
            raise request_error(exc, request) from exc
        if not response.is_success:
            await response.aread()
            await response.aclose()
            if not (failed_ok and _is_failed_build(response)):
                raise status_error(response)
        return response

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _is_failed_build(response: httpx.Response) -> bool:
    data = _json(response)
    return isinstance(data, dict) and data.get("status") == FAILED
