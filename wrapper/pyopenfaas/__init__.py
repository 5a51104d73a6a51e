"""pyopenfaas: the Python SDK for the OpenFaaS gateway API.

from pyopenfaas import OpenFaaS
with OpenFaaS() as client:
    client.functions.invoke("figlet", "hello")
"""

from ._async.client import AsyncOpenFaaS
from ._async.functions import AsyncFunctions
from ._async.jobs import AsyncJob, AsyncJobs
from ._async.logs import AsyncLogStream
from ._async.namespaces import AsyncNamespaces
from ._async.secrets import AsyncSecrets
from ._client import VerifyTypes
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
from ._retry import RetryPolicy
from ._sync.client import OpenFaaS
from ._sync.functions import Functions
from ._sync.jobs import Job, Jobs
from ._sync.logs import LogStream
from ._sync.namespaces import Namespaces
from ._sync.secrets import Secrets
from ._transport import CertTypes, default_async_transport
from ._types import NOT_GIVEN, AsyncData, NotGiven, Query, Since, SyncData, TimeoutTypes
from ._version import __version__ as __version__
from .auth import TokenExchangeAuth

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
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
    "QueuedInvocation",
    "RetryPolicy",
    "Secret",
    "Secrets",
    "Since",
    "StackError",
    "SyncData",
    "TimeoutTypes",
    "TokenExchangeAuth",
    "TokenExchangeError",
    "UnprocessableEntityError",
    "VerifyTypes",
    "VersionInfo",
    "default_async_transport",
]
