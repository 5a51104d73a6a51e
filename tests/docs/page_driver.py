"""Runs one page's blocks in this fresh process, as a reader pasting them into one Python session would.

Reads ``[{"code", "line", "hidden"}, ...]`` as JSON on stdin; writes ``[{"output", "error"}, ...]`` (one per
block run) as JSON to the file named by the first argument. A visible block's output is what it prints to
stdout; a hidden block runs on a copy of the namespace, so nothing it defines reaches the visible blocks.
The first block that raises ends the run.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from typing import Any


def main() -> None:
    page = sys.argv[2] if len(sys.argv) > 2 else "<page>"
    blocks = json.load(sys.stdin)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    results: list[dict[str, Any]] = []
    for block in blocks:
        code = compile("\n" * (block["line"] - 1) + block["code"], page, "exec")
        captured = io.StringIO()
        error = None
        try:
            with contextlib.redirect_stdout(captured):
                exec(code, dict(namespace) if block["hidden"] else namespace)  # noqa: S102 - the page's own code
        except BaseException:
            error = traceback.format_exc()
        results.append({"output": captured.getvalue(), "error": error})
        if error is not None:
            break
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main()
