"""Result sections and their Markdown rendering."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    """A table column: the row key it shows, its header, and a format for numbers."""

    key: str
    header: str
    fmt: str = "{}"


@dataclass
class Goal:
    """One goal of a section: met (True), missed (False) or not measured (None)."""

    text: str
    met: bool | None
    detail: str = ""

    @property
    def verdict(self) -> str:
        """``met``, ``MISSED`` or ``not measured``."""
        return {True: "met", False: "MISSED", None: "not measured"}[self.met]


@dataclass
class Section:
    """One benchmark's table, goals and notes."""

    title: str
    about: str
    columns: list[Column]
    rows: list[dict[str, Cell]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    details: str = ""  # raw Markdown after the notes (e.g. an import-time profile)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "title": self.title,
            "columns": [column.key for column in self.columns],
            "rows": self.rows,
            "goals": [asdict(goal) | {"verdict": goal.verdict} for goal in self.goals],
            "notes": self.notes,
            "details": self.details,
        }


def _cell(value: Cell, fmt: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return fmt.format(value)


_ISSUE_REFERENCE = re.compile(r"\s*\((?:issue|see issue|#)\s*#?\d+\)", re.IGNORECASE)


def render(header: list[str], sections: list[Section]) -> str:
    """The whole report as Markdown: one title, then one heading per section. It is read by users, so a
    heading never carries the tracker's references (``(issue 7)``), and a section's raw details never open
    headings of their own (they are shown as bold lines)."""
    out = ["# pyopenfaas benchmarks", "", *header, ""]
    for section in sections:
        details = re.sub(r"^#+\s*(.+)$", r"**\1**", section.details, flags=re.MULTILINE)
        out += [f"## {_ISSUE_REFERENCE.sub('', section.title)}", "", section.about, ""]
        out.append("| " + " | ".join(column.header for column in section.columns) + " |")
        out.append("|" + "|".join("---" if i == 0 else "---:" for i in range(len(section.columns))) + "|")
        for row in section.rows:
            out.append("| " + " | ".join(_cell(row.get(c.key), c.fmt) for c in section.columns) + " |")
        out.append("")
        for goal in section.goals:
            detail = f": {goal.detail}" if goal.detail else ""
            out.append(f"- **{goal.verdict}**: {goal.text}{detail}")
        if section.goals:
            out.append("")
        out += [f"- {note}" for note in section.notes]
        if section.notes:
            out.append("")
        if details:
            out += [details, ""]
    return "\n".join(out).rstrip() + "\n"


def ratio(value: float | None, reference: float | None) -> float | None:
    """value / reference, or None when either is missing."""
    if value is None or not reference:
        return None
    return value / reference
