"""The Function Builder client: `POST /build` with a signed tar streamed from a temporary file, sent through the
same engine as the gateway's calls (pooled cookieless client, User-Agent, error map, retry policy)."""

from __future__ import annotations

import os
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING

import httpx

from .._blocking import async_run_blocking
from .._build_api import (
    FAILED,
    BuildInputs,
    build_answer,
    build_inputs,
    builder_settings,
    builder_url,
    checked_key,
    failure,
    hmac_key,
    stream_ended,
    upload,
)
from .._build_context import BuildContext, SignedTar, write_signed_tar
from .._defaults import DEFAULT_BUILD_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_RETRIES, DEFAULT_RETRY_POLICY
from .._errors import BODY_ERRORS, body_error, status_error
from .._generated_builder.models import BuilderPublicKey, BuildResult
from .._parse import NDJSONDecoder
from .._seal import seal_secrets
from .._types import TimeoutTypes, as_timeout
from .engine import AsyncEngine
from .pool import AsyncPoolOwner, pooled_client

if TYPE_CHECKING:
    from .._generated_builder.types import Request


class AsyncFunctionBuilder(AsyncPoolOwner):
    """A client for the OpenFaaS Function Builder API (`POST /build`).

    Each build's context is tarred to a temporary file, signed with HMAC-SHA256 of the tar (`X-Build-Signature`)
    while it is written, and streamed from the file, never held whole in memory. Build secrets are sealed to the
    builder's public key (`public_key`, else fetched from `/publickey`) with PyNaCl (`pip install
    'pyopenfaas[builder]'`). A build is sent again only when it never left (the connection could not be made).
    Requests go through the same engine as `AsyncOpenFaaS`'s (a pooled client without cookies, its User-Agent,
    errors and retry policy); `http_client` or `transport` replace pyopenfaas's own.
    """

    def __init__(
        self,
        url: str,
        *,
        hmac_secret: str | bytes,
        public_key: str | None = None,
        timeout: TimeoutTypes = DEFAULT_BUILD_TIMEOUT,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = builder_url(url)
        self._key = hmac_key(hmac_secret)
        self._public_key = public_key
        self._owns_http = http_client is None
        default_timeout = as_timeout(timeout, DEFAULT_BUILD_TIMEOUT)
        self._api = AsyncEngine(
            builder_settings(self.url),
            pooled_client(http_client, transport, True, DEFAULT_MAX_CONNECTIONS, default_timeout),
            timeout=default_timeout,
            max_retries=DEFAULT_MAX_RETRIES,
            retry_policy=DEFAULT_RETRY_POLICY,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r})"

    async def health(self) -> bool:
        """True when the builder is healthy (`GET /healthz`); raises otherwise."""
        from .._generated_builder.api.builder import healthcheck

        await self._api.call(healthcheck.request())
        return True

    async def public_key(self) -> BuilderPublicKey:
        """The builder's sealing key (`GET /publickey`), or the one given to the constructor."""
        from .._generated_builder.api.builder import get_public_key

        if self._public_key:
            return BuilderPublicKey(public_key=self._public_key)
        return checked_key(await self._api.call(get_public_key.request()), self.url)

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
        result = build_answer(*await self._send(inputs, stream=False))
        if result.status == FAILED:
            raise failure(result)
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
    ) -> AsyncGenerator[BuildResult, None]:
        """`build`, with each result yielded as the builder streams it (`Accept: application/x-ndjson`): log
        lines while it runs, then one `success` or `failed` result, which ends the stream. A failed build is a
        result here, not an exception; a stream cut before the end raises. Arguments are checked at the call;
        the build starts when iteration does."""
        return self._stream(build_inputs(context, image, build_args, platforms, skip_push, build_secrets))

    async def _stream(self, inputs: BuildInputs) -> AsyncGenerator[BuildResult, None]:
        _, response = await self._send(inputs, stream=True)
        if not response.is_success:
            await response.aread()
            await response.aclose()
            raise status_error(response)
        decoder = NDJSONDecoder(BuildResult, "build result line", "the builder")
        received = 0
        try:
            async for chunk in response.aiter_bytes():
                for result in decoder.feed(chunk):
                    received += 1
                    yield result
                    if result.done:
                        return
            for result in decoder.finish():  # a last line without its newline
                yield result
                if result.done:
                    return
        except BODY_ERRORS as exc:
            raise body_error(exc, response.request, f"{received} results") from exc
        finally:
            await response.aclose()
        raise stream_ended(response)

    async def _send(self, inputs: BuildInputs, *, stream: bool) -> tuple[Request[BuildResult], httpx.Response]:
        """Tar, sign and send one build: its generated request, and the answer (whatever its status)."""
        tar = await self._tar(inputs)
        try:
            spec, request = upload(self._api, tar, _Upload(tar), stream=stream)
            return spec, await self._api.send(request, stream=stream)
        finally:
            tar.remove()

    async def _tar(self, inputs: BuildInputs) -> SignedTar:
        sealed = None
        if inputs.secrets:
            key = await self.public_key()
            sealed = seal_secrets(inputs.secrets, key.public_key)
        return await async_run_blocking(write_signed_tar, inputs.context, inputs.config, self._key, sealed)


class _Upload:
    """The signed tar as a request body, read from its file in chunks (never whole); it can be sent again."""

    def __init__(self, tar: SignedTar) -> None:
        self._tar = tar

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._tar.chunks():
            yield chunk
