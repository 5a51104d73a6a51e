"""What both builder twins share: the Function Builder's wire format (results, public key, the signed upload)
and how a stack function becomes a build request."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import httpx

from ._build_context import BuildConfig, BuildContext, SignedTar, build_args_for
from ._config import normalise_gateway_url
from ._errors import APIResponseValidationError, BuildError, ConfigurationError, StackError
from ._stack_model import Stack, StackFunction
from ._validation import check_image

IN_PROGRESS = "in_progress"
SUCCESS = "success"
FAILED = "failed"
NDJSON = "application/x-ndjson"


@dataclasses.dataclass(frozen=True, slots=True)
class BuildResult:
    """One report from the builder: `status` is `in_progress`, `success` or `failed`; `log` holds the lines
    this report adds; `image` is set on success, `error` on failure."""

    status: str
    log: tuple[str, ...] = ()
    image: str = ""
    error: str = ""
    duration: float | None = None

    @property
    def done(self) -> bool:
        return self.status in (SUCCESS, FAILED)


@dataclasses.dataclass(frozen=True, slots=True)
class BuilderPublicKey:
    """The builder's `/publickey` answer: the Curve25519 key build secrets are sealed to."""

    public_key: str
    key_id: str = ""
    algorithm: str = "nacl/box"


def parse_result(data: Any, where: str, response: httpx.Response | None = None) -> BuildResult:
    """A `BuildResult` from decoded JSON; `APIResponseValidationError` naming `where` when it has the wrong shape."""
    if not isinstance(data, dict):
        raise APIResponseValidationError(
            f"{where}: expected a JSON object, got {type(data).__name__}", response=response
        )
    log = data.get("log") or []
    status, image, error, duration = (
        data.get("status"),
        data.get("image") or "",
        data.get("error") or "",
        data.get("duration"),
    )
    if (
        not isinstance(status, str)
        or not isinstance(log, list)
        or not all(isinstance(line, str) for line in log)
        or not isinstance(image, str)
        or not isinstance(error, str)
        or not (duration is None or (isinstance(duration, int | float) and not isinstance(duration, bool)))
    ):
        raise APIResponseValidationError(f"{where}: not a build result: {json.dumps(data)[:300]}", response=response)
    return BuildResult(status=status, log=tuple(log), image=image, error=error, duration=duration)


def parse_line(line: str, response: httpx.Response) -> BuildResult:
    where = f"{response.request.method} {response.request.url}"
    try:
        data = json.loads(line)
    except ValueError:
        raise APIResponseValidationError(
            f"{where}: a build stream line is not JSON: {line[:300]!r}", response=response
        ) from None
    return parse_result(data, where, response)


def parse_public_key(response: httpx.Response) -> BuilderPublicKey:
    where = f"{response.request.method} {response.request.url}"
    try:
        data = response.json()
    except ValueError:
        raise APIResponseValidationError(f"{where}: the answer is not JSON", response=response) from None
    key = data.get("public_key") if isinstance(data, dict) else None
    if not isinstance(key, str) or not key:
        raise APIResponseValidationError(f"{where}: no public_key in the answer", response=response)
    algorithm = data.get("algorithm") or "nacl/box"
    if algorithm != "nacl/box":
        raise APIResponseValidationError(
            f"{where}: unsupported build secrets algorithm {algorithm!r}", response=response
        )
    return BuilderPublicKey(public_key=key, key_id=str(data.get("key_id") or ""), algorithm=algorithm)


def failure(result: BuildResult, log: Sequence[str] = ()) -> BuildError:
    """The `BuildError` for a failed result (faas-cli's wording)."""
    return BuildError(
        f"failure while building or pushing image {result.image or '(unnamed)'}: {result.error or 'no error given'}",
        image=result.image,
        error=result.error,
        log=tuple(log) or result.log,
    )


def stream_ended(response: httpx.Response) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{response.request.method} {response.request.url}: the build stream ended before the builder reported "
        "success or failure",
        response=response,
    )


class TarUpload(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The signed tar as a request body, read from its file in chunks (never whole), for either client."""

    def __init__(self, tar: SignedTar) -> None:
        self._tar = tar

    def __iter__(self) -> Iterator[bytes]:
        return self._tar.chunks()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._tar.chunks():
            yield chunk


def build_request(http: httpx.Client | httpx.AsyncClient, url: str, tar: SignedTar, *, stream: bool) -> httpx.Request:
    headers = {
        "Content-Type": "application/octet-stream",
        "Content-Length": str(tar.size),
        "X-Build-Signature": tar.signature,
    }
    if stream:
        headers["Accept"] = NDJSON
    # Built by the client (its default headers and timeout), then remade around the streamed body.
    template = http.build_request("POST", url + "/build", headers=headers)
    return httpx.Request(
        "POST", template.url, headers=template.headers, stream=TarUpload(tar), extensions=template.extensions
    )


@dataclasses.dataclass(frozen=True, slots=True)
class BuildInputs:
    """Everything one build needs, checked before anything is written or sent."""

    context: BuildContext
    config: BuildConfig
    secrets: dict[str, bytes]


def build_inputs(
    context: str | os.PathLike[str] | BuildContext,
    image: str,
    build_args: Mapping[str, str] | None,
    platforms: Sequence[str] | None,
    skip_push: bool,
    build_secrets: Mapping[str, str | bytes] | None,
) -> BuildInputs:
    if not isinstance(context, BuildContext):
        context = BuildContext.from_directory(context)
    if isinstance(platforms, str):
        raise TypeError("platforms must be a list of platforms such as ['linux/amd64'], not a str")
    secrets = {
        str(name): value.encode("utf-8") if isinstance(value, str) else bytes(value)
        for name, value in (build_secrets or {}).items()
    }
    config = BuildConfig(
        image=check_image(image),
        build_args=dict(build_args or {}),
        platforms=tuple(platforms or ()),
        skip_push=skip_push,
    )
    return BuildInputs(context=context, config=config, secrets=secrets)


def function_inputs(
    function: StackFunction, stack: Stack, template_dir: str | os.PathLike[str] | None, skip_push: bool
) -> BuildInputs:
    """A stack function as faas-cli's remote build sends it: the assembled context, `build_args` (with
    `build_options` packages), comma-separated `platforms`, and `build_secrets` read from their files."""
    secrets: dict[str, str | bytes] = {}
    for name, file in function.build_secrets.items():
        try:
            secrets[name] = (stack.root / file).read_bytes()
        except OSError as exc:
            raise StackError(f"functions.{function.name}.build_secrets.{name}: cannot read {file!r}: {exc.strerror}",
                             path=str(stack.path)) from None  # fmt: skip
    platforms = [p.strip() for p in (function.platforms or "").split(",") if p.strip()]
    return build_inputs(
        BuildContext.for_function(function, stack, template_dir=template_dir),
        function.image,
        build_args_for(function, stack, template_dir),
        platforms,
        skip_push,
        secrets,
    )


def hmac_key(secret: str | bytes) -> bytes:
    """The shared secret as bytes; surrounding whitespace dropped, as faas-cli does with --payload-secret files."""
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes) or not secret.strip():
        raise ValueError("hmac_secret must be a non-empty str or bytes (the builder's payload secret)")
    return secret.strip()


def builder_url(value: str) -> str:
    """The builder's base URL, normalised as a gateway URL is (`http://` added, trailing slashes dropped)."""
    try:
        url, user, _ = normalise_gateway_url(value)
    except ConfigurationError as exc:
        raise ConfigurationError(str(exc).replace("gateway URL", "builder URL")) from None
    if user:
        raise ConfigurationError("the builder URL must not hold credentials: the builder checks an HMAC signature")
    return url
