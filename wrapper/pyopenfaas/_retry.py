"""The retry policy: which failures are worth sending again, and how long to wait first. One place, named,
and overridable: `OpenFaaS(retry_policy=RetryPolicy(...))`. How many times is `max_retries`."""

from __future__ import annotations

import dataclasses
import email.utils
import random
import ssl
import time

import httpx

__all__ = ["RetryPolicy"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """When a failed request is sent again, and after how long.

    Idempotent methods are retried on connection errors and on the gateway's `retry_statuses`; any method
    is retried when the request never left (a connect or pool failure). A certificate the client refused is
    never retried. The wait is capped exponential backoff with jitter (`initial_delay`, doubling, at most
    `max_delay`), or the answer's `Retry-After` when it is at most `max_retry_after` seconds.
    """

    retry_statuses: frozenset[int] = frozenset({502, 503, 504})
    idempotent_methods: frozenset[str] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number of seconds of 0 or more, not {value!r}")

    def is_idempotent(self, method: str) -> bool:
        """Whether a request with this method may be sent twice."""
        return method in self.idempotent_methods

    def retries_status(self, status_code: int) -> bool:
        """Whether an idempotent request that got this status is sent again."""
        return status_code in self.retry_statuses

    def retries_error(self, exc: httpx.TransportError, idempotent: bool) -> bool:
        """Whether a request that failed with `exc` is sent again: any request that never left, an idempotent
        one on any connection error, never one whose certificate the client refused (no retry changes it)."""
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ssl.SSLCertVerificationError):
                return False
            cause = cause.__cause__ or cause.__context__
        return idempotent or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1 for the first): the gateway's `Retry-After` when
        it gives a sane one, else capped exponential backoff with jitter."""
        if response is not None:
            retry_after = _retry_after(response.headers.get("Retry-After"))
            if retry_after is not None and 0 <= retry_after <= self.max_retry_after:
                return retry_after
        delay = min(self.initial_delay * 2.0 ** (attempt - 1), self.max_delay)
        return delay * (0.75 + random.random() / 4)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def check_retry_policy(value: object) -> RetryPolicy:
    if not isinstance(value, RetryPolicy):
        raise TypeError(f"retry_policy must be a RetryPolicy, not {type(value).__name__}")
    return value
