"""pyopenfaas: the Python SDK for the OpenFaaS gateway API.

from pyopenfaas import OpenFaaS
with OpenFaaS() as client:
    client.functions.invoke("figlet", "hello")
"""

from ._client import AsyncOpenFaaS, OpenFaaS
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
    UnprocessableEntityError,
)
from ._models import (
    AsyncInvocationResponse,
    Function,
    FunctionUsage,
    GatewayInfo,
    InvocationResponse,
    LogEntry,
    Namespace,
    ProviderInfo,
    QueuedInvocation,
    Secret,
    VersionInfo,
)
from ._version import __version__ as __version__

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncInvocationResponse",
    "AsyncOpenFaaS",
    "AuthenticationError",
    "BadRequestError",
    "BuildError",
    "ConfigurationError",
    "ConflictError",
    "Function",
    "FunctionError",
    "FunctionNotReadyError",
    "FunctionUsage",
    "GatewayInfo",
    "InternalServerError",
    "InvocationResponse",
    "LogEntry",
    "Namespace",
    "NotFoundError",
    "NotSupportedError",
    "OpenFaaS",
    "OpenFaaSError",
    "PermissionDeniedError",
    "ProviderInfo",
    "QueuedInvocation",
    "Secret",
    "StackError",
    "UnprocessableEntityError",
    "VersionInfo",
]
