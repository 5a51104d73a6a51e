"""Every page of README.md and docs/ runs as a reader runs it (tools/docs_pages.py has the conventions).

For each page: a fresh `python -m pyopenfaas.testing --demo` set-up (the same `serve_demo` the command runs,
on free ports), then one fresh Python process that runs the page's blocks top to bottom, with the demo's
`export` lines in its environment and an empty working directory. Each block that shows an `Output:` must
print exactly that, with the demo's real URLs written back as the page shows them (the default ports).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyopenfaas import _config, auth
from pyopenfaas.testing._demo import DEFAULT_BUILDER_PORT, serve_demo

from tools.docs_pages import Page, matches, pages, parse

DRIVER = Path(__file__).with_name("page_driver.py")
# Every variable pyopenfaas reads, from where the code names them: none may leak in from the developer's shell.
_SETTINGS = [value for key, value in vars(_config).items() if key.startswith("ENV_")] + [auth.TOKEN_MOUNT_PATH_ENV]
_RUNNABLE = [page for page in map(parse, pages()) if page.visible]


def _environment(demo_environment: dict[str, str], folder: Path) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if name not in _SETTINGS}
    environment["OPENFAAS_CONFIG"] = str(folder / "no-faas-cli-config")
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.update(demo_environment)
    return environment


def _as_shown(output: str, demo_environment: dict[str, str]) -> str:
    """The output with the demo's free ports written as the default ones the page shows."""
    for name, default in (("OPENFAAS_URL", 8080), ("BUILDER_URL", DEFAULT_BUILDER_PORT)):
        output = output.replace(demo_environment[name].removeprefix("http://"), f"127.0.0.1:{default}")
    return output


def run_page(page: Page, folder: Path) -> list[str]:
    """Run the page against a fresh demo; the problems found (empty: the page runs as shown)."""
    work = folder / "work"
    work.mkdir()
    blocks = [{"code": block.code, "line": block.line, "hidden": block.hidden} for block in page.blocks]
    results_file = folder / "results.json"
    with serve_demo(port=0, builder_port=0) as demo:
        process = subprocess.run(
            [sys.executable, str(DRIVER), str(results_file), page.name],
            input=json.dumps(blocks),
            capture_output=True,
            text=True,
            cwd=work,
            env=_environment(demo.environment, folder),
            timeout=300,  # a safety net for a page that hangs, not a measurement
            check=False,
        )
    if process.returncode != 0 or not results_file.exists():
        return [f"the page's process failed ({process.returncode}):\n{process.stderr}"]
    problems = []
    for block, result in zip(page.blocks, json.loads(results_file.read_text()), strict=False):
        kind = "hidden block" if block.hidden else "block"
        if result["error"] is not None:
            problems.append(f"{page.name}:{block.line}: the {kind} raised:\n{result['error']}")
        elif block.expected is not None:
            actual = _as_shown(result["output"], demo.environment)
            if not matches(block.expected, actual):
                problems.append(
                    f"{page.name}:{block.line}: the block printed\n{actual}\nbut the page shows\n{block.expected}"
                )
    return problems


@pytest.mark.parametrize("page", _RUNNABLE, ids=[page.name for page in _RUNNABLE])
def test_page_runs_as_shown(page: Page, tmp_path: Path) -> None:
    problems = run_page(page, tmp_path)
    assert not problems, "\n\n".join(problems)


def test_outputs_match_as_the_conventions_say() -> None:
    assert matches("200 HELLO", "200 HELLO\n")
    assert not matches("200 HELLO", "200 HELLO\nmore\n")
    assert matches("echo-... POST /", "echo-abc12 POST /")
    assert not matches("echo-... POST /", "figlet-abc12 POST /")
    assert matches("first\n...\nlast", "first\na\nb\nlast")
    assert matches("first\n...\nlast", "first\nlast")
    assert not matches("first\n...\nlast", "first\na\nb")


def test_the_parser_reads_blocks_outputs_and_hidden_checks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        '```python\nprint("a")\n```\n\nOutput:\n\n```text\na\n```\n\n'
        "<!-- invisible-code-block: python\nassert True\n-->\n\n"
        '<!-- skip: next "not runnable here" -->\n```python\nboom()\n```\n',
        encoding="utf-8",
    )
    blocks = parse(page).blocks
    assert [(block.line, block.hidden, block.expected) for block in blocks] == [(2, False, "a"), (12, True, None)]


def test_a_page_that_prints_something_else_fails(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('```python\nprint("HELLO")\n```\n\nOutput:\n\n```text\nGOODBYE\n```\n', encoding="utf-8")
    parsed = parse(page)
    parsed.path = DRIVER.parent.parent.parent / "docs" / "page.md"  # named as a page of the repository
    problems = run_page(parsed, tmp_path)
    assert len(problems) == 1
    assert "the block printed\nHELLO" in problems[0]
