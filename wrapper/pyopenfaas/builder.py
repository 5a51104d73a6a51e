"""The OpenFaaS Function Builder API: build and push function images from source, sync or async.

>>> from pyopenfaas.builder import FunctionBuilder
>>> with FunctionBuilder("http://127.0.0.1:8081", hmac_secret=payload_secret) as builder:
...     for result in builder.build_stream("./build/hello", "ttl.sh/hello:1h"):
...         print(*result.log, sep="\\n")

Build secrets (`build_secrets=`) are sealed with PyNaCl: `pip install 'pyopenfaas[builder]'`; the same
envelope format (`faas-cli secret seal`) is opened with `unseal_secrets`, and `generate_key_pair` makes keys.
"""

from ._async.builder import AsyncFunctionBuilder
from ._build_context import BuildConfig, BuildContext
from ._errors import BuildError
from ._generated_builder.models import BuilderPublicKey, BuildResult
from ._public import publish
from ._seal import KeyPair, derive_key_id, generate_key_pair, seal_secrets, unseal_secrets
from ._sync.builder import FunctionBuilder

__all__ = [
    "AsyncFunctionBuilder",
    "BuildConfig",
    "BuildContext",
    "BuildError",
    "BuildResult",
    "BuilderPublicKey",
    "FunctionBuilder",
    "KeyPair",
    "derive_key_id",
    "generate_key_pair",
    "seal_secrets",
    "unseal_secrets",
]


publish(__name__, globals())
