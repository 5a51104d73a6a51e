"""Function logs: one journal per deployed function, and NDJSON streams over them (tail, since, follow)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One line a function instance wrote."""

    name: str
    namespace: str
    instance: str
    timestamp: datetime
    text: str

    def ndjson(self) -> bytes:
        """The line as faas-provider's ``json.Encoder`` writes a ``logs.Message``."""
        message = {
            "name": self.name,
            "namespace": self.namespace,
            "instance": self.instance,
            "timestamp": self.timestamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "text": self.text,
        }
        return json.dumps(message, separators=(",", ":")).encode() + b"\n"


@dataclass(slots=True)
class Journal:
    """A function's log lines; ``ended`` once the function is deleted (followers then stop)."""

    entries: list[LogEntry] = field(default_factory=list)
    ended: bool = False


class LogBook:
    """Every function's journal, guarded by the gateway's one lock; followers wait on its condition."""

    def __init__(self, lock: threading.Lock) -> None:
        self.condition = threading.Condition(lock)
        self.journals: dict[tuple[str, str], Journal] = {}
        self.closed = False

    def append_locked(self, namespace: str, name: str, instance: str, text: str) -> None:
        """Append one entry per line of ``text``; the caller holds the lock."""
        journal = self.journals.get((namespace, name))
        if journal is None or journal.ended:
            return
        now = datetime.now(UTC)
        for line in text.splitlines() or [""]:
            journal.entries.append(LogEntry(name, namespace, instance, now, line))
        self.condition.notify_all()

    def append(self, namespace: str, name: str, instance: str, text: str) -> None:
        """Append one entry per line of ``text``."""
        with self.condition:
            self.append_locked(namespace, name, instance, text)

    def start_locked(self, namespace: str, name: str) -> None:
        """Give a newly deployed function a fresh journal; the caller holds the lock."""
        self.journals[(namespace, name)] = Journal()

    def end_locked(self, namespace: str, name: str) -> None:
        """Drop a deleted function's journal and end its followers; the caller holds the lock."""
        journal = self.journals.pop((namespace, name), None)
        if journal is not None:
            journal.ended = True
            self.condition.notify_all()

    def close(self) -> None:
        """End every follower."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()


class LogStream:
    """NDJSON chunks from one journal: the matching backlog, then (with follow) new lines as written.

    Iterating blocks while following; :meth:`close` (from any thread) ends it.
    """

    def __init__(
        self, book: LogBook, journal: Journal, *, instance: str, since: datetime | None, tail: int, follow: bool
    ) -> None:
        self._book = book
        self._journal = journal
        self._instance = instance
        self._since = since
        self._follow = follow
        self._closed = False
        backlog = self._matching(journal.entries)
        self._pending = backlog[-tail:] if tail > 0 else backlog
        self._position = len(journal.entries)

    def _matching(self, entries: list[LogEntry]) -> list[LogEntry]:
        return [
            entry
            for entry in entries
            if (not self._instance or entry.instance == self._instance)
            and (self._since is None or entry.timestamp >= self._since)
        ]

    def next_chunk(self, timeout: float | None = None) -> bytes | None:
        """The next lines; ``b""`` when ``timeout`` passed with nothing new; ``None`` at the end."""
        with self._book.condition:
            while True:
                if self._pending:
                    chunk = b"".join(entry.ndjson() for entry in self._pending)
                    self._pending = []
                    return chunk
                if self._closed or self._book.closed or not self._follow:
                    return None
                entries = self._journal.entries
                if self._position < len(entries):
                    self._pending = self._matching(entries[self._position :])
                    self._position = len(entries)
                    continue
                if self._journal.ended:
                    return None
                if not self._book.condition.wait(timeout):
                    return b""

    def close(self) -> None:
        """End the stream; a blocked :meth:`next_chunk` returns ``None``."""
        with self._book.condition:
            self._closed = True
            self._book.condition.notify_all()

    def __iter__(self) -> Iterator[bytes]:
        while (chunk := self.next_chunk()) is not None:
            yield chunk
