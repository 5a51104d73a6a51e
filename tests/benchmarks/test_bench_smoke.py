"""A smoke run of the benchmarks in-process: one small section (3b, the fan-out helper) against the benchmark server,
rendered as `make bench` renders every section (no timing asserts). `make bench` itself runs them all."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from benchmarks import sections
from benchmarks.fan_out_helper import fan_out_helper
from benchmarks.harness import Meter, ServerProcess
from benchmarks.report import Section, render

TINY = dataclasses.replace(sections.QUICK, rounds=1, warmup=1, fan_out_calls=32, fan_out_in_flight=4, threads=2)


@pytest.fixture(scope="module")
def section() -> Section:
    with ServerProcess() as server:
        return fan_out_helper(Meter(server), TINY, None)


def test_the_section_has_rows_and_goals(section: Section) -> None:
    assert section.title == "3b. Fan-out helper (invoke_many)"
    assert [row["contender"] for row in section.rows] == [
        "AsyncOpenFaaS invoke_many(concurrency=4)",
        "asyncio.gather over invoke, Semaphore(4)",
        "OpenFaaS invoke_many(concurrency=2)",
        "ThreadPoolExecutor(2).map over invoke",
    ]
    assert len(section.goals) == 2
    assert all(goal.verdict in {"met", "MISSED"} for goal in section.goals)


def test_figures_are_positive_and_nothing_failed(section: Section) -> None:
    for row in section.rows:
        figures: dict[str, Any] = {key: value for key, value in row.items() if key != "contender"}
        assert not any(isinstance(value, str) for value in figures.values()), row  # a reason instead of a figure
        assert row["errors"] == 0, row
        assert all(value > 0 for key, value in figures.items() if key != "errors"), row


def test_the_report_is_a_well_formed_table(section: Section) -> None:
    markdown = render(["Measured at commit `abc1234`"], [section])
    lines = markdown.splitlines()
    assert lines[0] == "# pyopenfaas benchmarks"
    assert lines[2] == "Measured at commit `abc1234`"
    assert [line for line in lines if line.startswith("#")] == ["# pyopenfaas benchmarks", f"## {section.title}"]
    tables = [block for block in markdown.split("\n\n") if block.startswith("| ")]
    assert len(tables) == 1
    rows = tables[0].splitlines()
    assert {line.count("|") for line in rows} == {len(section.columns) + 1}
    assert len(rows) == 2 + len(section.rows)


def test_render_drops_tracker_references_and_inner_headings() -> None:
    from benchmarks.report import Column, Section, render

    section = Section("7. Something (issue 12)", "About.", [Column("op", "op")], details="### Profile\ntext")
    markdown = render(["Measured at commit `abc1234`"], [section])
    assert "## 7. Something\n" in markdown
    assert "issue" not in markdown
    assert "**Profile**" in markdown
    assert "###" not in markdown
