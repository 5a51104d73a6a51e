"""Counts of what the hardening tests (faults, malformed answers, bad input, secrets hygiene, concurrency) tried,
printed at the end of the run (the figures of docs/errors-and-retries.md)."""

from __future__ import annotations

import threading
from collections import Counter

_lock = threading.Lock()
counts: Counter[str] = Counter()


def add(what: str, n: int = 1) -> None:
    with _lock:
        counts[what] += n


def fault(kind: str) -> None:
    """One fault injected on a real socket."""
    add(f"fault: {kind}")
