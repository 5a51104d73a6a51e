"""`python -m benchmarks --quick` runs every section and writes a well-formed report (no timing asserts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = [
    "1. Per-call overhead",
    "2. Concurrency",
    "3. Async transports",
    "3b. Fan-out helper (invoke_many)",
    "4. Log streaming",
    "5. Large bodies",
    "6. Build context",
    "7. Import time",
    "8. Queued jobs",
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench")
    subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--output", str(out / "B.md"), "--json", str(out / "b.json")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (out / "B.md").read_text(), json.loads((out / "b.json").read_text())


def test_every_section_has_rows_and_goals(report: tuple[str, dict[str, Any]]) -> None:
    markdown, data = report
    assert [section["title"] for section in data["sections"]] == SECTIONS
    for section in data["sections"]:
        assert section["rows"], section["title"]
        assert section["goals"], section["title"]
        assert all(goal["verdict"] in {"met", "MISSED", "not measured"} for goal in section["goals"])
        assert f"## {section['title']}" in markdown
    assert "Python 3." in markdown
    assert "CPUs" in markdown


def test_figures_are_positive_and_nothing_failed(report: tuple[str, dict[str, Any]]) -> None:
    _, data = report
    for section in data["sections"]:
        for row in section["rows"]:
            for key, value in row.items():
                if key in {"op", "contender", "statement", "direction"}:
                    continue
                assert not isinstance(value, str), f"{section['title']}: {row}"
                # Growth of RSS may be zero or slightly negative; everything else is a positive figure.
                if key not in {"growth", "errors", "connections", "rss", "rss_small", "rss_large"}:
                    assert value > 0, f"{section['title']}: {key} in {row}"


def test_markdown_tables_are_well_formed(report: tuple[str, dict[str, Any]]) -> None:
    markdown, data = report
    tables = [block for block in markdown.split("\n\n") if block.startswith("| ")]
    assert len(tables) == len(data["sections"])
    for table, section in zip(tables, data["sections"], strict=True):
        lines = table.splitlines()
        widths = {line.count("|") for line in lines}
        assert widths == {len(section["columns"]) + 1}
        assert len(lines) == 2 + len(section["rows"])


def test_the_report_names_the_commit_and_has_only_its_own_headings(report: tuple[str, dict[str, Any]]) -> None:
    markdown, _ = report
    lines = markdown.splitlines()
    assert lines[0] == "# pyopenfaas benchmarks"
    assert lines[2].startswith("Measured at commit `")
    headings = [line for line in lines if line.startswith("#")]
    assert headings == ["# pyopenfaas benchmarks"] + [f"## {title}" for title in SECTIONS]


def test_render_drops_tracker_references_and_inner_headings() -> None:
    from benchmarks.report import Column, Section, render

    section = Section("7. Something (issue 12)", "About.", [Column("op", "op")], details="### Profile\ntext")
    markdown = render(["Measured at commit `abc1234`"], [section])
    assert "## 7. Something\n" in markdown
    assert "issue" not in markdown
    assert "**Profile**" in markdown
    assert "###" not in markdown
