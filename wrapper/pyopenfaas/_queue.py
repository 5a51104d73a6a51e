"""OpenFaaS Pro's queue-worker settings for one function, as the annotations it reads (docs.openfaas.com,
openfaas-pro/retries.md and reference/async.md): checked before anything is sent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

__all__ = ["QueueRetry"]

ATTEMPTS = "com.openfaas.retry.attempts"
CODES = "com.openfaas.retry.codes"
MIN_WAIT = "com.openfaas.retry.min_wait"
MAX_WAIT = "com.openfaas.retry.max_wait"
QUEUE = "com.openfaas.queue"

# Go's time.ParseDuration: "0", or signed decimal numbers each with a unit ("300ms", "1.5h", "2h45m").
_GO_DURATION = re.compile(r"0|(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+")
_UNIT_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_PART = re.compile(r"([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)")
# A queue is a NATS subject the queue-worker subscribes to (the default is "faas-request"): one token, without
# the separator ".", the wildcards "*" and ">", or white space.
_QUEUE_NAME = re.compile(r"[A-Za-z0-9_-]+")

Duration = str | timedelta | int | float


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueRetry:
    """How OpenFaaS Pro's queue-worker retries this function's asynchronous calls, and which queue they go
    to, as the annotations it reads; a setting left `None` keeps the queue-worker's default.

    `attempts`: how many times a message is tried before it is discarded (`com.openfaas.retry.attempts`);
    `codes`: the HTTP statuses from the function that are retried, e.g. `[429, 503]` (`.codes`);
    `min_wait` / `max_wait`: the first wait and the longest wait between attempts, as a Go duration (`"5s"`,
    `"1m"`), a `timedelta` or seconds (`.min_wait`, `.max_wait`); `queue`: a dedicated queue's name
    (`com.openfaas.queue`, OpenFaaS Enterprise). Invalid values raise `ValueError` here: the queue-worker
    would ignore them silently.

        client.functions.deploy("scraper", image, annotations=QueueRetry(attempts=30, codes=[429]).annotations)
    """

    attempts: int | None = None
    codes: Iterable[int] | None = None
    min_wait: Duration | None = None
    max_wait: Duration | None = None
    queue: str | None = None

    def __post_init__(self) -> None:
        if self.attempts is not None and (
            isinstance(self.attempts, bool) or not isinstance(self.attempts, int) or self.attempts < 0
        ):
            raise ValueError(f"attempts must be an int >= 0, not {self.attempts!r}")
        if self.codes is not None:
            object.__setattr__(self, "codes", _codes(self.codes))
        for field in ("min_wait", "max_wait"):
            value = getattr(self, field)
            if value is not None:
                object.__setattr__(self, field, _duration(value, field))
        both = self.min_wait is not None and self.max_wait is not None
        if both and _nanoseconds(str(self.min_wait)) > _nanoseconds(str(self.max_wait)):
            raise ValueError(f"min_wait ({self.min_wait}) is longer than max_wait ({self.max_wait})")
        if self.queue is not None and (not isinstance(self.queue, str) or not _QUEUE_NAME.fullmatch(self.queue)):
            raise ValueError(
                "queue must be a queue name (letters, digits, '-' and '_'; no '.', '*', '>' or spaces), "
                f"not {self.queue!r}"
            )

    @property
    def annotations(self) -> dict[str, str]:
        """The annotations to deploy with (merge them with your own: `{**mine, **retry.annotations}`)."""
        values = {
            ATTEMPTS: None if self.attempts is None else str(self.attempts),
            CODES: None if self.codes is None else ",".join(str(code) for code in self.codes),
            MIN_WAIT: self.min_wait,
            MAX_WAIT: self.max_wait,
            QUEUE: self.queue,
        }
        return {key: str(value) for key, value in values.items() if value is not None}

    @classmethod
    def from_annotations(cls, annotations: Mapping[str, str] | None) -> QueueRetry:
        """The settings in a function's annotations (e.g. `Function.annotations`); `ValueError` if one is invalid."""
        found = annotations or {}
        attempts = found.get(ATTEMPTS)
        codes = found.get(CODES)
        try:
            return cls(
                attempts=None if attempts is None else int(attempts),
                codes=None if codes is None else [int(code) for code in codes.split(",")],
                min_wait=found.get(MIN_WAIT),
                max_wait=found.get(MAX_WAIT),
                queue=found.get(QUEUE),
            )
        except ValueError as exc:
            raise ValueError(f"the function's queue annotations are invalid: {exc}") from None


def _codes(codes: Iterable[int]) -> tuple[int, ...]:
    if isinstance(codes, str | bytes) or not isinstance(codes, Iterable):
        raise ValueError(f"codes must be a list of HTTP status codes, not {codes!r}")
    checked = tuple(dict.fromkeys(codes))
    if not checked:
        raise ValueError("codes must name at least one HTTP status code (None keeps the queue-worker's)")
    for code in checked:
        if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599:
            raise ValueError(f"codes must be HTTP status codes (ints 100-599), not {code!r}")
    return checked


def _duration(value: object, field: str) -> str:
    """A Go duration string, from one, a `timedelta` or seconds; never negative."""
    if isinstance(value, str):
        if not _GO_DURATION.fullmatch(value):
            raise ValueError(f"{field} must be a Go duration such as '10s', '1m30s' or '500ms', not {value!r}")
        return value
    if isinstance(value, timedelta):
        microseconds = value // timedelta(microseconds=1)
    elif isinstance(value, int | float) and not isinstance(value, bool) and value == value:  # not NaN
        microseconds = round(value * 1_000_000)
    else:
        raise ValueError(f"{field} must be a Go duration str, a timedelta or seconds, not {value!r}")
    if microseconds < 0:
        raise ValueError(f"{field} cannot be negative, not {value!r}")
    if microseconds % 1_000_000 == 0:
        return f"{microseconds // 1_000_000}s"
    if microseconds % 1_000 == 0:
        return f"{microseconds // 1_000}ms"
    return f"{microseconds}us"


def _nanoseconds(value: str) -> float:
    return sum(float(number) * _UNIT_NS[unit] for number, unit in _PART.findall(value) if number not in ("", "."))
