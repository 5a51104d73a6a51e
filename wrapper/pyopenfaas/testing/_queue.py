"""The async queue behind ``/async-function/``: NATS and its queue workers, CE or Pro-like, with test switches.

What the real components do (gateway-api.md section 11; nats-queue-worker ``main.go``): the gateway publishes
the call and answers 202; a worker POSTs it to the function through the gateway, then POSTs the result to the
caller's ``X-Callback-Url`` once, over HTTP. Work runs on a fixed pool of threads (``workers`` x
``max_inflight``), started on the first call; timed work (Pro back-off, delayed callbacks, ``ack_wait``
redelivery) on one scheduler thread.
"""

from __future__ import annotations

import heapq
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from email.utils import formatdate
from typing import Literal

import httpx

from ._callbacks import Callback, CallbackPoster
from ._gourl import parse_problem
from ._http import Reply, empty, error

CE_BODY_LIMIT = 256_000
NATS_DOWN = "nats: outbound buffer limit exceeded"
NATS_BACK = "stan: invalid publish request"  # the first publish after NATS returns (seen on CE)
WORKER_AGENT = "openfaas-ce/nats-queue-worker"
# Function response headers the callback does not copy: Go writes the callback's own framing.
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})

Invoke = Callable[[str, str, str, httpx.Headers, bytes, str], Reply]
"""``(target, path, query, headers, body, call_id) -> Reply``: a POST to ``/function/<target><path>``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueConfig:
    """How the fake gateway's queue behaves.

    ``edition="ce"`` is the Community Edition queue worker: one call at a time per worker, a body limit of
    256,000 bytes, callbacks posted once, no retries, no cancel (``DELETE`` answers 405). ``edition="pro"``
    is like OpenFaaS Pro's: ``max_inflight`` calls at once per worker, ``body_limit`` bytes (``None``: no
    limit), failed calls retried with exponential back-off (``initial_retry_wait`` doubling up to
    ``max_retry_wait``, ``Retry-After`` honoured on 429 and 503) up to ``max_retry_attempts`` times, the
    callback carrying ``X-Retry``/``X-Retry-Max``, and ``DELETE /async-function/<call-id>`` cancelling a call.
    ``ack_wait`` (seconds): a call still running after it is delivered again, as NATS does.
    ``callback_keep_alive=True`` reuses connections to the callback receiver (the real worker sends
    ``Connection: close`` and opens one per callback); use it for throughput tests.
    ``seed`` seeds the random choices of the drop/duplicate rates. ``manual_clock=True``: the queue's time
    (back-off, ``Retry-After``, delayed callbacks, ``ack_wait``) moves only with :meth:`FakeQueue.advance`,
    for tests without waiting.
    """

    edition: Literal["ce", "pro"] = "ce"
    workers: int = 1
    max_inflight: int = 1
    body_limit: int | None = CE_BODY_LIMIT
    ack_wait: float = 30.0
    max_retry_attempts: int = 10
    initial_retry_wait: float = 10.0
    max_retry_wait: float = 120.0
    retry_codes: frozenset[int] = frozenset({408, 429, 500, 502, 504})
    callback_keep_alive: bool = False
    callback_timeout: float = 30.0
    seed: int = 0
    manual_clock: bool = False

    def __post_init__(self) -> None:
        if self.edition not in ("ce", "pro"):
            raise ValueError(f"edition must be 'ce' or 'pro', not {self.edition!r}")
        if self.workers < 1 or self.max_inflight < 1:
            raise ValueError("workers and max_inflight must be at least 1")
        if self.edition == "ce":
            if self.max_inflight != 1:
                raise ValueError("max_inflight > 1 needs edition='pro' (CE runs one call at a time per worker)")
            if self.body_limit != CE_BODY_LIMIT:
                raise ValueError(f"CE's body limit is fixed at {CE_BODY_LIMIT} bytes; use edition='pro'")
        if self.body_limit is not None and self.body_limit < 0:
            raise ValueError("body_limit cannot be negative")
        if self.ack_wait <= 0 or self.callback_timeout <= 0:
            raise ValueError("ack_wait and callback_timeout must be positive")
        if self.max_retry_attempts < 0 or self.initial_retry_wait < 0 or self.max_retry_wait < 0:
            raise ValueError("retry settings cannot be negative")


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Counters of a :class:`FakeQueue` (a snapshot).

    ``queued``: calls accepted (202); ``refused``: calls answered 500 (too large, NATS down);
    ``delivered``: deliveries to a worker (each runs the function once, unless cancelled first);
    ``redelivered``: extra deliveries (``ack_wait``); ``retried``: Pro retries scheduled;
    ``cancelled``: calls cancelled; ``callbacks_posted``: callbacks that reached the receiver (any status);
    ``callbacks_failed``: callbacks that could not be posted; ``dropped``/``duplicated``: callbacks
    withheld or posted twice by the switches; ``pending``: deliveries waiting; ``running``: deliveries
    being worked on; ``held``: callbacks held by :meth:`FakeQueue.hold_callbacks`.
    """

    queued: int = 0
    refused: int = 0
    delivered: int = 0
    redelivered: int = 0
    retried: int = 0
    cancelled: int = 0
    callbacks_posted: int = 0
    callbacks_failed: int = 0
    dropped: int = 0
    duplicated: int = 0
    pending: int = 0
    running: int = 0
    held: int = 0


_COUNTERS = tuple(f.name for f in fields(QueueStats) if f.name not in ("pending", "running", "held"))


@dataclass(slots=True, eq=False)
class _Message:
    """One published call; redelivered copies and retries share it."""

    call_id: str
    target: str
    path: str
    query: str
    headers: httpx.Headers
    body: bytes
    callback: str | None
    attempt: int = 0  # retries done so far (Pro)
    acked: bool = False  # a delivery finished: NATS delivers it no more
    cancelled: bool = False


@dataclass(slots=True, eq=False)
class _Delivery:
    """A message being worked on, and when NATS delivers it again unless it is acknowledged first."""

    message: _Message
    deadline: float
    done: bool = False


@dataclass(slots=True)
class _Failure:
    status: int | None  # None: the function cannot be reached
    retry_after: str | None
    body: bytes


@dataclass(slots=True)
class _Switches:
    """The test switches; read and changed with the queue's lock held."""

    paused: bool = False
    nats_down: bool = False
    nats_back: bool = False
    hold: bool = False
    delay: float = 0.0
    drop_next: int = 0
    drop_rate: float = 0.0
    duplicate_next: int = 0
    duplicate_rate: float = 0.0
    redeliver_next: int = 0
    redeliver_times: int = 0
    failures: deque[_Failure] = field(default_factory=deque)


class FakeQueue:
    """The fake gateway's async queue and its workers (``gateway.queue``), with switches for tests.

    Switches: :meth:`pause`/:meth:`resume` the workers, :meth:`nats_down`/:meth:`nats_up`,
    :meth:`drop_callbacks`, :meth:`duplicate_callbacks`, :meth:`delay_callbacks`,
    :meth:`hold_callbacks`/:meth:`release_callbacks` (reorder), :meth:`fail_calls`, :meth:`redeliver`.
    Counters: :attr:`stats`. Thread-safe.
    """

    def __init__(self, config: QueueConfig, invoke: Invoke, *, served_by: str) -> None:
        self.config = config
        self._invoke = invoke
        self._served_by = served_by
        self._lock = threading.Lock()
        self._work_ready = threading.Condition(self._lock)
        self._idle = threading.Condition(self._lock)
        self._timer_ready = threading.Condition(self._lock)
        self._pending: deque[_Message] = deque()
        self._running: set[_Delivery] = set()
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._by_call_id: dict[str, list[_Message]] = {}  # Pro only: what DELETE can cancel
        self._busy = 0  # deliveries pending or running: what wait_idle waits for
        self._scheduled = 0  # timers, waited for too unless the clock is manual
        self._sequence = 0
        self._counts = dict.fromkeys(_COUNTERS, 0)
        self._switches = _Switches()
        self._held: list[Callback] = []
        self._random = random.Random(config.seed)
        self._threads: list[threading.Thread] = []
        self._closed = False
        self._manual_now = 0.0
        self._poster = CallbackPoster(keep_alive=config.callback_keep_alive, timeout=config.callback_timeout)

    def __repr__(self) -> str:
        config = self.config
        return f"FakeQueue(edition={config.edition!r}, workers={config.workers}, max_inflight={config.max_inflight})"

    # The gateway's side.

    def publish(self, target: str, path: str, query: str, headers: httpx.Headers, body: bytes) -> Reply:
        """``POST /async-function/<target><path>`` once the call-id middleware ran: 202, 400 or 500."""
        callback = headers.get("X-Callback-Url") or None
        if callback is not None and (problem := parse_problem(callback)) is not None:
            return error(400, problem)
        limit = self.config.body_limit
        if limit is not None and len(body) > limit:
            if self.config.edition == "ce":
                reason = f"request body too large for OpenFaaS CE ({len(body)} bytes), maximum: {limit} bytes"
            else:
                reason = "nats: maximum payload exceeded"
            return self._refuse(reason)
        message = _Message(headers["X-Call-Id"], target, path, query, headers, body, callback)
        with self._lock:
            switches = self._switches
            if self._closed:
                return self._refuse_locked("the gateway is closed")
            if switches.nats_down:
                return self._refuse_locked(NATS_DOWN)
            if switches.nats_back:
                switches.nats_back = False
                return self._refuse_locked(NATS_BACK)
            self._counts["queued"] += 1
            if self.config.edition == "pro":
                self._by_call_id.setdefault(message.call_id, []).append(message)
            self._push_locked(message)
            if not self._threads:
                self._start_locked()
        return empty(202)

    def cancel(self, call_id: str) -> Reply:
        """``DELETE /async-function/<call-id>`` (Pro): drop the call's queued deliveries and retries, and the
        result of a running one (no callback). 202 whether or not the call is known."""
        with self._lock:
            messages = self._by_call_id.pop(call_id, [])
            for message in messages:
                message.cancelled = True
                self._counts["cancelled"] += 1
            before = len(self._pending)
            self._pending = deque(message for message in self._pending if not message.cancelled)
            self._done_locked(before - len(self._pending))
        return empty(202)

    def _refuse(self, reason: str) -> Reply:
        with self._lock:
            return self._refuse_locked(reason)

    def _refuse_locked(self, reason: str) -> Reply:
        self._counts["refused"] += 1
        return error(500, f"Error queuing request: {reason}")

    # Switches.

    def pause(self) -> None:
        """Stop the workers taking new calls (running ones finish); calls queued meanwhile wait for
        :meth:`resume`, as they do while the real queue worker is down."""
        with self._lock:
            self._switches.paused = True

    def resume(self) -> None:
        """Let the workers take calls again, those queued while paused first."""
        with self._lock:
            self._switches.paused = False
            self._work_ready.notify_all()

    def nats_down(self) -> None:
        """Make NATS unreachable: submissions get 500 ``Error queuing request: nats: outbound buffer limit
        exceeded``; calls already queued are kept."""
        with self._lock:
            self._switches.nats_down = True

    def nats_up(self) -> None:
        """Bring NATS back: the next submission still gets one 500 ``... stan: invalid publish request``."""
        with self._lock:
            if self._switches.nats_down:
                self._switches.nats_down, self._switches.nats_back = False, True

    def drop_callbacks(self, count: int = 1, *, rate: float = 0.0) -> None:
        """Do not post the next ``count`` callbacks; then drop each with probability ``rate`` (seeded)."""
        _check(count, rate)
        with self._lock:
            self._switches.drop_next, self._switches.drop_rate = count, rate

    def duplicate_callbacks(self, count: int = 1, *, rate: float = 0.0) -> None:
        """Post the next ``count`` callbacks twice; then each with probability ``rate`` (seeded)."""
        _check(count, rate)
        with self._lock:
            self._switches.duplicate_next, self._switches.duplicate_rate = count, rate

    def delay_callbacks(self, seconds: float) -> None:
        """Post each callback ``seconds`` after its call ended (0: at once); ``wait_idle`` waits for them."""
        if seconds < 0:
            raise ValueError("seconds cannot be negative")
        with self._lock:
            self._switches.delay = seconds

    def hold_callbacks(self) -> None:
        """Keep callbacks instead of posting them, until :meth:`release_callbacks` (``wait_idle`` does not
        wait for held ones; :attr:`stats` ``.held`` counts them)."""
        with self._lock:
            self._switches.hold = True

    def release_callbacks(self, order: Literal["fifo", "lifo", "shuffle"] = "fifo") -> int:
        """Stop holding and post the held callbacks now, from this thread, in ``order`` (``shuffle`` is seeded);
        the number posted."""
        if order not in ("fifo", "lifo", "shuffle"):
            raise ValueError(f"order must be 'fifo', 'lifo' or 'shuffle', not {order!r}")
        with self._lock:
            self._switches.hold = False
            held, self._held = self._held, []
            if order == "lifo":
                held.reverse()
            elif order == "shuffle":
                self._random.shuffle(held)
        for callback in held:
            self._post(callback)
        return len(held)

    def fail_calls(
        self, status: int | None = 503, *, count: int = 1, retry_after: float | str | None = None, body: bytes = b""
    ) -> None:
        """Make the next ``count`` deliveries answer ``status`` (with ``Retry-After`` and ``body``) instead of
        running the function; ``status=None``: the function cannot be reached (503, empty, no headers)."""
        if count < 0:
            raise ValueError("count cannot be negative")
        header = None if retry_after is None else str(retry_after)
        with self._lock:
            self._switches.failures.extend(_Failure(status, header, body) for _ in range(count))

    def redeliver(self, count: int = 1, *, times: int = 1) -> None:
        """Deliver each of the next ``count`` calls ``times`` more times (same call id, one callback each), as
        NATS does with a call that outlasts ``ack_wait``."""
        if count < 0 or times < 0:
            raise ValueError("count and times cannot be negative")
        with self._lock:
            self._switches.redeliver_next, self._switches.redeliver_times = count, times

    @property
    def stats(self) -> QueueStats:
        """The counters so far."""
        with self._lock:
            return QueueStats(
                **self._counts, pending=len(self._pending), running=len(self._running), held=len(self._held)
            )

    def wait_idle(self, timeout: float | None = 5.0) -> None:
        """Wait until no call is queued, running or waiting for a retry, and no callback for its delay (held
        callbacks excepted; with ``manual_clock``, what waits for :meth:`advance` too); TimeoutError otherwise."""
        with self._idle:
            if not self._idle.wait_for(self._idle_locked, timeout):
                busy = self._busy + self._scheduled
                raise TimeoutError(f"{busy} async invocation(s) still running after {timeout}s")

    def _idle_locked(self) -> bool:
        waiting = self._busy + (0 if self.config.manual_clock else self._scheduled)
        return waiting == 0 or self._closed

    def close(self) -> None:
        """Refuse new calls, finish those queued and running (unless paused), drop scheduled retries and
        delayed or held callbacks, stop the threads and close the callback connections. Idempotent."""
        with self._lock:
            self._closed = True
            threads, self._threads = self._threads, []
            self._work_ready.notify_all()
            self._timer_ready.notify_all()
        for thread in threads:
            thread.join()
        with self._lock:
            self._pending.clear()
            self._timers.clear()
            self._held.clear()
            self._busy = self._scheduled = 0
            self._idle.notify_all()
        self._poster.close()

    def advance(self, seconds: float) -> None:
        """With ``manual_clock=True``: move the queue's clock forward and do what falls due, from this thread
        (retries are queued for the workers; delayed callbacks are posted before this returns)."""
        if not self.config.manual_clock:
            raise ValueError("advance() needs QueueConfig(manual_clock=True)")
        if seconds < 0:
            raise ValueError("seconds cannot be negative")
        with self._lock:
            self._manual_now += seconds
        while (action := self._next_due()) is not None:
            try:
                action()
            finally:
                with self._lock:
                    self._done_locked(timer=True)

    def _clock(self) -> float:
        return self._manual_now if self.config.manual_clock else time.monotonic()

    def _next_due(self) -> Callable[[], None] | None:
        """The next timer that is due (taken off the heap), after redelivering overdue calls; or None."""
        with self._lock:
            now = self._clock()
            self._redeliver_overdue_locked(now)
            if self._timers and self._timers[0][0] <= now:
                return heapq.heappop(self._timers)[2]
            return None

    # Workers.

    def _start_locked(self) -> None:
        count = self.config.workers * self.config.max_inflight
        for number in range(count):
            self._threads.append(threading.Thread(target=self._work, name=f"pyopenfaas-fake-queue-{number}"))
        if not self.config.manual_clock:
            self._threads.append(threading.Thread(target=self._schedule, name="pyopenfaas-fake-queue-timers"))
        for thread in self._threads:
            thread.daemon = True
            thread.start()

    def _push_locked(self, message: _Message, *, front: bool = False) -> None:
        if front:
            self._pending.appendleft(message)
        else:
            self._pending.append(message)
        self._busy += 1
        self._work_ready.notify()

    def _done_locked(self, count: int = 1, *, timer: bool = False) -> None:
        if timer:
            self._scheduled -= count
        else:
            self._busy -= count
        if self._idle_locked():
            self._idle.notify_all()

    def _at_locked(self, delay: float, action: Callable[[], None]) -> None:
        self._sequence += 1
        heapq.heappush(self._timers, (self._clock() + delay, self._sequence, action))
        self._scheduled += 1
        self._timer_ready.notify()

    def _work(self) -> None:
        while True:
            with self._lock:
                while (self._switches.paused or not self._pending) and not self._closed:
                    self._work_ready.wait()
                if self._closed and (self._switches.paused or not self._pending):
                    return
                message = self._pending.popleft()
                delivery = _Delivery(message, self._clock() + self.config.ack_wait)
                self._running.add(delivery)
                self._counts["delivered"] += 1
                switches = self._switches
                if switches.redeliver_next:
                    switches.redeliver_next -= 1
                    for _ in range(switches.redeliver_times):
                        self._counts["redelivered"] += 1
                        self._push_locked(message)
                failure = switches.failures.popleft() if switches.failures else None
            try:
                self._deliver(delivery, failure)
            finally:
                with self._lock:
                    self._running.discard(delivery)
                    self._done_locked()

    def _deliver(self, delivery: _Delivery, failure: _Failure | None) -> None:
        started = time.perf_counter()
        message = delivery.message
        attempt = message.attempt
        reply, reached = self._call(message, failure)
        pro = self.config.edition == "pro"
        retry_in = self._retry_delay(attempt, reply, reached) if pro else None
        with self._lock:
            if message.cancelled:
                return
            message.acked = delivery.done = True
            if retry_in is not None and message.attempt == attempt:
                message.attempt += 1
                self._counts["retried"] += 1
                self._at_locked(retry_in, lambda: self._retry(message))
            elif pro and retry_in is None:
                self._forget_locked(message)
        if message.callback is None:
            return
        headers = [(name, value) for name, value in reply.headers if name.lower() not in _FRAMING]
        headers += [
            ("X-Duration-Seconds", f"{time.perf_counter() - started:f}"),
            ("X-Function-Status", str(reply.status)),
            ("X-Function-Name", message.target),
            ("X-Call-Id", message.call_id),
        ]
        if pro:
            headers += [("X-Retry", str(attempt)), ("X-Retry-Max", str(self.config.max_retry_attempts))]
        body = reply.body if isinstance(reply.body, bytes) else b""
        self._send(Callback(message.callback, headers, body))

    def _call(self, message: _Message, failure: _Failure | None) -> tuple[Reply, bool]:
        """The function's answer through the gateway, as the worker's own POST gets it, and whether the POST
        got an answer at all."""
        if failure is not None and failure.status is None:
            return Reply(503), False  # the worker's POST failed: no response, so no headers and no body
        now = time.time_ns()
        if failure is not None and failure.status is not None:
            reply = Reply(failure.status, [], failure.body)
            if failure.body:
                reply.headers.append(("Content-Type", "text/plain; charset=utf-8"))
            if failure.retry_after is not None:
                reply.headers.append(("Retry-After", failure.retry_after))
        else:
            headers = message.headers.copy()
            headers["User-Agent"] = WORKER_AGENT
            reply = self._invoke(message.target, message.path or "/", message.query, headers, message.body,
                                 message.call_id)  # fmt: skip
        # What the gateway's call-id middleware and Go's server add to the function's answer.
        reply.headers += [("X-Start-Time", str(now)), ("X-Served-By", self._served_by),
                          ("Date", formatdate(now / 1e9, usegmt=True))]  # fmt: skip
        return reply, True

    def _retry_delay(self, attempt: int, reply: Reply, reached: bool) -> float | None:
        """Seconds until the next attempt (Pro), or None when this result is final."""
        config = self.config
        internal = any(name.lower() == "x-openfaas-internal" for name, _ in reply.headers)
        retryable = not reached or reply.status in config.retry_codes or (reply.status >= 500 and internal)
        if not retryable or attempt >= config.max_retry_attempts:
            return None
        wait = min(config.initial_retry_wait * 2.0**attempt, config.max_retry_wait)
        if reply.status in (429, 503):
            after = next((value for name, value in reply.headers if name.lower() == "retry-after"), None)
            if after is not None and after.strip().isdigit():
                wait = max(float(after), config.initial_retry_wait)
        return wait

    def _retry(self, message: _Message) -> None:
        with self._lock:
            if not message.cancelled:
                message.acked = False
                self._push_locked(message)

    def _forget_locked(self, message: _Message) -> None:
        same = self._by_call_id.get(message.call_id)
        if same is not None:
            same[:] = [other for other in same if other is not message]
            if not same:
                del self._by_call_id[message.call_id]

    # Callbacks.

    def _send(self, callback: Callback) -> None:
        """Post a callback now, later, twice or never, as the switches say."""
        with self._lock:
            switches = self._switches
            if switches.drop_next or (switches.drop_rate and self._random.random() < switches.drop_rate):
                switches.drop_next = max(0, switches.drop_next - 1)
                self._counts["dropped"] += 1
                return
            copies = 1
            if switches.duplicate_next or (switches.duplicate_rate and self._random.random() < switches.duplicate_rate):
                switches.duplicate_next = max(0, switches.duplicate_next - 1)
                self._counts["duplicated"] += 1
                copies = 2
            if switches.hold:
                self._held.extend([callback] * copies)
                return
            if switches.delay:
                for _ in range(copies):
                    self._at_locked(switches.delay, lambda: self._post(callback))
                return
        for _ in range(copies):
            self._post(callback)

    def _post(self, callback: Callback) -> None:
        posted = self._poster.post(callback)
        with self._lock:
            self._counts["callbacks_posted" if posted else "callbacks_failed"] += 1

    # Timers: retries, delayed callbacks, ack_wait redelivery.

    def _schedule(self) -> None:
        while True:
            action = self._next_due()
            if action is None:
                with self._lock:
                    if self._closed:
                        return
                    now = time.monotonic()
                    # An unacknowledged call's deadline is checked at least this often (no wake-up per call).
                    wake = [now + 0.25, *(d.deadline for d in self._running if not d.done)]
                    if self._timers:
                        wake.append(self._timers[0][0])
                    self._timer_ready.wait(max(0.0, min(wake) - now))
                continue
            try:
                action()
            finally:
                with self._lock:
                    self._done_locked(timer=True)

    def _redeliver_overdue_locked(self, now: float) -> None:
        for delivery in self._running:
            if not delivery.done and not delivery.message.acked and delivery.deadline <= now:
                delivery.deadline = now + self.config.ack_wait
                self._counts["redelivered"] += 1
                self._push_locked(delivery.message, front=True)


def _check(count: int, rate: float) -> None:
    if count < 0:
        raise ValueError("count cannot be negative")
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be between 0 and 1")
