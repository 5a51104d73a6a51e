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

if TYPE_CHECKING:
    from ._async.client import AsyncOpenFaaS
    from ._async.functions import AsyncFunctions
    from ._async.jobs import AsyncJob, AsyncJobs
    from ._async.logs import AsyncLogStream
    from ._async.namespaces import AsyncNamespaces
    from ._async.response import AsyncInvocationResponse
    from ._async.secrets import AsyncSecrets
    from ._client import VerifyTypes
    from ._defaults import (
        DEFAULT_BUILD_TIMEOUT,
        DEFAULT_CONCURRENCY,
        DEFAULT_GATEWAY_URL,
        DEFAULT_JOB_RETRY_STATUSES,
        DEFAULT_KEEPALIVE_EXPIRY,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_CONNECTIONS,
        DEFAULT_MAX_PENDING,
        DEFAULT_MAX_RETRIES,
        DEFAULT_POLL_INTERVAL,
        DEFAULT_READY_TIMEOUT,
        DEFAULT_RESUBMIT_AFTER,
        DEFAULT_RETRY_POLICY,
        DEFAULT_TIMEOUT,
        DEFAULT_TOKEN_CACHE_SIZE,
        DEFAULT_TOKEN_TIMEOUT,
        DEFAULT_USERNAME,
    )
    from ._errors import (
        APIConnectionError,
        APIResponseValidationError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        BuildError,
        ConfigurationError,
        ConflictError,
        FunctionError,
        FunctionNotReadyError,
        InternalServerError,
        NotFoundError,
        NotSupportedError,
        OpenFaaSError,
        PermissionDeniedError,
        StackError,
        TokenExchangeError,
        UnprocessableEntityError,
    )
    from ._jobs import JobResult, JobStats, JobTimeoutError
    from ._models import (
        DeployOptions,
        Function,
        FunctionUsage,
        GatewayInfo,
        LogEntry,
        Namespace,
        ProviderInfo,
        QueuedInvocation,
        Secret,
        VersionInfo,
    )
    from ._queue import QueueRetry
    from ._retry import RetryPolicy
    from ._secrets import AppliedSecret
    from ._sync.client import OpenFaaS
    from ._sync.functions import Functions
    from ._sync.jobs import Job, Jobs
    from ._sync.logs import LogStream
    from ._sync.namespaces import Namespaces
    from ._sync.response import InvocationResponse
    from ._sync.secrets import Secrets
    from ._transport import (
        CertTypes,
        default_async_transport,
    )
    from ._types import (
        NOT_GIVEN,
        AsyncData,
        NotGiven,
        Query,
        Since,
        SyncData,
        TimeoutTypes,
    )
    from .auth import MemoryTokenCache, Token, TokenCache, TokenExchangeAuth

# Where each public name lives: the same as the imports above, which type checkers and editors read.
_HOMES: dict[str, str] = {
    "AsyncOpenFaaS": "_async.client",
    "AsyncFunctions": "_async.functions",
    "AsyncLogStream": "_async.logs",
    "AsyncNamespaces": "_async.namespaces",
    "AsyncSecrets": "_async.secrets",
    "VerifyTypes": "_client",
    "DEFAULT_BUILD_TIMEOUT": "_defaults",
    "DEFAULT_CONCURRENCY": "_defaults",
    "DEFAULT_GATEWAY_URL": "_defaults",
    "DEFAULT_JOB_RETRY_STATUSES": "_defaults",
    "DEFAULT_KEEPALIVE_EXPIRY": "_defaults",
    "DEFAULT_MAX_ATTEMPTS": "_defaults",
    "DEFAULT_MAX_CONNECTIONS": "_defaults",
    "DEFAULT_MAX_PENDING": "_defaults",
    "DEFAULT_MAX_RETRIES": "_defaults",
    "DEFAULT_POLL_INTERVAL": "_defaults",
    "DEFAULT_READY_TIMEOUT": "_defaults",
    "DEFAULT_RESUBMIT_AFTER": "_defaults",
    "DEFAULT_RETRY_POLICY": "_defaults",
    "DEFAULT_TIMEOUT": "_defaults",
    "DEFAULT_TOKEN_CACHE_SIZE": "_defaults",
    "DEFAULT_TOKEN_TIMEOUT": "_defaults",
    "DEFAULT_USERNAME": "_defaults",
    "APIConnectionError": "_errors",
    "APIResponseValidationError": "_errors",
    "APIStatusError": "_errors",
    "APITimeoutError": "_errors",
    "AuthenticationError": "_errors",
    "BadRequestError": "_errors",
    "BuildError": "_errors",
    "ConfigurationError": "_errors",
    "ConflictError": "_errors",
    "FunctionError": "_errors",
    "FunctionNotReadyError": "_errors",
    "InternalServerError": "_errors",
    "NotFoundError": "_errors",
    "NotSupportedError": "_errors",
    "OpenFaaSError": "_errors",
    "PermissionDeniedError": "_errors",
    "StackError": "_errors",
    "TokenExchangeError": "_errors",
    "UnprocessableEntityError": "_errors",
    "AsyncInvocationResponse": "_async.response",
    "DeployOptions": "_models",
    "Function": "_models",
    "FunctionUsage": "_models",
    "GatewayInfo": "_models",
    "InvocationResponse": "_sync.response",
    "LogEntry": "_models",
    "Namespace": "_models",
    "ProviderInfo": "_models",
    "QueuedInvocation": "_models",
    "Secret": "_models",
    "VersionInfo": "_models",
    "QueueRetry": "_queue",
    "RetryPolicy": "_retry",
    "AsyncJob": "_async.jobs",
    "AsyncJobs": "_async.jobs",
    "Job": "_sync.jobs",
    "Jobs": "_sync.jobs",
    "JobResult": "_jobs",
    "JobStats": "_jobs",
    "JobTimeoutError": "_jobs",
    "AppliedSecret": "_secrets",
    "OpenFaaS": "_sync.client",
    "Functions": "_sync.functions",
    "LogStream": "_sync.logs",
    "Namespaces": "_sync.namespaces",
    "Secrets": "_sync.secrets",
    "CertTypes": "_transport",
    "default_async_transport": "_transport",
    "NOT_GIVEN": "_types",
    "AsyncData": "_types",
    "NotGiven": "_types",
    "Query": "_types",
    "Since": "_types",
    "SyncData": "_types",
    "TimeoutTypes": "_types",
    "MemoryTokenCache": "auth",
    "Token": "auth",
    "TokenCache": "auth",
    "TokenExchangeAuth": "auth",
}

__all__ = [
    "DEFAULT_BUILD_TIMEOUT",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_GATEWAY_URL",
    "DEFAULT_JOB_RETRY_STATUSES",
    "DEFAULT_KEEPALIVE_EXPIRY",
    "DEFAULT_MAX_ATTEMPTS",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_PENDING",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_POLL_INTERVAL",
    "DEFAULT_READY_TIMEOUT",
    "DEFAULT_RESUBMIT_AFTER",
    "DEFAULT_RETRY_POLICY",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOKEN_CACHE_SIZE",
    "DEFAULT_TOKEN_TIMEOUT",
    "DEFAULT_USERNAME",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AppliedSecret",
    "AsyncData",
    "AsyncFunctions",
    "AsyncInvocationResponse",
    "AsyncJob",
    "AsyncJobs",
    "AsyncLogStream",
    "AsyncNamespaces",
    "AsyncOpenFaaS",
    "AsyncSecrets",
    "AuthenticationError",
    "BadRequestError",
    "BuildError",
    "CertTypes",
    "ConfigurationError",
    "ConflictError",
    "DeployOptions",
    "Function",
    "FunctionError",
    "FunctionNotReadyError",
    "FunctionUsage",
    "Functions",
    "GatewayInfo",
    "InternalServerError",
    "InvocationResponse",
    "Job",
    "JobResult",
    "JobStats",
    "JobTimeoutError",
    "Jobs",
    "LogEntry",
    "LogStream",
    "MemoryTokenCache",
    "Namespace",
    "Namespaces",
    "NotFoundError",
    "NotGiven",
    "NotSupportedError",
    "OpenFaaS",
    "OpenFaaSError",
    "PermissionDeniedError",
    "ProviderInfo",
    "Query",
    "QueueRetry",
    "QueuedInvocation",
    "RetryPolicy",
    "Secret",
    "Secrets",
    "Since",
    "StackError",
    "SyncData",
    "TimeoutTypes",
    "Token",
    "TokenCache",
    "TokenExchangeAuth",
    "TokenExchangeError",
    "UnprocessableEntityError",
    "VerifyTypes",
    "VersionInfo",
    "default_async_transport",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
