"""The journal on its own: what it keeps across processes (a fresh connection stands for a new process)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pyopenfaas._journal import Journal


def test_submissions_and_results_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    journal = Journal(path)
    journal.submitted([("c1", "k1", "echo", 100.0, 1), ("c2", "k2", "echo", 100.0, 1)])
    journal.submitted([("c2", "k2", "echo", 200.0, 2)])  # a resubmission updates the row
    journal.stage_result("c1", 201, [("Content-Type", "text/plain")], b"one", 0.5, "echo")
    staged = Journal(path).by_call("c1")
    assert staged is not None
    assert staged.status is None  # staged is not yet durable
    journal.flush()
    journal.close()

    again = Journal(path)
    one, two = again.by_key("k1"), again.by_key("k2")
    again.close()
    assert one is not None
    assert two is not None
    assert (one.call_id, one.status, one.headers, one.content, one.duration) == (
        "c1", 201, [("Content-Type", "text/plain")], b"one", 0.5,
    )  # fmt: skip
    assert (two.status, two.submitted_at, two.attempts) == (None, 200.0, 2)


def test_a_file_journal_is_in_wal_mode_and_keeps_every_runs_token(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    first = Journal(path)
    assert first.add_token("run-1") == {"run-1"}
    first.close()
    second = Journal(path)
    assert second.add_token("run-2") == {"run-1", "run-2"}
    second.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_forget_drops_an_unanswered_submission_only(tmp_path: Path) -> None:
    journal = Journal(None)
    journal.submitted([("c1", "k1", "echo", 1.0, 1), ("c2", "k2", "echo", 1.0, 1)])
    journal.stage_result("c2", 200, [], b"", None, None)
    journal.flush()
    journal.forget("c1")
    journal.forget("c2")
    assert journal.by_key("k1") is None
    assert journal.counts() == (1, 1)
    journal.close()
