"""Counts of what the hardening tests tried, printed at the end of the run (the README's figures)."""

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
