"""The guide pages as a reader runs them: their Python blocks, in order, and the output each one shows.

Conventions (CONTRIBUTING.md, "Runnable pages"):

- A ```` ```python ```` fence at the start of a line is a visible block: the reader copies it, and the runner
  runs it. The blocks of a page run top to bottom in one process, sharing one namespace.
- An ``Output:`` line, then a ```` ```text ```` fence, right after a visible block (blank lines between only)
  is what that block prints. In it, ``...`` matches any text within a line, and a line holding only ``...``
  any number of lines.
- ``<!-- invisible-code-block: python`` ... ``-->`` is a hidden block: it runs after the visible block before
  it and may only check (assert). It sees the visible blocks' names; what it defines (a helper for later
  checks) is seen by later hidden blocks only, never by the visible ones.
- ``<!-- skip: next "reason" -->`` leaves the next visible block out (the reader is told why in the prose).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"^(```+)\s*([\w+-]*)(.*)$")
_SKIP_NEXT = re.compile(r'^<!-- skip: next "([^"]+)" -->\s*$')
_HIDDEN_START = "<!-- invisible-code-block: python"


@dataclass
class Block:
    """One Python block of a page (``line``: where its code starts, 1-based)."""

    code: str
    line: int
    hidden: bool = False
    expected: str | None = None


@dataclass
class Page:
    path: Path
    blocks: list[Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.relative_to(ROOT).as_posix()

    @property
    def visible(self) -> list[Block]:
        return [block for block in self.blocks if not block.hidden]


def pages() -> list[Path]:
    """Every page whose examples run: README.md and the guides (new pages are picked up as they appear)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def parse(path: Path) -> Page:
    """The blocks of the page at ``path``."""
    page = Page(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    skip_next = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _SKIP_NEXT.match(line):
            skip_next = True
        elif line.strip() == _HIDDEN_START:
            end = _until(lines, index + 1, lambda text: text.strip() == "-->")
            page.blocks.append(Block("\n".join(lines[index + 1 : end]) + "\n", index + 2, hidden=True))
            index = end
        elif (fence := _FENCE.match(line)) is not None:
            ticks, language = fence.group(1), fence.group(2)
            end = _until(lines, index + 1, functools.partial(_closes, ticks))
            if language == "python":
                if skip_next:
                    skip_next = False
                else:
                    page.blocks.append(Block("\n".join(lines[index + 1 : end]) + "\n", index + 2))
                    end = _output(lines, end + 1, page.blocks[-1])
            index = end
        index += 1
    return page


def _closes(ticks: str, text: str) -> bool:
    """`text` is the fence that closes a block opened with `ticks`."""
    return text.rstrip() == ticks


def _until(lines: list[str], start: int, is_end: Callable[[str], bool]) -> int:
    for index in range(start, len(lines)):
        if is_end(lines[index]):
            return index
    raise ValueError(f"a block opened on line {start} is never closed")


def _output(lines: list[str], start: int, block: Block) -> int:
    """Read an ``Output:`` + text block after ``block``; the index of the last line consumed."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or lines[index].strip() != "Output:":
        return start - 1
    index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not lines[index].startswith("```text"):
        raise ValueError(f"line {index + 1}: an Output: line must be followed by a ```text block")
    end = _until(lines, index + 1, lambda text: text.rstrip() == "```")
    block.expected = "\n".join(lines[index + 1 : end])
    return end


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is what ``expected`` shows (``...``: any text; a line of ``...``: any lines)."""
    parts = []
    for line in expected.rstrip().splitlines():
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.rstrip().split("...")) + r"\n")
    actual = "".join(line.rstrip() + "\n" for line in actual.rstrip().splitlines())
    return re.fullmatch("".join(parts), actual) is not None
