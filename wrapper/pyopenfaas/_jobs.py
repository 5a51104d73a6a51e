"""Queued jobs (`client.jobs(...)`), the part both clients share: results, settings, and the book that matches
callbacks to outstanding jobs (exactly one result per key: duplicates dropped, retryable statuses resubmitted).
The methods are in `_async/jobs.py` (and its generated sync twin); the receiver in `_receiver.py`, the journal in
`_journal.py`."""

from __future__ import annotations

import heapq
import hmac
import json as jsonlib
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from ._errors import APIStatusError, OpenFaaSError, status_error
from ._retry import RetryPolicy
from ._validation import check_callback_url

if TYPE_CHECKING:
    from ._journal import Journal, Row

__all__ = ["JobResult", "JobStats", "JobTimeoutError"]

# A callback body larger than this is refused (413): a function's answer, not a file store.
MAX_CALLBACK_BODY = 64 * 1024 * 1024
# Submissions in flight at once (POST /async-function answers at once: a few connections keep up).
SEND_CONCURRENCY = 32
# Back-off between resubmissions of a retryable result: capped, jittered, honouring Retry-After up to 10 min.
RESUBMIT_POLICY = RetryPolicy(initial_delay=1.0, max_delay=30.0, max_retry_after=600.0)
CE_BODY_LIMIT = 256_000
# Headers of the callback request itself, not of the function's answer.
_TRANSPORT_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "host", "user-agent", "accept-encoding"}
)


class JobTimeoutError(OpenFaaSError, TimeoutError):
    """A job's result did not arrive within the `timeout` given."""


@dataclass(frozen=True, slots=True)
class JobStats:
    """How a `jobs` block went so far: submissions, resubmissions (no callback in time, or a retryable status),
    callbacks dropped as duplicates, and posts the receiver refused (wrong token or path, unknown call, bad
    body)."""

    submitted: int
    resubmitted: int
    duplicates_dropped: int
    refused_posts: int
    results: int


@dataclass(eq=False, slots=True)
class JobResult:
    """The result of a queued job: the function's answer as the queue worker called back with it."""

    key: str
    status_code: int
    function_name: str
    attempts: int  # how many times the call was submitted
    call_id: str = field(repr=False)
    content: bytes = field(repr=False)
    duration_s: float | None = field(repr=False)
    _pairs: list[tuple[str, str]] = field(repr=False)
    _headers: httpx.Headers | None = field(default=None, init=False, repr=False)  # made when first asked for

    @property
    def headers(self) -> httpx.Headers:
        """The function's response headers, with the queue worker's `X-Call-Id`, `X-Function-Status`,
        `X-Function-Name` and `X-Duration-Seconds` (and OpenFaaS Pro's `X-Retry`, `X-Retry-Max`)."""
        if self._headers is None:
            self._headers = httpx.Headers(self._pairs)
        return self._headers

    @property
    def ok(self) -> bool:
        """The function answered 2xx."""
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        """The body decoded as httpx decodes an answer: by its charset, else (or when unknown) as UTF-8."""
        return httpx.Response(self.status_code, headers=self._pairs, content=self.content).text

    def json(self) -> Any:
        """The body decoded as JSON; `APIResponseValidationError` when it is not JSON."""
        from ._errors import APIResponseValidationError

        try:
            return jsonlib.loads(self.content)
        except ValueError as exc:
            raise APIResponseValidationError(f"job {self.key!r}: the result is not JSON: {exc}") from None

    def raise_for_status(self) -> None:
        """Raise `FunctionError` when the function did not answer 2xx."""
        if not self.ok:
            request = httpx.Request("POST", f"http://gateway/function/{self.function_name}")
            response = httpx.Response(self.status_code, headers=self.headers, content=self.content, request=request)
            error = status_error(response, function=True)
            error.args = (f"job {self.key!r} (call {self.call_id}): {error.args[0]}",)
            raise error


def result_from_row(row: Row) -> JobResult:
    assert row.status is not None
    return JobResult(
        row.key, row.status, row.function_name or row.function, row.attempts, row.call_id, row.content,
        row.duration, row.headers,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class JobSettings:
    host: str
    port: int
    public_url: str | None
    journal: str | os.PathLike[str] | None
    resubmit_after: float
    retry_statuses: frozenset[int]
    max_attempts: int


def job_settings(
    listen: str,
    public_url: str | None,
    journal: str | os.PathLike[str] | None,
    resubmit_after: float,
    retry_statuses: Iterable[int],
    max_attempts: int,
) -> JobSettings:
    """`client.jobs(...)`'s arguments, checked before anything starts."""
    if not isinstance(listen, str):
        raise TypeError(f"listen must be a 'host:port' str, not {type(listen).__name__}")
    host, colon, port_text = listen.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not colon or not host or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"invalid listen {listen!r}: give 'host:port', e.g. '127.0.0.1:0' (0: any free port)")
    if public_url is not None:
        check_callback_url(public_url)
        if httpx.URL(public_url).query or httpx.URL(public_url).fragment:
            raise ValueError(f"invalid public_url {public_url!r}: no query string or fragment")
    elif host in ("0.0.0.0", "::"):  # noqa: S104 (a check, not a bind)
        raise ValueError(f"listen={listen!r} is every interface: give public_url, the address the queue worker reaches")
    if journal is not None and not isinstance(journal, str | os.PathLike):
        raise TypeError(f"journal must be a file path or None, not {type(journal).__name__}")
    if isinstance(resubmit_after, bool) or not isinstance(resubmit_after, int | float) or not resubmit_after > 0:
        raise ValueError(f"resubmit_after must be a positive number of seconds, not {resubmit_after!r}")
    statuses = frozenset(retry_statuses)
    if any(isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 599 for code in statuses):
        raise ValueError(f"retry_statuses must be HTTP statuses (100-599), not {tuple(retry_statuses)!r}")
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise ValueError(f"max_attempts must be an int of 1 or more, not {max_attempts!r}")
    return JobSettings(host, int(port_text), public_url, journal, float(resubmit_after), statuses, max_attempts)


def check_key(key: object) -> str:
    if not isinstance(key, str) or not key or any(ord(char) < 0x20 for char in key):
        raise ValueError(f"a job key must be a non-empty str without control characters, not {key!r}")
    return key


def check_job_data(data: object, json: object) -> None:
    """A job's body must be sent again on resubmission: bytes, str or `json`, not a file or an iterator."""
    if data is not None and json is not None:
        raise ValueError("give data or json, not both")
    if data is not None and not isinstance(data, bytes | str):
        raise TypeError(f"job data must be bytes or str (it may be sent more than once), not {type(data).__name__}")


def check_map(max_pending: int, timeout: float | None) -> None:
    if isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1:
        raise ValueError(f"max_pending must be an int of 1 or more, not {max_pending!r}")
    check_timeout(timeout)


def check_timeout(timeout: float | None) -> None:
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        raise ValueError(f"timeout must be a positive number of seconds or None, not {timeout!r}")


def too_large(error: APIStatusError, size: int) -> APIStatusError:
    """The gateway's 500 for a body over its limit, saying so (OpenFaaS CE: 256,000 bytes)."""
    if error.status_code == 500 and "too large" in error.body:
        error.args = (
            f"{error.args[0]} (the gateway refused the job's body as too large: {size:,} bytes; "
            f"OpenFaaS CE accepts at most {CE_BODY_LIMIT:,})",
        )
    return error


@dataclass(eq=False, slots=True)
class Entry:
    """An outstanding job: what it needs to be submitted again, and when."""

    key: str
    call_id: str
    name: str
    send: dict[str, Any]  # invoke_async's keyword arguments
    attempts: int
    due: float  # monotonic: resubmit then (no callback by then, or a retryable status's back-off)
    group: Group


@dataclass(eq=False)
class Group:
    """The jobs one `map` (or one `submit`) waits for: their results as they arrive, and their deadlines."""

    results: deque[JobResult] = field(default_factory=deque)
    outstanding: int = 0
    heap: list[tuple[float, int, Entry]] = field(default_factory=list)
    error: BaseException | None = None
    closed: bool = False


class JobBook:
    """Outstanding jobs by call id, shared by the driver and the receiver (which may run on another thread)."""

    def __init__(self, journal: Journal, settings: JobSettings, tokens: set[str], notify: Callable[[], None]) -> None:
        self.journal = journal
        self.settings = settings
        self._tokens = [token.encode() for token in tokens]
        self.notify = notify
        self.lock = threading.Lock()
        self.entries: dict[str, Entry] = {}
        self.keys: set[str] = set()  # of the outstanding entries
        # Call ids whose result is staged but not yet committed (once committed, the journal says they are done).
        self.staging: set[str] = set()
        # With the journal in memory, results handed over are dropped from it: their call ids stay, to tell duplicates.
        self.handed_over: set[str] = set()
        self._seq = 0
        self.submitted = 0
        self.resubmitted = 0
        self.duplicates = 0
        self.refused = 0
        self.results = 0

    def stats(self) -> JobStats:
        with self.lock:
            return JobStats(self.submitted, self.resubmitted, self.duplicates, self.refused, self.results)

    def token_ok(self, path: str) -> bool:
        """The last path segment is one of this journal's callback tokens (compared in constant time)."""
        given = path.rsplit("/", 1)[-1].encode()
        return any(hmac.compare_digest(given, token) for token in self._tokens)

    def refuse(self) -> None:
        with self.lock:
            self.refused += 1

    def schedule(self, entry: Entry, due: float) -> None:
        """Under `lock`."""
        entry.due = due
        self._seq += 1
        heapq.heappush(entry.group.heap, (due, self._seq, entry))

    def adopt(
        self, key: str, name: str, send: dict[str, Any], group: Group, now: float
    ) -> tuple[Entry | None, JobResult | None]:
        """The job for `key`: its stored result, or an outstanding entry (a new one has `attempts == 0`: record
        and send it; one of an earlier run is resubmitted once its `resubmit_after` is past)."""
        with self.lock:
            if key in self.keys:
                raise ValueError(f"job key {key!r} is already outstanding in this jobs block")
            row = self.journal.by_key(key)
            if row is not None and row.status is None and row.call_id in self.staging:
                self.journal.flush()  # its result came in and is being committed: wait for it
                row = self.journal.by_key(key)
            if row is not None and row.status is not None:
                return None, result_from_row(row)
            if row is None:
                entry = Entry(key, str(uuid.uuid4()), name, send, 0, now + self.settings.resubmit_after, group)
            else:
                due = wall_to_monotonic(row.submitted_at + self.settings.resubmit_after)
                entry = Entry(key, row.call_id, name, send, row.attempts, due, group)
            self.entries[entry.call_id] = entry
            self.keys.add(key)
            group.outstanding += 1
            self.schedule(entry, entry.due)
            return entry, None

    def sending(self, entries: list[Entry]) -> list[tuple[str, str, str, float, int]]:
        """New entries about to be sent: counted; their journal rows."""
        wall = time.time()
        with self.lock:
            for entry in entries:
                entry.attempts = 1
            self.submitted += len(entries)
        return [(entry.call_id, entry.key, entry.name, wall, 1) for entry in entries]

    def forget(self, entry: Entry) -> None:
        """A submission the gateway refused: no longer outstanding, nor in the journal."""
        with self.lock:
            if self.entries.pop(entry.call_id, None) is not None:
                self.keys.discard(entry.key)
                entry.group.outstanding -= 1
        self.journal.forget(entry.call_id)

    def due(self, group: Group, now: float) -> list[Entry]:
        """The group's jobs to submit again now, their attempts counted and next deadline set."""
        found = []
        with self.lock:
            heap = group.heap
            while heap and heap[0][0] <= now:
                due, _, entry = heapq.heappop(heap)
                if entry.due == due and self.entries.get(entry.call_id) is entry:
                    entry.attempts += 1
                    self.resubmitted += 1
                    self.submitted += 1
                    self.schedule(entry, now + self.settings.resubmit_after)
                    found.append(entry)
            if len(heap) > 2 * group.outstanding + 256:
                # Deadlines of finished jobs linger until due: drop them (and the bodies they hold) now and then.
                heap[:] = [
                    item for item in heap if item[2].due == item[0] and self.entries.get(item[2].call_id) is item[2]
                ]
                heapq.heapify(heap)
        return found

    def next_due(self, group: Group) -> float | None:
        with self.lock:
            return group.heap[0][0] if group.heap else None

    def release(self, group: Group) -> None:
        """Forget the group's outstanding jobs (the journal keeps them; a later run picks them up)."""
        with self.lock:
            group.closed = True
            for call_id in [call_id for call_id, entry in self.entries.items() if entry.group is group]:
                self.keys.discard(self.entries.pop(call_id).key)
            group.heap.clear()

    def callback(
        self, call_id: str, status: int, headers: Mapping[str, str], content: bytes, now: float
    ) -> tuple[bool, Entry | None, JobResult | None] | None:
        """Decide what a callback is: None when it is refused (not one of ours), else `(accepted, entry, result)`
        where `result` is set when it is final (staged in the journal: flush, then `deliver`)."""
        settings = self.settings
        with self.lock:
            if call_id in self.staging or call_id in self.handed_over:
                self.duplicates += 1
                return True, None, None
            entry = self.entries.get(call_id)
            row = None
            if entry is None:
                row = self.journal.by_call(call_id)
                if row is None:
                    self.refused += 1
                    return None
                if row.status is not None:
                    self.duplicates += 1
                    return True, None, None
            attempts = entry.attempts if entry is not None else row.attempts  # type: ignore[union-attr]
            if _pro_will_retry(headers, status):
                if entry is not None:  # the queue worker tries again itself: wait for its next callback
                    self.schedule(entry, now + settings.resubmit_after)
                return True, None, None
            if status in settings.retry_statuses and attempts < settings.max_attempts:
                if entry is not None:
                    response = httpx.Response(status, headers={"Retry-After": headers.get("Retry-After", "")})
                    self.schedule(entry, now + RESUBMIT_POLICY.delay(attempts, response))
                    self.notify()
                # else a job of an earlier run that no map has picked up: it resubmits when its time is past
                return True, None, None
            key = entry.key if entry is not None else row.key  # type: ignore[union-attr]
            function = entry.name if entry is not None else row.function  # type: ignore[union-attr]
            pairs = [(name, value) for name, value in headers.items() if name.lower() not in _TRANSPORT_HEADERS]
            result = JobResult(
                key, status, headers.get("X-Function-Name") or function, attempts, call_id, content,
                _float(headers.get("X-Duration-Seconds")), pairs,
            )  # fmt: skip
            self.staging.add(call_id)
            if entry is not None:
                del self.entries[call_id]
                self.keys.discard(key)
            self.journal.stage_result(call_id, status, pairs, content, result.duration_s, result.function_name)
            return True, entry, result

    def deliver(self, entry: Entry | None, result: JobResult) -> None:
        """A final result is durable: hand it to whoever waits for it."""
        with self.lock:
            self.results += 1
            self.staging.discard(result.call_id)
            if entry is not None and not entry.group.closed:
                entry.group.results.append(result)
                entry.group.outstanding -= 1
                if self.journal.path is None:
                    self.handed_over.add(result.call_id)
                    self.journal.handed_over(result.call_id)
        self.notify()

    def fail(self, group: Group, error: BaseException) -> None:
        with self.lock:
            if group.error is None:
                group.error = error
        self.notify()


def _pro_will_retry(headers: Mapping[str, str], status: int) -> bool:
    """OpenFaaS Pro's queue worker retries a failed call itself, with `X-Retry` below `X-Retry-Max`."""
    try:
        retry, most = int(headers["X-Retry"]), int(headers["X-Retry-Max"])
    except (KeyError, ValueError):
        return False
    return not 200 <= status < 300 and retry < most


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def wall_to_monotonic(wall: float) -> float:
    """A wall-clock moment (from the journal) on this process's monotonic clock."""
    return time.monotonic() + (wall - time.time())
