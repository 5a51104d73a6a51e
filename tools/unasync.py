"""Generate the sync client (`wrapper/pyopenfaas/_sync/`) from the async one (`_async/`), as httpcore does.

`make unasync` writes it; `make check-unasync` (part of `make check`) fails when the committed sync code differs
from a fresh generation. unasync drops `async`/`await` and renames the tokens in REPLACEMENTS; TEXT then swaps
the few sentences of prose that are true of one twin only; ruff (pinned) sorts the imports and formats.
Never edit `_sync/` by hand: edit `_async/` and run `make unasync`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This script is named after the library: keep its own folder off the path so `import unasync` finds the library.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "tools"]

import unasync  # noqa: E402

SOURCE = ROOT / "wrapper" / "pyopenfaas" / "_async"
TARGET = ROOT / "wrapper" / "pyopenfaas" / "_sync"
RUFF = Path(sys.executable).parent / "ruff"

# Async names and their sync twins (unasync already knows __aenter__, AsyncIterator, StopAsyncIteration, ...).
REPLACEMENTS = {
    "AsyncOpenFaaS": "OpenFaaS",
    "AsyncFunctions": "Functions",
    "AsyncSecrets": "Secrets",
    "AsyncNamespaces": "Namespaces",
    "AsyncFunctionBuilder": "FunctionBuilder",
    "AsyncStackResource": "StackResource",
    "async_run_blocking": "run_blocking",
    "AsyncLogStream": "LogStream",
    "AsyncEngine": "Engine",
    "AsyncHTTPClient": "HTTPClient",
    "AsyncInvocationResponse": "InvocationResponse",
    "AsyncClient": "Client",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncClosing": "Closing",
    "AsyncPoolOwner": "PoolOwner",
    "aclose": "close",
    "aget": "get",
    "aread": "read",
    "aiter_lines": "iter_lines",
    "aiter_bytes": "iter_bytes",
    "anext": "next",
    "async_sleep": "sleep",
    "async_interrupt": "interrupt",
    "async_request_body": "request_body",
    "fan_out_tasks": "fan_out_threads",
    "AsyncJobs": "Jobs",
    "AsyncJob": "Job",
    "AsyncReceiverServer": "ReceiverServer",
    "AsyncSenders": "Senders",
    "AsyncSignal": "Signal",
}

# Prose true of one twin only: (async text, sync text). Each must be found, so a stale entry fails loudly.
TEXT = [
    (
        "\n\n    Methods are awaitable. By default it sends through aiohttp (several times faster than httpx's own\n"
        "    async transport when many calls are in flight); pass `transport=` or `http_client=` to choose another.\n",
        "\n",
    ),
    ("block).\n        `data` may also be an async iterator of bytes.", "block)."),
    ("at most `concurrency` at a time (tasks)", "at most `concurrency` at a time (threads)"),
    ("(and the calls in flight are cancelled)", "(after the calls in flight finish)"),
    ("`aclose()` may\n    come from another task", "`close()` may\n    come from another thread"),
    ("End the stream, from any task;", "End the stream, from any thread;"),
    # An async generator cannot `yield from`; the sync one should.
    ("        for chunk in self._tar.chunks():\n            yield chunk\n", "        yield from self._tar.chunks()\n"),
    ("or `aclose()` it, to release", "or `close()` it, to release"),
    ("the body with `aiter_bytes`\n    or `aread`,", "the body with `iter_bytes`\n    or `read`,"),
]

HEADER = "# Generated from _async/{name} by tools/unasync.py (`make unasync`): do not edit.\n"


def generate() -> dict[str, str]:
    """The sync twin of every module in `_async/`, by file name."""
    rule = unasync.Rule(fromdir="/_async/", todir="/_sync/", additional_replacements=REPLACEMENTS)
    found = dict.fromkeys((old for old, _ in TEXT), 0)
    out = {}
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(SOURCE, Path(scratch) / "_async", ignore=shutil.ignore_patterns("__pycache__"))
        sources = sorted((Path(scratch) / "_async").glob("*.py"))
        unasync.unasync_files([str(path) for path in sources], [rule])
        for path in sorted((Path(scratch) / "_sync").glob("*.py")):
            text = path.read_text()
            for old, new in TEXT:
                found[old] += text.count(old)
                text = text.replace(old, new)
            out[path.name] = _ruff(HEADER.format(name=path.name) + text, TARGET / path.name)
    stale = [old for old, count in found.items() if count != 1]
    if stale:
        raise SystemExit(f"tools/unasync.py: TEXT entries not found exactly once in _async/: {stale}")
    return out


def _ruff(text: str, path: Path) -> str:
    for command in (["check", "--fix", "--select", "I,F401", "--quiet"], ["format", "--quiet"]):
        text = subprocess.run(
            [str(RUFF), *command, "--stdin-filename", str(path), "-"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when _sync/ differs from a fresh generation")
    args = parser.parse_args()
    fresh = generate()
    committed = {path.name: path.read_text() for path in TARGET.glob("*.py")} if TARGET.exists() else {}
    if args.check:
        stale = sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
        if stale:
            print(f"_sync/ differs from _async/ in {', '.join(stale)}: run 'make unasync' and commit", file=sys.stderr)
            return 1
        return 0
    TARGET.mkdir(exist_ok=True)
    for name in committed.keys() - fresh.keys():
        (TARGET / name).unlink()
    for name, text in fresh.items():
        (TARGET / name).write_text(text)
    print(f"generated {len(fresh)} modules in {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
