"""Runs one page's blocks in this fresh process, as a reader pasting them into one Python session would.

Reads ``[{"code", "line", "hidden"}, ...]`` as JSON on stdin; writes ``[{"output", "error"}, ...]`` (one per
block run) as JSON to the file named by the first argument. A visible block's output is what it prints to
stdout; a hidden block sees the visible blocks' names and those of earlier hidden blocks, but what it
defines is kept apart: nothing reaches the visible blocks.
The first block that raises ends the run.
"""

from __future__ import annotations

import contextlib
import io
import json
import linecache
import sys
import traceback
from typing import Any


def main() -> None:
    page = sys.argv[2] if len(sys.argv) > 2 else "<page>"
    blocks = json.load(sys.stdin)
    # The blocks at their lines, as the page's source: tracebacks and inspect.getsource() read it from here.
    source: list[str] = []
    for block in blocks:
        source += ["\n"] * (block["line"] - 1 - len(source))
        source += block["code"].splitlines(keepends=True)
    linecache.cache[page] = (len(source), None, source, page)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    hidden: dict[str, Any] = {}  # what hidden blocks define, for later hidden blocks only
    results: list[dict[str, Any]] = []
    for block in blocks:
        captured = io.StringIO()
        error = None
        scope = {**namespace, **hidden} if block["hidden"] else namespace
        try:
            code = compile("\n" * (block["line"] - 1) + block["code"], page, "exec")
            with contextlib.redirect_stdout(captured):
                exec(code, scope)  # noqa: S102 - the page's own code
        except BaseException:
            error = traceback.format_exc()
        if block["hidden"]:
            hidden.update((name, value) for name, value in scope.items() if namespace.get(name) is not value)
        results.append({"output": captured.getvalue(), "error": error})
        if error is not None:
            break
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main()
