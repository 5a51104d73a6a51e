"""mypy --strict over the docs' visible Python blocks, one module per page (``make typecheck-docs``).

A reader's type checker sees the page's blocks as one script, in order: so does this.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.docs_pages import pages, parse


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="pyopenfaas-docs-typecheck-") as folder:
        modules: dict[Path, str] = {}
        for page in map(parse, pages()):
            if not page.visible:
                continue
            module = Path(folder, page.name.replace("/", "__").replace("-", "_").removesuffix(".md") + ".py")
            # Each block keeps its line in the page, so mypy's line numbers are the page's.
            lines: list[str] = []
            for block in page.visible:
                lines += [""] * (block.line - 1 - len(lines))
                lines += block.code.splitlines()
            module.write_text("\n".join(lines) + "\n", encoding="utf-8")
            modules[module] = page.name
        command = [sys.executable, "-m", "mypy", "--strict", "--allow-redefinition", "--no-incremental"]
        result = subprocess.run([*command, *map(str, modules)], capture_output=True, text=True, check=False)
        output = result.stdout
        for module, page_name in modules.items():  # name the pages, not the scratch files
            output = output.replace(str(module), page_name)
        print(output.rstrip("\n"))
        print(f"type-checked the visible blocks of {len(modules)} pages", file=sys.stderr)
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
