"""pyopenfaas: the Python SDK for the OpenFaaS gateway API.

from pyopenfaas import OpenFaaS
with OpenFaaS() as client:
    client.functions.invoke("figlet", "hello")

The names load on first use (PEP 562), so `import pyopenfaas.function` in a function's handler stays light:
it does not import httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__ as __version__

if TYPE_CHECKING:  # what type checkers read (a `*` imports the module's `__all__`); `_HOMES` below says the same
    from ._async.client import AsyncOpenFaaS as AsyncOpenFaaS
    from ._async.functions import AsyncFunctions as AsyncFunctions
    from ._async.jobs import AsyncJob as AsyncJob
    from ._async.jobs import AsyncJobs as AsyncJobs
    from ._async.logs import AsyncLogStream as AsyncLogStream
    from ._async.namespaces import AsyncNamespaces as AsyncNamespaces
    from ._async.response import AsyncInvocationResponse as AsyncInvocationResponse
    from ._async.secrets import AsyncSecrets as AsyncSecrets
    from ._client import VerifyTypes as VerifyTypes
    from ._defaults import *  # noqa: F403
    from ._errors import *  # noqa: F403
    from ._jobs import *  # noqa: F403
    from ._models import *  # noqa: F403
    from ._queue import *  # noqa: F403
    from ._retry import *  # noqa: F403
    from ._secrets import AppliedSecret as AppliedSecret
    from ._sync.client import OpenFaaS as OpenFaaS
    from ._sync.functions import Functions as Functions
    from ._sync.jobs import Job as Job
    from ._sync.jobs import Jobs as Jobs
    from ._sync.logs import LogStream as LogStream
    from ._sync.namespaces import Namespaces as Namespaces
    from ._sync.response import InvocationResponse as InvocationResponse
    from ._sync.secrets import Secrets as Secrets
    from ._transport import *  # noqa: F403
    from ._types import *  # noqa: F403
    from .auth import MemoryTokenCache as MemoryTokenCache
    from .auth import Token as Token
    from .auth import TokenCache as TokenCache
    from .auth import TokenExchangeAuth as TokenExchangeAuth

# Where each public name lives, by module: names load on first use (a test checks this agrees with the imports above).
_HOMES: dict[str, str] = {
    "_async.client": "AsyncOpenFaaS",
    "_async.functions": "AsyncFunctions",
    "_async.jobs": "AsyncJob AsyncJobs",
    "_async.logs": "AsyncLogStream",
    "_async.namespaces": "AsyncNamespaces",
    "_async.response": "AsyncInvocationResponse",
    "_async.secrets": "AsyncSecrets",
    "_client": "VerifyTypes",
    "_defaults": (
        "DEFAULT_BUILD_TIMEOUT DEFAULT_CONCURRENCY DEFAULT_GATEWAY_URL DEFAULT_JOB_RETRY_STATUSES "
        "DEFAULT_KEEPALIVE_EXPIRY DEFAULT_MAX_ATTEMPTS DEFAULT_MAX_CONNECTIONS DEFAULT_MAX_PENDING "
        "DEFAULT_MAX_RETRIES DEFAULT_POLL_INTERVAL DEFAULT_READY_TIMEOUT DEFAULT_RESUBMIT_AFTER "
        "DEFAULT_RETRY_POLICY DEFAULT_TIMEOUT DEFAULT_TOKEN_CACHE_SIZE DEFAULT_TOKEN_TIMEOUT "
        "DEFAULT_USERNAME"
    ),
    "_errors": (
        "APIConnectionError APIResponseValidationError APIStatusError APITimeoutError AuthenticationError "
        "BadRequestError BuildError ConfigurationError ConflictError FunctionError FunctionNotReadyError "
        "InternalServerError NotFoundError NotSupportedError OpenFaaSError PermissionDeniedError StackError "
        "TokenExchangeError UnprocessableEntityError"
    ),
    "_jobs": "JobResult JobStats JobTimeoutError",
    "_models": (
        "DeployOptions Function FunctionUsage GatewayInfo LogEntry Namespace ProviderInfo QueuedInvocation "
        "Secret VersionInfo"
    ),
    "_queue": "QueueRetry",
    "_retry": "RetryPolicy",
    "_secrets": "AppliedSecret",
    "_sync.client": "OpenFaaS",
    "_sync.functions": "Functions",
    "_sync.jobs": "Job Jobs",
    "_sync.logs": "LogStream",
    "_sync.namespaces": "Namespaces",
    "_sync.response": "InvocationResponse",
    "_sync.secrets": "Secrets",
    "_transport": "CertTypes default_async_transport",
    "_types": "NOT_GIVEN AsyncData NotGiven Query Since SyncData TimeoutTypes",
    "auth": "MemoryTokenCache Token TokenCache TokenExchangeAuth",
}
_HOME = {name: module for module, names in _HOMES.items() for name in names.split()}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    import_module("._public", __name__).publish()  # every name loaded so far reports `pyopenfaas`
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
