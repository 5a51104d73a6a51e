"""The jobs journal: every submission and every result of `client.jobs(...)`, in SQLite (stdlib `sqlite3`, WAL).

A file survives the process; the default is in memory, where a result is dropped once it was handed over
(a batch of 100,000 jobs must not hold them all). Submissions are committed before they are sent; results
are staged by the callback receiver and committed in batches (`flush`), before the receiver answers 2xx. One
connection, shared by the driver and the receiver (the sync client's receiver runs on its own thread), behind
a lock.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    call_id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    function TEXT NOT NULL,
    submitted_at REAL NOT NULL,
    attempts INTEGER NOT NULL,
    status INTEGER,
    headers TEXT,
    content BLOB,
    duration REAL,
    function_name TEXT
);
CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY);
"""


@dataclass(frozen=True, slots=True)
class Row:
    """One job as the journal knows it: `status` is None while no result is stored."""

    call_id: str
    key: str
    function: str
    submitted_at: float  # wall-clock time of the last submission
    attempts: int
    status: int | None
    headers: list[tuple[str, str]]
    content: bytes
    duration: float | None
    function_name: str | None


_SELECT = "SELECT call_id, key, function, submitted_at, attempts, status, headers, content, duration, function_name "
_BY_KEY = _SELECT + "FROM jobs WHERE key = ?"
_BY_CALL = _SELECT + "FROM jobs WHERE call_id = ?"
_UPSERT = (
    "INSERT INTO jobs (call_id, key, function, submitted_at, attempts) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (call_id) DO UPDATE SET submitted_at = excluded.submitted_at, attempts = excluded.attempts"
)


def _row(values: Any) -> Row | None:
    if values is None:
        return None
    call_id, key, function, submitted_at, attempts, status, headers, content, duration, function_name = values
    pairs = [tuple(line.split(": ", 1)) for line in headers.split("\r\n")] if headers else []
    return Row(
        call_id, key, function, float(submitted_at), int(attempts), None if status is None else int(status), pairs,
        bytes(content or b""), None if duration is None else float(duration), function_name,
    )  # fmt: skip


class Journal:
    """The SQLite journal at `path` (None: in memory)."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path or ":memory:", check_same_thread=False, isolation_level=None)
        self._staged: list[tuple[object, ...]] = []
        self._handed_over: list[tuple[str]] = []
        with self._lock:
            if self.path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                # WAL with synchronous=NORMAL: a commit survives the process being killed (not a power cut).
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)

    def add_token(self, token: str) -> set[str]:
        """Record this run's callback token; every token of the journal's runs (their callbacks are ours)."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO tokens VALUES (?)", (token,))
            return {str(value) for (value,) in self._db.execute("SELECT token FROM tokens")}

    def by_key(self, key: str) -> Row | None:
        with self._lock:
            return _row(self._db.execute(_BY_KEY, (key,)).fetchone())

    def by_call(self, call_id: str) -> Row | None:
        with self._lock:
            return _row(self._db.execute(_BY_CALL, (call_id,)).fetchone())

    def submitted(self, rows: list[tuple[str, str, str, float, int]]) -> None:
        """Record submissions `(call_id, key, function, submitted_at, attempts)`, committed before returning."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(_UPSERT, rows)
            self._db.execute("COMMIT")

    def forget(self, call_id: str) -> None:
        """Drop a submission the gateway refused."""
        with self._lock:
            self._db.execute("DELETE FROM jobs WHERE call_id = ? AND status IS NULL", (call_id,))

    def stage_result(
        self,
        call_id: str,
        status: int,
        headers: list[tuple[str, str]],
        content: bytes,
        duration: float | None,
        function_name: str | None,
    ) -> None:
        """Add a result to the next batch; it is durable once `flush` returns."""
        with self._lock:
            # Header lines as HTTP has them (a value never holds CR or LF): cheaper than JSON.
            lines = "\r\n".join(f"{name}: {value}" for name, value in headers)
            self._staged.append((status, lines, content, duration, function_name, call_id))

    def handed_over(self, call_id: str) -> None:
        """In memory, a result is kept only until it is handed to its waiter: dropped at the next flush."""
        if self.path is None:
            with self._lock:
                self._handed_over.append((call_id,))

    def flush(self) -> None:
        """Commit the staged results in one transaction."""
        with self._lock:
            staged, self._staged = self._staged, []
            handed_over, self._handed_over = self._handed_over, []
            if not staged and not handed_over:
                return
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE jobs SET status = ?, headers = ?, content = ?, duration = ?, function_name = ? "
                "WHERE call_id = ?",
                staged,
            )
            self._db.executemany("DELETE FROM jobs WHERE call_id = ?", handed_over)
            self._db.execute("COMMIT")

    def counts(self) -> tuple[int, int]:
        """(jobs, jobs with a result)."""
        with self._lock:
            total, done = self._db.execute("SELECT count(*), count(status) FROM jobs").fetchone()
            return int(total), int(done)

    def close(self) -> None:
        self.flush()
        with self._lock:
            self._db.close()
