# Generated from _async/jobs.py by tools/unasync.py (`make unasync`): do not edit.
"""`client.jobs(...)`: queued invocations you can wait on, with a callback receiver, a journal, resubmission and
de-duplication (exactly one result per key)."""

from __future__ import annotations

import json as jsonlib
import time
import uuid
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from .._defaults import DEFAULT_MAX_PENDING
from .._errors import APIStatusError, OpenFaaSError, not_supported, status_error
from .._jobs import (
    SEND_CONCURRENCY,
    Entry,
    Group,
    JobBook,
    JobResult,
    JobSettings,
    JobStats,
    JobTimeoutError,
    check_job_data,
    check_key,
    check_map,
    check_timeout,
    too_large,
)
from .._public import publish
from .._types import Query
from .._validation import check_bool, check_headers, check_name, check_sub_path
from .._waiting import Senders, Signal
from .engine import Engine
from .functions import Functions
from .pool import Closing

if TYPE_CHECKING:
    from .._receiver import ReceiverServer

# Cancelling needs OpenFaaS Pro: the Community Edition answers DELETE /async-function with 405.
_NO_CANCEL = frozenset({404, 405, 501})


@dataclass(eq=False, slots=True)
class Job:
    """A submitted job: `key`, `call_id`, and `await job.result()`."""

    key: str
    call_id: str
    _jobs: Jobs = field(repr=False)
    _group: Group = field(repr=False)
    _result: JobResult | None = field(repr=False)
    _cancelled: bool = field(default=False, init=False, repr=False)

    def result(self, timeout: float | None = None) -> JobResult:
        """The job's result, once the queue worker called back (resubmitting it when none comes within
        `resubmit_after`); `JobTimeoutError` after `timeout` seconds."""
        check_timeout(timeout)
        if self._result is None:
            if self._cancelled:
                raise OpenFaaSError(f"job {self.key!r} was cancelled")
            deadline = None if timeout is None else time.monotonic() + timeout
            self._result = self._jobs._next(self._group, deadline)
        return self._result


class Jobs(Closing):
    """Queued jobs for the duration of an `async with` block: `client.jobs(...)`.

    A callback receiver runs while the block does, at `address` (its base URL; the callback URLs add a secret
    token, never shown); submissions go to `POST /async-function/<name>`. Counters are in `stats`.
    """

    def __init__(self, functions: Functions, api: Engine, settings: JobSettings) -> None:
        self._functions = functions
        self._api = api
        self._settings = settings
        self._book: JobBook | None = None
        self._finished: JobBook | None = None  # after the block: its counters stay readable
        self._server: ReceiverServer | None = None
        self._senders = Senders(SEND_CONCURRENCY)
        self._signal = Signal()
        self._callback_url = ""
        self.address: str | None = None

    def __enter__(self) -> Self:
        # Loaded here, not at `import pyopenfaas`: asyncio, aiohttp and sqlite3 are for programs that use jobs.
        from secrets import token_urlsafe

        from .._journal import Journal
        from .._receiver import ReceiverServer, receiver_app

        settings = self._settings
        journal = Journal(settings.journal)
        token = token_urlsafe(32)  # this run's: callback URLs carry it, anything posted without it is refused
        try:
            tokens = journal.add_token(token)
            book = JobBook(journal, settings, tokens, self._signal.notify)
            server = ReceiverServer(receiver_app(book))
            host, port = server.start(settings.host, settings.port)
        except BaseException:
            journal.close()
            raise
        self._book, self._server = book, server
        if settings.public_url is not None:
            self.address = settings.public_url.rstrip("/")
        else:
            self.address = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        self._callback_url = f"{self.address}/{token}"
        return self

    def close(self) -> None:
        """Stop the receiver (submissions in flight are finished or cancelled) and close the journal."""
        book, server, self._book, self._server = self._book, self._server, None, None
        self._finished = book or self._finished
        self._senders.close()
        if server is not None:
            server.stop()
        if book is not None:
            book.journal.close()

    @property
    def stats(self) -> JobStats:
        """Submissions, resubmissions, duplicate callbacks dropped, refused posts and results so far (also
        after the block)."""
        book = self._book or self._finished
        if book is None:
            return JobStats(0, 0, 0, 0, 0)
        return book.stats()

    def submit(
        self,
        name: str,
        data: bytes | str | None = None,
        *,
        json: Any = None,
        key: str | None = None,
        namespace: str | None = None,
        path: str = "",
        query: Query = None,
        headers: Mapping[str, str] | None = None,
        function_auth: bool = False,
    ) -> Job:
        """Queue one call (`POST /async-function/<name>`) and return its `Job`. `key` names the job in the
        journal (default: a fresh id): with a journal file, a key with a stored result is not sent again, and one
        still outstanding from an earlier run is waited for. The body (bytes, str or `json`) is kept to submit it
        again."""
        book = self._open()
        check_name(name)
        check_job_data(data, json)
        check_sub_path(path)
        check_headers(headers)
        check_bool(function_auth, "function_auth")
        send = {"data": data, "json": json, "namespace": namespace, "path": path, "query": query, "headers": headers,
                "function_auth": function_auth or None}  # as `invoke_async` takes them  # fmt: skip
        if key is not None:
            check_key(key)
        group = Group()
        entry, stored = book.adopt(key or str(uuid.uuid4()), name, send, group, time.monotonic())
        if entry is None:
            assert stored is not None
            return Job(stored.key, stored.call_id, self, group, stored)
        job = Job(entry.key, entry.call_id, self, group, None)
        if entry.attempts == 0:
            book.journal.submitted(book.sending([entry]))
            try:
                self._submit(entry)
            except BaseException:
                book.forget(entry)
                raise
        return job

    def map(
        self,
        name: str,
        inputs: Iterable[bytes | str],
        *,
        keys: Iterable[str] | None = None,
        max_pending: int = DEFAULT_MAX_PENDING,
        timeout: float | None = None,
    ) -> Generator[JobResult, None]:
        """Submit `name` once per input, at most `max_pending` outstanding, and yield each input's `JobResult`
        as it completes: exactly one per input. `keys` name the inputs (default: their index, "0", "1", ...);
        with a journal, the results an earlier run stored are yielded first, without sending again. A job
        with no callback within `resubmit_after` is submitted again (same call id), as is one whose status is
        retryable (with back-off) until `max_attempts`. `JobTimeoutError` when `timeout` seconds pass first."""
        book = self._open()
        check_name(name)
        check_map(max_pending, timeout)
        if isinstance(inputs, bytes | str) or not isinstance(inputs, Iterable):
            raise TypeError(f"inputs must be an iterable of bytes or str, not {type(inputs).__name__}")
        if keys is not None and (isinstance(keys, bytes | str) or not isinstance(keys, Iterable)):
            raise TypeError(f"keys must be an iterable of str, not {type(keys).__name__}")
        return self._map(book, name, inputs, keys, max_pending, timeout)

    def _map(
        self,
        book: JobBook,
        name: str,
        inputs: Iterable[bytes | str],
        keys: Iterable[str] | None,
        max_pending: int,
        timeout: float | None,
    ) -> Generator[JobResult, None]:
        group = Group()
        deadline = None if timeout is None else time.monotonic() + timeout
        pairs = iter(zip(keys, inputs, strict=True) if keys is not None else enumerate(inputs))
        given: set[str] = set()
        exhausted = False
        try:
            while True:
                fresh: list[Entry] = []
                while not exhausted and group.outstanding < max_pending:
                    try:
                        label, data = next(pairs)
                    except StopIteration:
                        exhausted = True
                        break
                    key = check_key(str(label) if keys is None else label)
                    if key in given:
                        raise ValueError(f"job key {key!r} appears twice in this map")
                    given.add(key)
                    check_job_data(data, None)
                    entry, stored = book.adopt(key, name, {"data": data}, group, time.monotonic())
                    if stored is not None:
                        yield stored
                    elif entry is not None and entry.attempts == 0:
                        fresh.append(entry)
                self._start(book, fresh)
                if exhausted and group.outstanding == 0 and not group.results:
                    return
                yield self._next(group, deadline)
                while group.results:
                    yield group.results.popleft()
        finally:
            book.release(group)

    def cancel(self, job: Job) -> None:
        """Cancel a queued or running job (`DELETE /async-function/<call-id>`, OpenFaaS Pro); it then has no
        result. `NotSupportedError` from a gateway that cannot cancel (the Community Edition)."""
        if not isinstance(job, Job):
            raise TypeError(f"cancel takes a job from submit(), not {type(job).__name__}")
        book = self._open()
        request = self._api.build("DELETE", f"/async-function/{job.call_id}")
        response = self._api.send(request, retry_safe=True)
        if response.status_code in _NO_CANCEL:
            raise not_supported("DELETE", str(request.url), "this gateway cannot cancel queued calls (OpenFaaS Pro)")
        if not response.is_success:
            raise status_error(response)
        job._cancelled = True
        book.release(job._group)

    def _open(self) -> JobBook:
        if self._book is None:
            raise RuntimeError("use client.jobs(...) as a context manager: its receiver runs inside the block")
        return self._book

    def _start(self, book: JobBook, entries: list[Entry]) -> None:
        """Record new submissions in the journal, then send them."""
        if entries:
            book.journal.submitted(book.sending(entries))
            for entry in entries:
                self._senders.start(self._send, book, entry)

    def _next(self, group: Group, deadline: float | None) -> JobResult:
        """The group's next result, resubmitting what is due meanwhile."""
        book = self._open()
        while True:
            seen = self._signal.generation
            if group.results:
                return group.results.popleft()
            if group.error is not None:
                error, group.error = group.error, None
                raise error
            now = time.monotonic()
            due = book.due(group, now)
            if due:
                wall = time.time()
                book.journal.submitted([(e.call_id, e.key, e.name, wall, e.attempts) for e in due])
                for entry in due:
                    self._senders.start(self._send, book, entry)
                continue
            if deadline is not None and now >= deadline:
                raise JobTimeoutError(f"{group.outstanding} job(s) still without a result after the timeout")
            wake = book.next_due(group)
            limits = [moment - now for moment in (wake, deadline) if moment is not None]
            self._signal.wait(seen, max(0.0, min(limits)) if limits else None)

    def _send(self, book: JobBook, entry: Entry) -> None:
        try:
            self._submit(entry)
        except Exception as exc:  # raised by the map or result() that waits for this job
            book.fail(entry.group, exc)

    def _submit(self, entry: Entry) -> None:
        try:
            self._functions.invoke_async(
                entry.name, callback_url=self._callback_url, call_id=entry.call_id, **entry.send
            )
        except APIStatusError as exc:
            raise too_large(exc, _size(entry.send)) from None

    def __repr__(self) -> str:
        state = f"receiver at {self.address}" if self._book is not None else "closed"
        journal = self._settings.journal
        return f"<{type(self).__name__} {state}, journal={'memory' if journal is None else str(journal)!r}>"


def _size(send: Mapping[str, Any]) -> int:
    data = send.get("data")
    if isinstance(data, bytes | str):
        return len(data.encode() if isinstance(data, str) else data)
    return len(jsonlib.dumps(send.get("json")).encode())


publish("pyopenfaas", globals(), "Jobs", "Job")
