"""What both builder twins share: the Function Builder's results and upload (builder-openapi.yaml, generated
into `_generated_builder`), and how a stack function becomes a build request."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import httpx

from ._build_context import BuildConfig, BuildContext, SignedTar, build_args_for
from ._config import Settings, normalise_gateway_url
from ._engine import EngineBase
from ._errors import APIResponseValidationError, BuildError, ConfigurationError, StackError, status_error
from ._generated_builder.api.builder import build
from ._generated_builder.models import BuilderPublicKey, BuildResult
from ._parse import DECODE_ERRORS, malformed
from ._stack_model import Stack, StackFunction
from ._validation import check_image

if TYPE_CHECKING:
    from ._generated_builder.types import Content, Request

FAILED = "failed"
NDJSON = "application/x-ndjson"


def builder_settings(url: str) -> Settings:
    """The engine settings of a builder client: its URL, and no credentials (the builder checks a signature)."""
    return Settings(base_url=url, auth_kind="none", namespace=None, cluster_type=None, debug=False, auth=httpx.Auth())


def upload(
    api: EngineBase, tar: SignedTar, body: Content, *, stream: bool
) -> tuple[Request[BuildResult], httpx.Request]:
    """The generated `POST /build` of the tar (`body`: its chunks, read from the file as they are sent), and its
    httpx request: sized, and asking for NDJSON when `stream`."""
    spec = build.request(body=body, x_build_signature=tar.signature)
    headers = {**(spec.headers or {}), "Content-Length": str(tar.size)}
    if stream:
        headers["Accept"] = NDJSON
    return spec, api.build_generated(spec._replace(headers=headers))


def build_answer(spec: Request[BuildResult], response: httpx.Response) -> BuildResult:
    """A build's JSON answer, decoded as its operation says: a 2xx, or the `failed` result of the builder's 500
    (any other non-2xx raises its status error)."""
    try:
        result = spec.decode(response.content)
    except DECODE_ERRORS as exc:
        if not response.is_success:
            raise status_error(response) from None
        raise malformed(response, exc) from None
    if not response.is_success and result.status != FAILED:
        raise status_error(response)
    return result


def checked_key(key: BuilderPublicKey, url: str) -> BuilderPublicKey:
    """The `/publickey` answer, when it names a key to seal to with the one algorithm there is."""
    if not key.public_key:
        raise APIResponseValidationError(f"GET {url}/publickey: no public_key in the answer")
    if key.algorithm != "nacl/box":
        raise APIResponseValidationError(f"GET {url}/publickey: unsupported build secrets algorithm {key.algorithm!r}")
    return key


def failure(result: BuildResult) -> BuildError:
    """The `BuildError` for a failed result (faas-cli's wording)."""
    return BuildError(
        f"failure while building or pushing image {result.image or '(unnamed)'}: {result.error or 'no error given'}",
        image=result.image,
        error=result.error,
        log=tuple(result.log),
    )


def stream_ended(response: httpx.Response) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{response.request.method} {response.request.url}: the build stream ended before the builder reported "
        "success or failure",
        response=response,
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
